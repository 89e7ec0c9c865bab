"""The command's own error handling: Sightline's errors as one line, a bug never as a traceback."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from sightline.cli import main as entry
from sightline.errors import SightlineError


@click.command()
def _broken() -> None:
    raise KeyError("internal detail that must not reach the user")


@click.command()
def _refuses() -> None:
    raise SightlineError("the file is not a campaign", detail="library words")


@pytest.fixture
def commands(monkeypatch: pytest.MonkeyPatch) -> None:
    entry.cli.add_command(_broken, "broken-for-test")
    entry.cli.add_command(_refuses, "refuses-for-test")
    yield
    entry.cli.commands.pop("broken-for-test")
    entry.cli.commands.pop("refuses-for-test")


def _run(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.setattr("sys.argv", ["sightline", *args])
    with pytest.raises(SystemExit) as stopped:
        entry.main()
    return int(stopped.value.code or 0)


def test_a_sightline_error_is_one_line_with_exit_status_1(
    commands: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(monkeypatch, "refuses-for-test") == 1
    assert capsys.readouterr().err == "Error: the file is not a campaign\n"


def test_a_bug_shows_no_traceback_and_keeps_one_in_the_data_folder(
    commands: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    sightline_home: Path,
) -> None:
    assert _run(monkeypatch, "broken-for-test") == 2
    reports = sorted((sightline_home / "crashes").iterdir())
    assert len(reports) == 1
    assert capsys.readouterr().err == (
        f"Error: Sightline stopped on an internal error; the details are in {reports[0]}."
        " Please report it.\n"
    )
    assert reports[0].stat().st_mode & 0o777 == 0o600  # the command line may hold a password
    saved = reports[0].read_text("utf-8")
    assert "sightline broken-for-test" in saved
    assert "KeyError: 'internal detail that must not reach the user'" in saved

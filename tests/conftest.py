"""Settings shared by the whole suite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
SHARED = PROJECT.parent / "shared"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Every test that touches the database also runs on PostgreSQL (scripts/test: `pytest -m db`).
    for item in items:
        if item.get_closest_marker("django_db") and not item.get_closest_marker("db"):
            item.add_marker(pytest.mark.db)


@pytest.fixture(autouse=True)
def sightline_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets its own data folder."""
    home = tmp_path / "sightline-home"
    monkeypatch.setenv("SIGHTLINE_HOME", str(home))
    return home


@pytest.fixture
def shared_dir() -> Path:
    """The ../shared folder beside the project (absent from a user's clone)."""
    if not SHARED.is_dir():
        pytest.skip("../shared is absent: the development data lives beside the project only")
    return SHARED


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Under scripts/test every test must run: a skip there means a missing part (Chromium,
    dovecot, tesseract, ../shared), which would otherwise hide behind a green run."""
    if os.environ.get("SIGHTLINE_FORBID_SKIPS") != "1" or exitstatus != 0:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter is not None else []
    if skipped:
        for report in skipped:
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
            print(f"\nnot allowed to skip under scripts/test: {report.nodeid}: {reason}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED

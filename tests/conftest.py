"""Settings shared by the whole suite."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest

PROJECT = Path(__file__).resolve().parents[1]
SHARED = PROJECT.parent / "shared"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Every test that touches the database also runs on PostgreSQL (scripts/test: `pytest -m db`).
    for item in items:
        if item.get_closest_marker("django_db") and not item.get_closest_marker("db"):
            item.add_marker(pytest.mark.db)


def _settings_follow(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sightline reads its settings once per process (sightline.config); a test that changes a
    setting's variable gets them read again, as the next process would."""
    from sightline.config import settings

    setenv, delenv = monkeypatch.setenv, monkeypatch.delenv

    def ours(name: str) -> bool:
        return name.startswith("SIGHTLINE_") or name == "DATABASE_URL"

    def set_and_reload(name: str, value: str, prepend: str | None = None) -> None:
        setenv(name, value, prepend)
        if ours(name):
            settings.cache_clear()  # read again when next asked for

    def delete_and_reload(name: str, raising: bool = True) -> None:
        delenv(name, raising)
        if ours(name):
            settings.cache_clear()

    monkeypatch.setenv = set_and_reload  # type: ignore[method-assign]
    monkeypatch.delenv = delete_and_reload  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def sightline_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets its own data folder (and settings read afresh)."""
    home = tmp_path / "sightline-home"
    _settings_follow(monkeypatch)
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


CHROMIUM = Path("/usr/bin/chromium")  # Debian's package (scripts/install-system-packages)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@contextmanager
def _launched_chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's /usr/bin/chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="session")
def chromium() -> Callable[[], AbstractContextManager[Any]]:
    """``with chromium() as browser:`` headless Chromium through Playwright (the test skips,
    saying why, where Debian's chromium is missing)."""
    return _launched_chromium

"""Settings shared by the whole suite."""

from __future__ import annotations

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

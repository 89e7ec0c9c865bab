"""Where Sightline keeps its data, read from the environment (docs/formats.md)."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_HOME = "sightline-data"


def sightline_home() -> Path:
    """The data folder: database, raw mail store, documents. ``SIGHTLINE_HOME`` or ./sightline-data."""
    return Path(os.environ.get("SIGHTLINE_HOME") or DEFAULT_HOME).expanduser().resolve()


def database_url() -> str | None:
    """``DATABASE_URL`` overrides the embedded SQLite database when set and non-empty."""
    return os.environ.get("DATABASE_URL") or None

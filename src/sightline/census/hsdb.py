"""Compiled hyperscan databases, cached on disk so a census process starts in milliseconds.

Compiling the rule patterns takes about a tenth of a second per process; the compiled form is
serialised under the user's cache folder (``$XDG_CACHE_HOME/sightline/hyperscan``), keyed by
the patterns, their flags and the hyperscan version. A cache that cannot be read or written is
simply not used: the database is compiled as before.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import hyperscan


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sightline" / "hyperscan"


def compile_database(expressions: list[bytes], ids: list[int], flags: list[int]) -> Any:
    """A block-mode database for the expressions, from the cache when it holds one."""
    key = hashlib.sha256(
        repr((expressions, ids, flags, getattr(hyperscan, "__version__", ""))).encode()
    ).hexdigest()
    path = cache_dir() / f"{key}.hsdb"
    try:
        database = hyperscan.loadb(path.read_bytes(), hyperscan.HS_MODE_BLOCK)
        database.scratch = hyperscan.Scratch(database)  # a loaded database has none yet
        return database
    except (OSError, hyperscan.error):
        pass
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    database.compile(expressions=expressions, ids=ids, elements=len(expressions), flags=flags)
    import tempfile  # only to write the cache

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as handle:
            handle.write(hyperscan.dumpb(database))
        os.replace(handle.name, path)
    except OSError:
        pass
    return database

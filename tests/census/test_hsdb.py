"""The on-disk cache of compiled hyperscan databases."""

from __future__ import annotations

from pathlib import Path

import hyperscan
import pytest

from sightline.census.hsdb import cache_dir, compile_database


def matches(database: object, data: bytes) -> list[int]:
    hits: list[int] = []
    database.scan(data, match_event_handler=lambda i, *_: hits.append(i))  # type: ignore[attr-defined]
    return hits


def test_a_cached_database_matches_like_a_fresh_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    expressions, ids, flags = [rb"Hikvision-Webs", rb"Dahua"], [0, 1], [0, 0]
    fresh = compile_database(expressions, ids, flags)
    cached_files = list(cache_dir().glob("*.hsdb"))
    assert len(cached_files) == 1
    loaded = compile_database(expressions, ids, flags)
    assert matches(fresh, b"Server: Hikvision-Webs Dahua") == [0, 1]
    assert matches(loaded, b"Server: Hikvision-Webs Dahua") == [0, 1]
    assert matches(loaded, b"nginx") == []


def test_a_corrupt_cache_file_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    compile_database([rb"abc"], [0], [hyperscan.HS_FLAG_SINGLEMATCH])
    (cached,) = cache_dir().glob("*.hsdb")
    cached.write_bytes(b"not a database")
    again = compile_database([rb"abc"], [0], [hyperscan.HS_FLAG_SINGLEMATCH])
    assert matches(again, b"xxabc") == [0]

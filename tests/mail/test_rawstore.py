"""The raw store: content-addressed, each batch durable in one transaction."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from sightline.mail.rawstore import RawStore


def test_put_many_returns_hashes_and_stores_once(tmp_path: Path) -> None:
    store = RawStore(tmp_path)
    raws = [b"From: a@x\r\n\r\none\r\n", b"From: b@x\r\n\r\ntwo\r\n"]
    hashes = store.put_many(raws)
    assert hashes == [hashlib.sha256(raw).hexdigest() for raw in raws]
    assert store.put_many(raws) == hashes  # again: nothing changes
    assert [store.get(sha) for sha in hashes] == raws
    count = store._db().execute("SELECT COUNT(*) FROM message").fetchone()[0]
    assert count == 2
    store.close()
    assert RawStore(tmp_path).get(hashes[1]) == raws[1]  # read back by another connection


def test_messages_stored_as_files_by_earlier_versions_are_read(tmp_path: Path) -> None:
    raw = b"From: old@x\r\n\r\nkept\r\n"
    sha = hashlib.sha256(raw).hexdigest()
    (tmp_path / sha[:2]).mkdir()
    (tmp_path / sha[:2] / f"{sha[2:]}.eml").write_bytes(raw)
    store = RawStore(tmp_path)
    assert (store.get(sha), sha in store, store.location(sha)) == (
        raw,
        True,
        str(tmp_path / sha[:2] / f"{sha[2:]}.eml"),
    )


def test_a_missing_message(tmp_path: Path) -> None:
    store = RawStore(tmp_path)
    with pytest.raises(FileNotFoundError):
        store.get("0" * 64)
    assert ("0" * 64 in store, store.location("0" * 64)) == (
        False,
        f"{tmp_path / 'messages.sqlite'}#{'0' * 64}",
    )

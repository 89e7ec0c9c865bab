"""Content-addressed store of raw messages: every message exactly as received, by its SHA-256.

The bytes live as blobs in one SQLite file, ``<home>/mail/raw/messages.sqlite``, separate from
the main database (which may be PostgreSQL): a batch of messages is one transaction, so storing
5,000 messages costs a few file writes instead of 5,000 file creations and renames. The file is
opened in WAL mode with ``synchronous=FULL``, so a batch is on disk when ``put_many`` returns,
before any database row refers to it; a kill at any moment leaves each message either wholly
stored or not at all, and storing it again changes nothing (the hash is the primary key).

Stores written by earlier versions (one ``ab/cdef....eml`` file per message) are still read.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path

STORE_FILE = "messages.sqlite"
BUSY_SECONDS = 60.0  # another process (an IMAP fetch beside an import) holding the write lock


def content_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


class RawStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.file = root / STORE_FILE
        self._local = threading.local()

    def _db(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            self.root.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.file, timeout=BUSY_SECONDS, isolation_level=None)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=FULL")
            connection.execute(
                "CREATE TABLE IF NOT EXISTS message (sha256 TEXT PRIMARY KEY, raw BLOB NOT NULL)"
                " WITHOUT ROWID"
            )
            self._local.connection = connection
        return connection

    def location(self, sha256: str) -> str:
        """Where the raw message is, for a person: the store file and the message's hash."""
        old = self._old_path(sha256)
        return str(old) if old.exists() else f"{self.file}#{sha256}"

    path_for = location  # the name earlier versions gave it

    def put(self, raw: bytes, sha256: str | None = None) -> str:
        """Store ``raw`` (once) and return its SHA-256; on disk when this returns."""
        return self.put_many([raw], [sha256] if sha256 else None)[0]

    def put_many(self, raws: list[bytes], hashes: Iterable[str] | None = None) -> list[str]:
        """Store every message in one transaction and return their SHA-256s in order."""
        found = list(hashes) if hashes is not None else [content_hash(raw) for raw in raws]
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            db.executemany(
                "INSERT OR IGNORE INTO message (sha256, raw) VALUES (?, ?)",
                zip(found, raws, strict=True),
            )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return found

    def get(self, sha256: str) -> bytes:
        """The raw message; FileNotFoundError when it is not stored."""
        row = self._db().execute("SELECT raw FROM message WHERE sha256 = ?", (sha256,)).fetchone()
        if row is not None:
            return bytes(row[0])
        old = self._old_path(sha256)
        try:
            return old.read_bytes()
        except FileNotFoundError:
            raise FileNotFoundError(2, os.strerror(2), f"{self.file}#{sha256}") from None

    def __contains__(self, sha256: str) -> bool:
        row = self._db().execute("SELECT 1 FROM message WHERE sha256 = ?", (sha256,)).fetchone()
        return row is not None or self._old_path(sha256).exists()

    def _old_path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / f"{sha256[2:]}.eml"

    def close(self) -> None:
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None

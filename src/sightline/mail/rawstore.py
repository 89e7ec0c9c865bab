"""Content-addressed store of raw messages: ``<home>/mail/raw/ab/cdef....eml``.

Every message is written here exactly as received, before anything parses it, so a parser bug or
a malformed message never loses mail (DESIGN.md, reply matching).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


def content_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


class RawStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._folders: set[Path] = set()  # made already: one mkdir per folder, not per message

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / f"{sha256[2:]}.eml"

    def relative(self, sha256: str) -> str:
        return f"{sha256[:2]}/{sha256[2:]}.eml"

    def put(self, raw: bytes, sha256: str | None = None) -> str:
        """Store ``raw`` (once) and return its SHA-256; the write is atomic (temp file, rename)."""
        sha256 = sha256 or content_hash(raw)
        path = self.path_for(sha256)
        if path.exists():
            return sha256
        if path.parent not in self._folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(path.parent)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(raw)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return sha256

    def get(self, sha256: str) -> bytes:
        return self.path_for(sha256).read_bytes()

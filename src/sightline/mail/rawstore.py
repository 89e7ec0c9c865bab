"""Content-addressed store of raw messages: ``<home>/mail/raw/ab/cdef....eml``.

Every message is written here exactly as received, before anything parses it, so a parser bug or
a malformed message never loses mail (DESIGN.md, reply matching).
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def content_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


class RawStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._base = str(root)
        self._folders: set[str] = set()  # made already: one mkdir per folder, not per message

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / f"{sha256[2:]}.eml"

    def relative(self, sha256: str) -> str:
        return f"{sha256[:2]}/{sha256[2:]}.eml"

    def put(self, raw: bytes, sha256: str | None = None) -> str:
        """Store ``raw`` (once) and return its SHA-256. The bytes go to a temporary name first
        and are renamed into place, so a stored file is always complete. Safe across threads."""
        sha256 = sha256 or content_hash(raw)
        folder = os.path.join(self._base, sha256[:2])
        path = os.path.join(folder, f"{sha256[2:]}.eml")
        if os.path.exists(path):
            return sha256
        if folder not in self._folders:
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        temporary = f"{path}.{os.getpid()}-{threading.get_ident()}.part"
        try:
            descriptor = os.open(temporary, _CREATE, 0o644)
        except FileExistsError:  # left by a crashed run whose process id came round again
            os.unlink(temporary)
            descriptor = os.open(temporary, _CREATE, 0o644)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(raw)
            os.replace(temporary, path)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise
        return sha256

    def get(self, sha256: str) -> bytes:
        return self.path_for(sha256).read_bytes()

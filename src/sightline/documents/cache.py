"""Read each distinct file once: documents stored on disk by the SHA-256 of the file's bytes."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from sightline.config import sightline_home
from sightline.documents.model import Document
from sightline.documents.serialize import document_from_dict, document_to_dict

# bump when readers change what they produce, so old cached readings are read again
READER_VERSION = 2  # 2: messages read by sightline.replies (TNEF, uuencode, charsets)


class DocumentCache:
    """``<folder>/<sha256>.json`` per file content; default folder SIGHTLINE_HOME/documents/cache."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder if folder is not None else sightline_home() / "documents" / "cache"

    def _path(self, digest: str) -> Path:
        return self.folder / f"{digest}.json"

    def get(self, digest: str, options: str) -> Document | None:
        try:
            stored = json.loads(self._path(digest).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if stored.get("version") != READER_VERSION or stored.get("options") != options:
            return None
        try:
            return document_from_dict(stored["document"])
        except (KeyError, TypeError, ValueError):
            return None

    def put(self, digest: str, options: str, document: Document) -> None:
        record = {
            "version": READER_VERSION,
            "options": options,
            "document": document_to_dict(document),
        }
        self.folder.mkdir(parents=True, exist_ok=True)
        # write then rename: a reader never sees half a file, even with several processes
        handle, temporary = tempfile.mkstemp(
            dir=self.folder, prefix=f".{digest[:16]}", suffix=".tmp"
        )
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(record, stream, ensure_ascii=False)
            os.replace(temporary, self._path(digest))
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

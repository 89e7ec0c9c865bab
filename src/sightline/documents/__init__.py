"""Turn a file or a stored message into text with locations (see ``model``).

``read_file``, ``read_bytes`` and ``read_message`` are the entry points; files are parsed in
worker processes within ``Limits`` and each distinct file content is read once (``DocumentCache``).

The names below are loaded on first use, so that a module which needs only one small part (the
text decoder, the HTML reader) does not start the worker machinery.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sightline.documents.cache import DocumentCache
    from sightline.documents.limits import Limits
    from sightline.documents.model import Block, Cell, Document, Location, ReadError, Table
    from sightline.documents.reader import read_bytes, read_file, read_files, read_message

_WHERE = {
    "DocumentCache": "cache",
    "Limits": "limits",
    "Block": "model",
    "Cell": "model",
    "Document": "model",
    "Location": "model",
    "ReadError": "model",
    "Table": "model",
    "read_bytes": "reader",
    "read_file": "reader",
    "read_files": "reader",
    "read_message": "reader",
}

__all__ = [
    "Block",
    "Cell",
    "Document",
    "DocumentCache",
    "Limits",
    "Location",
    "ReadError",
    "Table",
    "read_bytes",
    "read_file",
    "read_files",
    "read_message",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'sightline.documents' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"sightline.documents.{module}"), name)
    globals()[name] = value
    return value

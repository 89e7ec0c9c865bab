"""Turn a file or a stored message into text with locations (see ``model``).

``read_file``, ``read_bytes`` and ``read_message`` are the entry points; files are parsed in
worker processes within ``Limits`` and each distinct file content is read once (``DocumentCache``).
"""

from sightline.documents.cache import DocumentCache
from sightline.documents.limits import Limits
from sightline.documents.model import Block, Cell, Document, Location, ReadError, Table
from sightline.documents.reader import read_bytes, read_file, read_files, read_message

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

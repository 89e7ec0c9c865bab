"""A reader worker process: ``python -m sightline.documents.worker FD MEMORY_MB`` (see sandbox)."""

from __future__ import annotations

import sys
from multiprocessing.connection import Connection

from sightline.documents.sandbox import serve

if __name__ == "__main__":
    serve(Connection(int(sys.argv[1])), int(sys.argv[2]))

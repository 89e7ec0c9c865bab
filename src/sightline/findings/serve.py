"""Open a published bundle's ``sightline.db`` with Datasette (below 1.0), read-only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sightline.errors import SightlineError
from sightline.findings.bundle import BUNDLE_FILES


class PublishError(SightlineError, ValueError):
    """A folder that is not a findings bundle."""


def check_bundle(folder: Path) -> None:
    if not folder.is_dir():
        raise PublishError(f"{folder}: no such folder")
    missing = [name for name in BUNDLE_FILES if not (folder / name).is_file()]
    if missing:
        raise PublishError(f"{folder}: not a findings bundle (missing {', '.join(missing)})")


def datasette_for_bundle(folder: Path) -> Any:
    """A Datasette instance over the bundle's SQLite file (immutable) with its metadata.json."""
    from datasette.app import Datasette

    check_bundle(folder)
    try:
        metadata = json.loads((folder / "metadata.json").read_text("utf-8"))
    except OSError as error:
        reason = error.strerror or "cannot be opened"
        raise PublishError(f"{folder / 'metadata.json'}: cannot be read ({reason})") from None
    except ValueError:
        raise PublishError(f"{folder / 'metadata.json'}: not valid JSON") from None
    return Datasette(immutables=[str(folder / "sightline.db")], metadata=metadata)


def serve_bundle(folder: Path, port: int) -> None:
    """Serve the bundle on 127.0.0.1 only: publishing to the world is a separate, deliberate step."""
    import uvicorn

    datasette = datasette_for_bundle(folder)
    uvicorn.run(datasette.app(), host="127.0.0.1", port=port, log_level="warning")

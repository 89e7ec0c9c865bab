"""Documents to and from plain JSON-ready dicts (the on-disk cache and ``sightline read --json``)."""

from __future__ import annotations

from dataclasses import asdict, fields, replace
from typing import Any

from sightline.documents.model import Block, Cell, Document, Location, ReadError, Table

_LOCATION_FIELDS = tuple(f.name for f in fields(Location))


def location_to_dict(location: Location) -> dict[str, Any]:
    """Only the parts that are set, plus the citation text under ``"at"``."""
    data = {key: value for key, value in asdict(location).items() if value is not None}
    data["at"] = str(location)
    return data


def location_from_dict(data: dict[str, Any]) -> Location:
    return Location(**{key: data[key] for key in _LOCATION_FIELDS if key in data})


def document_to_dict(document: Document) -> dict[str, Any]:
    return {
        "source": document.source,
        "kind": document.kind,
        "meta": dict(document.meta),
        "blocks": [
            {"text": b.text, "location": location_to_dict(b.location), "ocr": b.ocr}
            for b in document.blocks
        ],
        "tables": [
            {
                "location": location_to_dict(t.location),
                "header": t.header,
                "hidden": t.hidden,
                "rows": [
                    [{"text": c.text, "location": location_to_dict(c.location)} for c in row]
                    for row in t.rows
                ],
            }
            for t in document.tables
        ],
        "errors": [
            {"location": location_to_dict(e.location), "message": e.message}
            for e in document.errors
        ],
    }


def document_from_dict(data: dict[str, Any]) -> Document:
    return Document(
        source=str(data["source"]),
        kind=str(data.get("kind", "unknown")),
        meta={str(k): str(v) for k, v in data.get("meta", {}).items()},
        blocks=[
            Block(b["text"], location_from_dict(b["location"]), bool(b.get("ocr", False)))
            for b in data["blocks"]
        ],
        tables=[
            Table(
                location=location_from_dict(t["location"]),
                rows=[
                    [Cell(c["text"], location_from_dict(c["location"])) for c in row]
                    for row in t["rows"]
                ],
                header=t.get("header"),
                hidden=bool(t.get("hidden", False)),
            )
            for t in data["tables"]
        ],
        errors=[
            ReadError(location_from_dict(e["location"]), str(e["message"])) for e in data["errors"]
        ],
    )


def _inside(location: Location, name: str) -> Location:
    return replace(location, file=name if location.file is None else f"{name}/{location.file}")


def nest(document: Document, name: str) -> Document:
    """The same content, located inside the attachment or archive member ``name``."""
    return Document(
        source=document.source,
        kind=document.kind,
        meta=dict(document.meta),
        blocks=[replace(b, location=_inside(b.location, name)) for b in document.blocks],
        tables=[
            Table(
                location=_inside(t.location, name),
                rows=[[replace(c, location=_inside(c.location, name)) for c in r] for r in t.rows],
                header=t.header,
                hidden=t.hidden,
            )
            for t in document.tables
        ],
        errors=[replace(e, location=_inside(e.location, name)) for e in document.errors],
    )

"""Locations print as the citations evidence quotes; documents survive JSON."""

from __future__ import annotations

from sightline.documents.model import Block, Cell, Document, Location, ReadError, Table
from sightline.documents.serialize import document_from_dict, document_to_dict, nest


def test_citations() -> None:
    assert str(Location(part="body")) == "body"
    assert str(Location(page=2)) == "page 2"
    assert str(Location(sheet="Assets", cell="C14")) == "sheet Assets!C14"
    assert str(Location(sheet="Assets", row=14)) == "sheet Assets row 14"
    assert str(Location(file="reply.pdf", page=1)) == "reply.pdf page 1"
    assert str(Location(paragraph=12)) == "paragraph 12"
    assert str(Location(table=2, row=5)) == "table 2 row 5"
    assert str(Location(page=1, table=1, row=2, column=3)) == "page 1 table 1 row 2 column 3"
    assert str(Location()) == "document"


def test_nest_and_json_round_trip() -> None:
    inner = Document(
        source="x",
        kind="xlsx",
        blocks=[Block("Hikvision | 3", Location(sheet="Assets", row=4))],
        tables=[
            Table(
                Location(sheet="Assets"),
                rows=[[Cell("Hikvision", Location(sheet="Assets", cell="A4"))]],
                header=None,
                hidden=True,
            )
        ],
        errors=[ReadError(Location(file="old.xls"), "damaged")],
    )
    nested = nest(inner, "register.xlsx")
    assert str(nested.blocks[0].location) == "register.xlsx sheet Assets row 4"
    assert str(nested.tables[0].rows[0][0].location) == "register.xlsx sheet Assets!A4"
    assert str(nested.errors[0].location) == "register.xlsx/old.xls"
    assert document_from_dict(document_to_dict(nested)) == nested

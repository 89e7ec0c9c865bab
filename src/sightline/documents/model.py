"""The located text of one document: what every reader produces and every fact cites.

A ``Document`` is an ordered list of text blocks, each with the place it came from, plus the tables
found in it kept as rows of cells. Locations print the way evidence is quoted (docs/formats.md): ``body``, ``page 2``, ``sheet Assets!C14``, ``reply.pdf page 1``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Location:
    """Where a piece of text sits. Every part is optional; ``str()`` gives the citation."""

    file: str | None = None  # attachment or member name; None for the top-level file itself
    part: str | None = None  # "body" for a message body
    page: int | None = None  # 1-based PDF page
    sheet: str | None = None
    cell: str | None = None  # A1-style reference within ``sheet``
    row: int | None = None  # 1-based row of a sheet, CSV or table
    paragraph: int | None = None  # 1-based paragraph of a Word file
    table: int | None = None  # 1-based table number within the file
    column: int | None = None  # 1-based column of a table or CSV cell (sheets use ``cell``)

    def __str__(self) -> str:
        pieces: list[str] = []
        if self.file:
            pieces.append(self.file)
        if self.part:
            pieces.append(self.part)
        if self.page is not None:
            pieces.append(f"page {self.page}")
        if self.sheet is not None:
            if self.cell:
                pieces.append(f"sheet {self.sheet}!{self.cell}")
            else:
                pieces.append(f"sheet {self.sheet}")
        if self.table is not None:
            pieces.append(f"table {self.table}")
        if self.row is not None and not self.cell:
            pieces.append(f"row {self.row}")
        if self.column is not None and not self.cell:
            pieces.append(f"column {self.column}")
        if self.paragraph is not None:
            pieces.append(f"paragraph {self.paragraph}")
        return " ".join(pieces) or "document"


@dataclass(frozen=True)
class Block:
    """A run of text (a paragraph, a page, a row) and where it came from."""

    text: str
    location: Location
    ocr: bool = False  # True when the text came from OCR and may hold recognition errors


@dataclass(frozen=True)
class Cell:
    text: str
    location: Location


@dataclass
class Table:
    """A table kept as rows of cells; ``header`` is the index of the detected header row, if any."""

    location: Location
    rows: list[list[Cell]] = field(default_factory=list)
    header: int | None = None
    hidden: bool = False  # a hidden spreadsheet sheet


@dataclass(frozen=True)
class ReadError:
    """A part of the input that could not be read, and why (the rest is still read)."""

    location: Location
    message: str


@dataclass
class Document:
    """Everything read from one input file or message, in reading order."""

    source: str
    blocks: list[Block] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    errors: list[ReadError] = field(default_factory=list)
    # what the content turned out to be ("pdf", "message", "xlsx"...) and facts about it that are
    # not evidence (a message's subject, sender and date), for display
    kind: str = "unknown"
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n\n".join(block.text for block in self.blocks)

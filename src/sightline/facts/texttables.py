"""Tables written in text: columns aligned with spaces or pipes, as e-mails, text files and PDF
pages carry them ("Hikvision    312    14", "| Dahua | - |", "Total   352   14").

Each run of two or more rows becomes a ``Table`` of the documents model, with a location per
cell (the block's own place, plus row and column), so that one table reader (``tables.py``)
reads registers and count tables whatever format they came in.
"""

from __future__ import annotations

import dataclasses
import re

from sightline.documents.model import Block, Cell, Table
from sightline.facts.counts import NIL_CELL, cell_count

_NUMBERISH = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d{1,6}|-|–|—|nil|none|n/a|0)$", re.IGNORECASE)
_RULE_LINE = re.compile(r"^[\s|:+=-]+$")  # "|------|-----|" or "======"
# "Hikvision 30 22 52" from a PDF, where the column gaps are single spaces
_LABEL_THEN_NUMBERS = re.compile(
    r"^(?P<label>[A-Za-z][\w&'./() -]*?)\s+(?P<numbers>(?:(?:\d{1,3}(?:,\d{3})+|\d{1,6}|-|nil|none)"
    r"\s*){1,8})$",
    re.IGNORECASE,
)
_TOTAL_WORD = re.compile(r"\b(?:total|totals|cyfanswm)\b", re.IGNORECASE)


def _cells(line: str) -> list[str] | None:
    """The cells of a line that looks like a table row, or None."""
    stripped = line.strip()
    if "|" in stripped:
        cells = [c.strip() for c in stripped.strip("|").split("|")]
        return cells if len([c for c in cells if c]) >= 2 else None
    spaced = [c for c in re.split(r"\s{2,}|\t", stripped) if c]
    if 2 <= len(spaced) <= 8 and len(stripped) <= 120:
        return spaced
    match = _LABEL_THEN_NUMBERS.match(stripped)
    if match and len(match.group("label")) <= 40 and len(match.group("label").split()) <= 5:
        return [match.group("label").strip(), *match.group("numbers").split()]
    return None


def _has_number(cells: list[str]) -> bool:
    """A count, an estimate ("approx. 60") or a nil ("Dim / None") after the row's label."""
    return any(
        _NUMBERISH.match(c) or NIL_CELL.match(c) or cell_count(c)[0] is not None for c in cells[1:]
    )


def _header(line: str, width: int) -> list[str] | None:
    """Column names for a header line, fitted to the width of the rows below it."""
    stripped = line.strip()
    for cells in (
        [c.strip() for c in stripped.strip("|").split("|")] if "|" in stripped else [],
        [c for c in re.split(r"\s{2,}|\t", stripped) if c],
        stripped.split(),
    ):
        if len(cells) == width:
            return cells
    words = stripped.split()
    if len(words) > width and words and _TOTAL_WORD.match(words[-1]):
        # "Manufacturer Town centre Car parks Total": only the last column is sure
        return [words[0], *(["Site"] * (width - 2)), words[-1]]
    return None


def text_tables(block: Block) -> list[tuple[Table, range]]:
    """The tables written in ``block``, each with the range of its lines in the block's text."""
    if block.location.sheet is not None or block.location.row is not None:
        return []  # rows of a real table are read as a table already
    lines = block.text.split("\n")
    tables: list[tuple[Table, range]] = []
    i = 0
    while i < len(lines):
        run: list[tuple[int, list[str]]] = []
        j = i
        while j < len(lines):
            if _RULE_LINE.match(lines[j]) and lines[j].strip() and run:
                j += 1
                continue
            cells = _cells(lines[j])
            if cells is None:
                break
            run.append((j, cells))
            j += 1
        data = [(k, c) for k, c in run if _has_number(c)]
        if len(data) >= 2 or (len(data) == 1 and len(run) >= 2):
            table = _table(block, lines, run, i)
            if table is not None:
                first = i - 1 if len(table.rows) > len(run) else i  # a header line above
                tables.append((table, range(first, j)))
        i = max(j, i + 1)
    return tables


def without_lines(text: str, ranges: list[range]) -> str:
    """``text`` with the lines in ``ranges`` left out."""
    drop = {k for r in ranges for k in r}
    return "\n".join(line for k, line in enumerate(text.split("\n")) if k not in drop)


def _table(
    block: Block, lines: list[str], run: list[tuple[int, list[str]]], start: int
) -> Table | None:
    width = max(len(c) for _, c in run)
    rows = [c + [""] * (width - len(c)) for _, c in run]
    header_index: int | None = None
    if not _has_number(run[0][1]):
        header_index = 0
    elif start > 0 and lines[start - 1].strip():
        names = _header(lines[start - 1], width)
        if names is not None:
            rows.insert(0, names)
            header_index = 0
    if header_index is None or len(rows[0]) != width:
        return None
    if any(len(name) > 40 or re.search(r"[.!?;]$", name) for name in rows[0]):
        return None  # prose above the rows, not a header
    table = Table(location=block.location, header=header_index)
    for r, row in enumerate(rows, start=1):
        table.rows.append(
            [
                Cell(text, dataclasses.replace(block.location, row=r, column=c))
                for c, text in enumerate(row, start=1)
            ]
        )
    return table


__all__ = ["text_tables", "without_lines"]

"""Tables: asset registers (one row per device, a Make column), per-vendor count tables, tables
with a column per vendor, and question/answer exports (a Question and a Response column).

Heading, blank and total rows are not devices, and hidden sheets (drop-down lists) are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sightline.documents.model import Block, Cell, Location, Table
from sightline.facts import devices
from sightline.facts.counts import NIL_CELL, cell_count
from sightline.facts.model import Evidence
from sightline.facts.signals import NO, YES, Signal, quote
from sightline.facts.vendors import KnowledgeBase

_MAKE_HEADER = re.compile(
    r"\b(?:make|manufacturer|brand|vendor|maker|gwneuthurwr|manufactured by)\b", re.I
)
_TYPE_HEADER = re.compile(r"\b(?:type|kind|category|math)\b", re.I)
_DESCRIPTION_HEADER = re.compile(r"\b(?:device|description|equipment|item)\b", re.I)
_MODEL_HEADER = re.compile(r"\bmodel\b", re.I)
_COUNT_HEADER = re.compile(
    r"\b(?:number|count|quantity|qty|no\.|how many|total|cameras|devices|units)\b", re.I
)
_QUESTION_HEADER = re.compile(r"\b(?:question|request|query|asked)\b", re.I)
_ANSWER_HEADER = re.compile(r"\b(?:answer|response|reply|outcome)\b", re.I)
_TOTAL_ROW = re.compile(r"^\s*(?:sub-?\s*)?totals?\b|^\s*grand total", re.I)
_NIL = NIL_CELL

RowKey = tuple[str | None, str | None, int | None]


def _column(cell: Cell, position: int) -> int:
    location = cell.location
    if location.cell:
        letters = re.match(r"[A-Z]+", location.cell)
        if letters:
            number = 0
            for char in letters.group(0):
                number = number * 26 + (ord(char) - 64)
            return number
    column = getattr(location, "column", None)
    return int(column) if column else position + 1


def _row_number(location: Location) -> int | None:
    if location.row is not None:
        return location.row
    if location.cell:
        digits = re.search(r"\d+$", location.cell)
        return int(digits.group(0)) if digits else None
    return None


def row_key(location: Location) -> RowKey:
    return (location.file, location.sheet, _row_number(location))


def _as_columns(row: list[Cell]) -> dict[int, Cell]:
    return {_column(cell, i): cell for i, cell in enumerate(row)}


@dataclass
class TableFacts:
    signals: list[Signal] = field(default_factory=list)
    consumed: set[RowKey] = field(default_factory=set)  # rows read here, not again as text
    hidden_sheets: set[tuple[str | None, str | None]] = field(default_factory=set)
    qa_blocks: list[Block] = field(default_factory=list)


def read_tables(tables: list[Table], kb: KnowledgeBase) -> TableFacts:
    result = TableFacts()
    for table in tables:
        if table.hidden:
            result.hidden_sheets.add((table.location.file, table.location.sheet))
            continue
        if not table.rows:
            continue
        header_index = table.header if table.header is not None else 0
        header = _as_columns(table.rows[header_index])
        names = {col: cell.text for col, cell in header.items()}
        body = table.rows[header_index + 1 :]
        question = _find(names, _QUESTION_HEADER)
        answer = _find(names, _ANSWER_HEADER)
        make = _find(names, _MAKE_HEADER)
        if make is None and not vendor_columns_of(names, kb):
            make = _vendor_column(body, kb)
        vendor_columns = vendor_columns_of(names, kb)
        if question is not None and answer is not None and question != answer:
            _question_answer(table, header_index, question, answer, result)
        elif make is not None:
            count = _count_columns(names, body, make)
            _register(table, header_index, body, names, make, count, kb, result)
        elif vendor_columns:
            _vendor_columns(body, vendor_columns, result, names)
    return result


def _count_columns(names: dict[int, str], body: list[list[Cell]], make: int) -> list[int]:
    """The columns that count devices: a Total column alone, else every column headed by a
    count or device word ("Cameras | NVRs" are summed per row)."""
    counted = [
        col
        for col, text in sorted(names.items())
        if col != make
        and (_COUNT_HEADER.search(text) or devices.types_in(text))
        and not _TYPE_HEADER.search(text)
        and any(
            (cell := _as_columns(row).get(col)) is not None
            and (cell_count(cell.text)[0] is not None or _NIL.match(cell.text))
            for row in body
        )
    ]
    totals = [col for col in counted if re.search(r"\btotal\b", names[col], re.I)]
    return totals[:1] or counted


def vendor_columns_of(names: dict[int, str], kb: KnowledgeBase) -> dict[int, str]:
    """Columns headed by a vendor name ("Site | Hikvision | Dahua")."""
    return {
        col: found[0].vendor
        for col, text in names.items()
        if (found := kb.find(text)) and len(text) < 40
    }


def _vendor_column(body: list[list[Cell]], kb: KnowledgeBase) -> int | None:
    """A column without a Make header whose cells name vendors in most rows ("Hikvision DS-2CD")."""
    if len(body) < 2:
        return None
    hits: dict[int, int] = {}
    for row in body:
        for col, cell in _as_columns(row).items():
            if kb.find(cell.text):
                hits[col] = hits.get(col, 0) + 1
    best = max(hits.items(), key=lambda item: item[1], default=None)
    if best and best[1] * 2 >= len(body):
        return best[0]
    return None


def _find(
    names: dict[int, str], pattern: re.Pattern[str], exclude: set[int] | None = None
) -> int | None:
    for col, text in sorted(names.items()):
        if exclude and col in exclude:
            continue
        if pattern.search(text):
            return col
    return None


def _question_answer(
    table: Table, header_index: int, question: int, answer: int, result: TableFacts
) -> None:
    for number, row in enumerate(table.rows[header_index + 1 :], start=1):
        cells = _as_columns(row)
        q, a = cells.get(question), cells.get(answer)
        if q is None or a is None:
            continue
        text = q.text.strip()
        if "?" not in text:
            text += "?"
        result.qa_blocks.append(Block(f"Q{number}. {text}", q.location))
        result.qa_blocks.append(Block(a.text, a.location))
        result.consumed.add(row_key(q.location))
    result.consumed.add(row_key(table.rows[header_index][0].location))


def _register(
    table: Table,
    header_index: int,
    body: list[list[Cell]],
    names: dict[int, str],
    make: int,
    count: list[int],
    kb: KnowledgeBase,
    result: TableFacts,
) -> None:
    kind_col = _find(names, _TYPE_HEADER, exclude={make})
    if kind_col is None:
        kind_col = _find(names, _DESCRIPTION_HEADER, exclude={make})
    model_col = _find(names, _MODEL_HEADER, exclude={make})
    per_vendor: dict[str, list[tuple[int, str, Cell, str]]] = {}
    nil: dict[str, tuple[Cell, str]] = {}
    estimated: set[str] = set()  # vendors whose count was written as an estimate ("approx. 60")
    for row in body:
        cells = _as_columns(row)
        line = " | ".join(cell.text for cell in row)
        if not row or _TOTAL_ROW.search(row[0].text) or any(_TOTAL_ROW.search(c.text) for c in row):
            continue
        make_cell = cells.get(make)
        if make_cell is None:
            continue
        found = kb.find(make_cell.text)
        if not found:
            continue
        vendor = found[0].vendor
        result.consumed.add(row_key(make_cell.location))
        type_text = " ".join(
            cells[c].text for c in (kind_col, model_col, make) if c is not None and c in cells
        )
        typed = not count or kind_col is not None
        row_kind = devices.classify_type_cell(type_text) if typed else "camera"
        if count:
            parts: list[tuple[int, str]] = []
            unread = False  # a cell that is neither a count nor a nil ("not recorded")
            for col in count:
                value_cell = cells.get(col)
                text = value_cell.text if value_cell else ""
                value, approximate = cell_count(text) if text else (None, False)
                if value:
                    named = devices.types_in(names.get(col, ""))
                    parts.append((value, named[0] if named and kind_col is None else row_kind))
                    if approximate:
                        estimated.add(vendor)
                elif text.strip() and value is None and not _NIL.match(text):
                    unread = True
            if not parts:
                if not unread:
                    nil.setdefault(vendor, (make_cell, line))
                continue
            for value, kind in parts:
                per_vendor.setdefault(vendor, []).append((value, kind, make_cell, line))
            continue
        per_vendor.setdefault(vendor, []).append((1, row_kind, make_cell, line))
    result.consumed.add(row_key(table.rows[header_index][0].location))
    for vendor, rows in per_vendor.items():
        total = sum(r[0] for r in rows)
        types = tuple(dict.fromkeys(r[1] for r in rows))
        first = rows[0]
        rule = "owned.register-rows" if not count else "owned.table-count"
        evidence = Evidence(
            quote(first[3]), str(first[2].location), approximate=vendor in estimated
        )
        result.signals.append(Signal(vendor, YES, rule, evidence, total, types))
    for vendor, (cell, line) in nil.items():
        if vendor not in per_vendor:
            evidence = Evidence(quote(line), str(cell.location))
            result.signals.append(Signal(vendor, NO, "owned.table-nil", evidence))


def _vendor_columns(
    body: list[list[Cell]],
    columns: dict[int, str],
    result: TableFacts,
    names: dict[int, str] | None = None,
) -> None:
    totals: dict[str, int] = {}
    first: dict[str, Cell] = {}
    kinds: dict[str, dict[str, None]] = {}
    for row in body:
        if any(_TOTAL_ROW.search(c.text) for c in row):
            continue
        cells = _as_columns(row)
        for col, vendor in columns.items():
            cell = cells.get(col)
            if cell is None:
                continue
            value, _ = cell_count(cell.text)
            if value is None and not _NIL.match(cell.text):
                continue
            totals[vendor] = totals.get(vendor, 0) + (value or 0)
            first.setdefault(vendor, cell)
            if value:
                # "Hikvision NVRs" in the header, or "NVRs" at the start of the row
                named = devices.types_in((names or {}).get(col, "")) or devices.types_in(
                    row[0].text if row else ""
                )
                kinds.setdefault(vendor, {}).setdefault(named[0] if named else "camera", None)
    for vendor, total in totals.items():
        cell = first[vendor]
        evidence = Evidence(quote(f"{vendor} column total {total}"), str(cell.location))
        if total > 0:
            types = tuple(kinds.get(vendor, {}))
            result.signals.append(Signal(vendor, YES, "owned.table-column", evidence, total, types))
        else:
            result.signals.append(Signal(vendor, NO, "owned.table-column-nil", evidence, None, ()))

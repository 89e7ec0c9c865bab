"""Spreadsheets (.xlsx, .xls, .ods via python-calamine) and CSV files into rows of located cells.

Every sheet is read, hidden ones too (an asset register's camera list is often on a hidden sheet)
and marked ``hidden``; fully blank rows are skipped but every row keeps its number in the sheet.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence

import python_calamine as calamine

from sightline.documents.encoding import decode_text
from sightline.documents.limits import Unreadable
from sightline.documents.model import Block, Cell, Document, Location, Table

ROW_SEPARATOR = " | "
_HEADER_SCAN_ROWS = 10  # a header row sits among the first non-blank rows, under any title rows


def column_letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA (spreadsheet column names)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def cell_text(value: object) -> str:
    """A cell value as the sheet would show it, without a float's trailing ``.0``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ") if value.time() != dt.time() else value.date().isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value).strip()


def _is_label(text: str) -> bool:
    """A header cell names a column: it is not a number or a date."""
    stripped = text.replace(",", "").replace(".", "").replace("-", "").replace("/", "").strip()
    return not stripped.isdigit()


def detect_header(rows: Sequence[Sequence[str]]) -> int | None:
    """Index of the header row: the first row, among the first few, whose filled cells are all
    labels and that is about as wide as the rows below it (title rows above it are narrower)."""
    widths = [sum(1 for text in row if text) for row in rows]
    for index in range(min(len(rows) - 1, _HEADER_SCAN_ROWS)):
        filled = [text for text in rows[index] if text]
        if len(filled) < 2 or not all(_is_label(text) for text in filled):
            continue
        below = widths[index + 1 : index + 1 + _HEADER_SCAN_ROWS]
        if below and len(filled) * 2 >= max(below):
            return index
    return None


def _sheet_table(
    name: str, values: Sequence[Sequence[object]], top: int, left: int, hidden: bool
) -> tuple[Table, list[Block]]:
    table = Table(location=Location(sheet=name), hidden=hidden)
    blocks: list[Block] = []
    texts: list[list[str]] = []
    for offset, row in enumerate(values):
        row_texts = [cell_text(value) for value in row]
        if not any(row_texts):
            continue
        number = top + offset + 1
        table.rows.append(
            [
                Cell(text, Location(sheet=name, cell=f"{column_letters(left + col)}{number}"))
                for col, text in enumerate(row_texts)
                if text
            ]
        )
        texts.append(row_texts)
        line = ROW_SEPARATOR.join(text for text in row_texts if text)
        blocks.append(Block(line, Location(sheet=name, row=number)))
    table.header = detect_header(texts)
    return table, blocks


def read_workbook(data: bytes) -> Document:
    """Every sheet of an .xlsx, .xlsb, .xls or .ods workbook."""
    try:
        return _read_workbook(data)
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except Unreadable:
        raise
    except BaseException as error:  # the Rust reader's panics derive from BaseException
        raise Unreadable(
            "damaged spreadsheet: the workbook's cells cannot be read",
            detail=f"{type(error).__name__}: {error}",
        ) from None


def _read_workbook(data: bytes) -> Document:
    try:
        workbook = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except calamine.PasswordError:
        raise Unreadable(
            "password-protected spreadsheet: it cannot be read without the password"
        ) from None
    except calamine.CalamineError as error:
        raise Unreadable(
            "damaged spreadsheet: the workbook's structure cannot be read", detail=str(error)
        ) from None
    document = Document(source="")
    try:
        for meta in workbook.sheets_metadata:
            if meta.typ != calamine.SheetTypeEnum.WorkSheet:
                continue  # chart sheets and macro sheets hold no cells
            hidden = meta.visible != calamine.SheetVisibleEnum.Visible
            sheet = workbook.get_sheet_by_name(meta.name)
            values = sheet.to_python(skip_empty_area=True)
            top, left = sheet.start if sheet.start is not None else (0, 0)
            table, blocks = _sheet_table(meta.name, values, top, left, hidden)
            if table.rows:
                document.tables.append(table)
                document.blocks.extend(blocks)
            if hidden:
                document.meta.setdefault("hidden sheets", "")
                document.meta["hidden sheets"] = ", ".join(
                    filter(None, [document.meta["hidden sheets"], meta.name])
                )
    finally:
        workbook.close()
    return document


def read_csv(data: bytes) -> Document:
    """A CSV (or TSV) file in any of the encodings Windows and Excel write."""
    text = decode_text(data)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text[:8192], delimiters=",;\t|"
        )
    except csv.Error:
        dialect = csv.excel
    document = Document(source="")
    table = Table(location=Location())
    texts: list[list[str]] = []
    for number, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
        cells = [value.strip() for value in row]
        if not any(cells):
            continue
        table.rows.append(
            [
                Cell(value, Location(row=number, column=col))
                for col, value in enumerate(cells, start=1)
                if value
            ]
        )
        texts.append(cells)
        line = ROW_SEPARATOR.join(value for value in cells if value)
        document.blocks.append(Block(line, Location(row=number)))
    if table.rows:
        table.header = detect_header(texts)
        document.tables.append(table)
    return document

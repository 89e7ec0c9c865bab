"""Councils' "spending over £500" transparency files (CSV, or Excel and ODS via python-calamine).

The header row is looked for among the first rows, under any title block ("Payments to suppliers
over £500, Q1 2021/22"); a file whose supplier, amount and date columns cannot be found is refused
with the columns it has. Every data row either becomes a record or a problem with its row number.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from pathlib import Path

import python_calamine as calamine

from sightline.procurement.columns import AMOUNT, DATE, SUPPLIER, ColumnMap, map_columns
from sightline.procurement.model import (
    CREDIT,
    PAID,
    PAYMENT,
    REDACTED,
    ReadResult,
    SpendFileError,
    SpendRecord,
)
from sightline.procurement.values import (
    ValueProblem,
    company_number,
    parse_amount,
    parse_currency,
    parse_date,
)

HEADER_SCAN_ROWS = 30
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
# What councils write in place of a payee they withhold (individuals' personal data, UK GDPR).
_REDACTED = re.compile(
    r"\bredacted\b|\bwithheld\b|personal (data|information)|not (disclosed|published)"
    r"|^data protection( act)?( \d{4})?$|^(private )?individual$|^name removed$|^\*+$",
    re.IGNORECASE,
)

Row = Sequence[object]


def decode_csv_bytes(data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without a byte-order mark), else Windows-1252, the usual export from Excel
    on Windows (``£`` is byte 0xA3 there); Latin-1 as the last resort never fails."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def read_spend_file(path: Path, source: str | None = None) -> ReadResult:
    """Read one spending file; ``source`` names it in problems (default: the file name)."""
    name = source or path.name
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SpendFileError(f"{name}: cannot be read", detail=str(error.strerror or "")) from None
    return read_spend_bytes(data, name)


def read_spend_bytes(data: bytes, source: str) -> ReadResult:
    result = ReadResult(source=source, kind=PAYMENT)
    if source.lower().endswith(EXCEL_SUFFIXES):
        sheets = _excel_sheets(data, source)
    else:
        text, encoding = decode_csv_bytes(data)
        if encoding != "utf-8":
            result.notes.append(f"read as {encoding}")
        csv_rows: list[list[object]] = [
            list(row) for row in csv.reader(io.StringIO(text, newline=""))
        ]
        sheets = [("", csv_rows)]
    refusals: list[str] = []
    for sheet, rows in sheets:
        header = _find_header(rows)
        if isinstance(header, str):
            refusals.append(header if not sheet else f"sheet {sheet!r}: {header}")
            continue
        index, column_map = header
        if sheet:
            result.notes.append(f"sheet {sheet!r}")
        if index:
            result.notes.append(f"header on row {index + 1}")
        _read_rows(rows, index, column_map, result)
        return result
    raise SpendFileError(f"{source}: cannot map the columns: {'; '.join(refusals)}")


def _excel_sheets(data: bytes, source: str) -> list[tuple[str, list[list[object]]]]:
    try:
        workbook = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets: list[tuple[str, list[list[object]]]] = []
        for name in workbook.sheet_names:
            rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            sheets.append((name, [list(row) for row in rows]))
    except Exception as error:  # calamine raises its own error types for a damaged workbook
        raise SpendFileError(f"{source}: not a readable spreadsheet", detail=str(error)) from None
    return sheets


def _blank(row: Row) -> bool:
    return all(str(cell if cell is not None else "").strip() == "" for cell in row)


def _find_header(rows: Sequence[Row]) -> tuple[int, ColumnMap] | str:
    """The first row, among the first few, under which supplier, amount and date are found."""
    best: tuple[int, ColumnMap] | None = None
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        if _blank(row):
            continue
        column_map = map_columns(row)
        if not column_map.missing():
            return index, column_map
        if best is None or len(column_map.columns) > len(best[1].columns):
            best = (index, column_map)
    if best is None:
        return "the file has no rows"
    row = rows[best[0]]
    found = ", ".join(str(cell).strip() for cell in row if str(cell or "").strip())
    missing = best[1].missing()
    wanted = (
        f"no {missing[0]} column"
        if len(missing) == 1
        else (f"no {', '.join(missing[:-1])} or {missing[-1]} columns")
    )
    return f"{wanted} (columns found: {found or 'none'})"


def _cell(row: Row, column_map: ColumnMap, name: str) -> object:
    index = column_map.columns.get(name)
    if index is None or index >= len(row):
        return ""
    value = row[index]
    return "" if value is None else value


def _text(row: Row, column_map: ColumnMap, name: str) -> str:
    value = _cell(row, column_map, name)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _read_rows(rows: Sequence[Row], header: int, column_map: ColumnMap, result: ReadResult) -> None:
    for index in range(header + 1, len(rows)):
        row = rows[index]
        where = f"row {index + 1}"
        if _blank(row):
            continue
        supplier = _text(row, column_map, SUPPLIER)
        amount_cell = _cell(row, column_map, AMOUNT)
        try:
            amount = parse_amount(amount_cell)
            date = parse_date(_cell(row, column_map, DATE))
            currency = parse_currency(_cell(row, column_map, "currency"))
        except ValueProblem as problem:
            result.problem(where, str(problem))
            continue
        if not supplier:
            result.problem(where, "no supplier name")
            continue
        status = PAID
        if _REDACTED.search(supplier):
            status = REDACTED
        elif amount < 0:
            status = CREDIT
        result.records.append(
            SpendRecord(
                kind=PAYMENT,
                source=result.source,
                where=where,
                supplier=supplier,
                amount=amount,
                currency=currency,
                date=date,
                company_number=company_number(_text(row, column_map, "company_number")),
                status=status,
                description=_text(row, column_map, "description"),
                expense_type=_text(row, column_map, "expense_type"),
                service_area=_text(row, column_map, "service_area"),
                reference=_text(row, column_map, "reference"),
            )
        )

"""Councils' "spending over £500" transparency files (CSV, or Excel and ODS via python-calamine).

The header row is looked for among the first rows, under any title block ("Payments to suppliers
over £500, Q1 2021/22"); a file whose supplier, amount and date columns cannot be found is refused
with the columns it has. Every data row either becomes a record or a problem with its row number.
"""

from __future__ import annotations

import contextlib
import csv
import gc
import io
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
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
TIDY_CACHE = 200_000  # distinct cell texts remembered while reading a file
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
    """Read a whole spending file into a ``ReadResult`` (records, problems, notes)."""
    result = ReadResult(source=source, kind=PAYMENT)
    with without_collector():
        result.records.extend(spend_records(data, source, result))
    return result


@contextlib.contextmanager
def without_collector() -> Iterator[None]:
    """Pause the cyclic garbage collector: a million new records (which form no cycles) would
    set it off again and again, each pass longer than the last."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def spend_records(data: bytes, source: str, result: ReadResult) -> Iterator[SpendRecord]:
    """The payments of a spending file one at a time, its problems and notes going to
    ``result``; refuses (``SpendFileError``) a file whose columns cannot be found, before the
    first record."""
    lines: list[int] | None = None
    sheets: Iterable[tuple[str, Iterator[Row]]]
    if source.lower().endswith(EXCEL_SUFFIXES):
        sheets = [(name, iter(rows)) for name, rows in _excel_sheets(data, source)]
    else:
        text, encoding = decode_csv_bytes(data)
        if encoding != "utf-8":
            result.notes.append(f"read as {encoding}")
        lines = []
        sheets = [("", _csv_rows(text, lines))]
    refusals: list[str] = []
    for sheet, rows in sheets:
        head = list(itertools.islice(rows, HEADER_SCAN_ROWS + 1))
        header = _find_header(head)
        if isinstance(header, str):
            refusals.append(header if not sheet else f"sheet {sheet!r}: {header}")
            continue
        index, column_map, depth = header
        if sheet:
            result.notes.append(f"sheet {sheet!r}")
        where = "line" if lines is not None else "row"
        if depth == 2:
            result.notes.append(
                f"header on {where}s {_number(index, lines)} and {_number(index + 1, lines)}"
            )
        elif index:
            result.notes.append(f"header on {where} {_number(index, lines)}")
        body = itertools.chain(head[index + depth :], rows)
        return _records(body, index + depth, column_map, result, lines)
    raise SpendFileError(f"{source}: cannot map the columns: {'; '.join(refusals)}")


def _csv_rows(text: str, starts: list[int]) -> Iterator[Row]:
    """The rows of a CSV text; ``starts`` gets the line each one starts on (a quoted cell may
    hold a line break, so rows and lines differ)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    previous = 0
    for row in reader:
        starts.append(previous + 1)
        previous = reader.line_num
        yield row


def _number(index: int, lines: list[int] | None) -> int:
    return lines[index] if lines is not None else index + 1


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


def _find_header(rows: Sequence[Row]) -> tuple[int, ColumnMap, int] | str:
    """The first row, among the first few, under which supplier, amount and date are found:
    (its index, the columns, 1); or a heading spread over two rows, as a spreadsheet with merged
    heading cells ("Payment" over "Date" and "Amount") is saved: (the first index, the columns,
    2)."""
    best: tuple[int, ColumnMap] | None = None
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        if _blank(row):
            continue
        column_map = map_columns(row)
        if not column_map.missing():
            return index, column_map, 1
        if index + 1 < len(rows) and not _blank(rows[index + 1]):
            joined = map_columns(_two_rows(row, rows[index + 1]))
            if not joined.missing() and len(joined.columns) > len(column_map.columns):
                return index, joined, 2
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


def _two_rows(upper: Row, lower: Row) -> list[str]:
    """Headings of two rows read together: a merged upper cell is carried over the blank cells to
    its right, and each heading is the upper text and the lower one ("Payment" "Date")."""
    headings: list[str] = []
    carried = ""
    for index in range(max(len(upper), len(lower))):
        top = str(upper[index] if index < len(upper) and upper[index] is not None else "").strip()
        bottom = str(lower[index] if index < len(lower) and lower[index] is not None else "")
        bottom = bottom.strip()
        if top:
            carried = top
        elif not bottom:
            carried = ""
        head = top or carried
        if (
            head
            and bottom
            and map_columns([bottom]).columns
            and not map_columns([f"{head} {bottom}"]).columns
        ):
            headings.append(bottom)  # "Supplier" over "Name": the lower heading says it all
        else:
            headings.append(f"{head} {bottom}".strip())
    return headings


def _records(
    rows: Iterator[Row],
    first: int,
    column_map: ColumnMap,
    result: ReadResult,
    lines: list[int] | None,
) -> Iterator[SpendRecord]:
    """Every row (the ``first`` of the file on) becomes a record or a problem. Written for speed
    (a council's year is a million rows): the columns are looked up once, and dates, cell texts
    and the redaction test are cached, since the same values repeat through a file."""
    columns = column_map.columns
    at = {name: columns.get(name) for name in _FIELDS}
    i_supplier, i_amount, i_date = at[SUPPLIER], at[AMOUNT], at[DATE]
    assert i_supplier is not None and i_amount is not None and i_date is not None
    i_description, i_expense, i_service, i_reference = (at[name] for name in _TEXT_FIELDS)
    i_currency, i_number = at["currency"], at["company_number"]
    redacted: dict[str, bool] = {}
    tidied: dict[object, str] = {}

    def tidy(value: object) -> str:
        found = tidied.get(value)
        if found is None:
            found = _clean(value)
            if len(tidied) < TIDY_CACHE:
                tidied[value] = found
        return found

    source = result.source
    label = "line" if lines is not None else "row"
    for index, row in enumerate(rows, start=first):
        width = len(row)
        supplier_cell = row[i_supplier] if i_supplier < width else ""
        amount_cell = row[i_amount] if i_amount < width else ""
        date_cell = row[i_date] if i_date < width else ""
        if not supplier_cell and not amount_cell and not date_cell and _blank(row):
            continue
        where = f"{label} {lines[index] if lines is not None else index + 1}"
        try:
            amount = parse_amount(amount_cell)
            date = parse_date(date_cell)
            currency = (
                parse_currency(row[i_currency] if i_currency < width else "")
                if i_currency is not None
                else "GBP"
            )
        except ValueProblem as problem:
            result.problem(where, str(problem))
            continue
        supplier = tidy(supplier_cell)
        if not supplier:
            result.problem(where, "no supplier name")
            continue
        hidden = redacted.get(supplier)
        if hidden is None:
            hidden = redacted[supplier] = bool(_REDACTED.search(supplier))
        number = ""
        if i_number is not None and i_number < width and row[i_number] not in ("", None):
            number = company_number(tidy(row[i_number]))
        yield SpendRecord(
            kind=PAYMENT,
            source=source,
            where=where,
            supplier=supplier,
            amount=amount,
            currency=currency,
            date=date,
            company_number=number,
            status=REDACTED if hidden else (CREDIT if amount < 0 else PAID),
            description=tidy(row[i_description])
            if i_description is not None and i_description < width
            else "",
            expense_type=tidy(row[i_expense])
            if i_expense is not None and i_expense < width
            else "",
            service_area=tidy(row[i_service])
            if i_service is not None and i_service < width
            else "",
            reference=tidy(row[i_reference])
            if i_reference is not None and i_reference < width
            else "",
        )


_TEXT_FIELDS = ("description", "expense_type", "service_area", "reference")
_FIELDS = (SUPPLIER, AMOUNT, DATE, "currency", "company_number", *_TEXT_FIELDS)


_UNTIDY = re.compile(r"^\s|\s$|\s\s|[\t\r\n]")


def _clean(value: object) -> str:
    """A cell as text: spreadsheet whole numbers without ".0", runs of spaces made one."""
    if type(value) is str:
        return " ".join(value.split()) if _UNTIDY.search(value) else value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())

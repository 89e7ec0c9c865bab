"""Spending-over-£500 files: three column layouts, a title block, Windows-1252, Excel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from sightline.procurement.model import SpendFileError
from sightline.procurement.spendfiles import read_spend_file


def test_layout_a_transparency_code_headings(layout_a: Path) -> None:
    result = read_spend_file(layout_a)
    assert [(r.where, r.supplier, r.amount, r.date, r.status) for r in result.records] == [
        ("line 2", "HIKVISION UK LTD", Decimal("1250.00"), dt.date(2021, 4, 15), "paid"),
        ("line 3", "Acme Cleaning Services Ltd", Decimal("3400.50"), dt.date(2021, 5, 20), "paid"),
        ("line 4", "Hikvision UK Ltd", Decimal("-250.00"), dt.date(2022, 3, 3), "credit"),
        ("line 5", "HIKVISION UK LIMI", Decimal("2000.00"), dt.date(2022, 4, 10), "paid"),
        ("line 7", "REDACTED - personal data", Decimal("700.00"), dt.date(2022, 4, 12), "redacted"),
    ]
    assert [str(p) for p in result.problems] == [
        "barnet-2021.csv line 6: amount 'abc' is not a number",
        "barnet-2021.csv line 8: date '31/02/2022' is not a date",
    ]
    first = result.records[0]
    assert (first.reference, first.service_area, first.expense_type) == (
        "1001",
        "Community Safety",
        "CCTV Equipment",
    )
    assert result.notes == []


def test_layout_b_title_block_and_windows_1252(layout_b: Path) -> None:
    result = read_spend_file(layout_b)
    assert [(r.where, r.supplier, r.amount, r.date) for r in result.records] == [
        ("line 5", "Dahua Technology UK Limited", Decimal("12345.67"), dt.date(2021, 6, 1)),
        ("line 6", "Café Bleu Ltd", Decimal("600.00"), dt.date(2021, 6, 2)),
        ("line 7", "Hikvison UK Ltd", Decimal("1000.00"), dt.date(2021, 6, 3)),
        ("line 8", "Dahua Technology UK Limited", Decimal("-100.00"), dt.date(2021, 6, 30)),
    ]
    assert result.problems == []
    assert result.notes == ["read as windows-1252", "header on line 4"]
    assert result.records[0].expense_type == "Cameras"
    assert result.records[0].service_area == "Highways"


def test_layout_c_excel_with_title_block(layout_c_xlsx: Path) -> None:
    result = read_spend_file(layout_c_xlsx)
    assert [(r.where, r.supplier, r.amount, r.date) for r in result.records] == [
        ("row 5", "Hik Vision UK", Decimal("5000.50"), dt.date(2021, 9, 30)),
        ("row 6", "Pyronix Limited", Decimal("800.00"), dt.date(2021, 8, 2)),
        ("row 7", "Dahua Tech UK", Decimal("1500.00"), dt.date(2021, 7, 15)),
        ("row 8", "Joe Bloggs Plumbing", Decimal("550.00"), dt.date(2021, 7, 14)),
    ]
    assert result.problems == []
    assert result.notes == ["sheet 'Spend Q2'", "header on row 4"]
    assert result.records[0].service_area == "Housing"
    assert result.records[0].description == "Door entry cameras"


def test_companies_house_numbers_and_currency_column(
    write_file: Callable[[str, str | bytes], Path],
) -> None:
    path = write_file(
        "with-numbers.csv",
        "Supplier,Company Number,Amount,Currency,Payment Date\n"
        "Hikvision UK Ltd,1234567,500.00,GBP,2021-04-01\n"
        "Hikvision UK Ltd,1234567,600.00,EUR,2021-04-02\n"
        "Hikvision UK Ltd,1234567,700.00,ZZZ,2021-04-03\n"
        "Hikvision UK Ltd,,800.00 CR,£,01.05.2021\n"
        ",,900.00,GBP,2021-05-02\n",
    )
    result = read_spend_file(path)
    assert [(r.company_number, r.amount, r.currency, r.status) for r in result.records] == [
        ("01234567", Decimal("500.00"), "GBP", "paid"),
        ("01234567", Decimal("600.00"), "EUR", "paid"),
        ("", Decimal("-800.00"), "GBP", "credit"),
    ]
    assert [str(p) for p in result.problems] == [
        "with-numbers.csv line 4: unknown currency 'ZZZ'",
        "with-numbers.csv line 6: no supplier name",
    ]


def test_unmappable_columns_are_refused_with_the_columns_found(
    write_file: Callable[[str, str | bytes], Path],
) -> None:
    path = write_file("odd.csv", "Organisation,When,How much,Who\nBarnet,2021-04-01,5,X\n")
    with pytest.raises(SpendFileError) as error:
        read_spend_file(path)
    assert str(error.value) == (
        "odd.csv: cannot map the columns: no supplier, amount or date columns"
        " (columns found: Organisation, When, How much, Who)"
    )


def test_one_missing_column_is_named(write_file: Callable[[str, str | bytes], Path]) -> None:
    path = write_file("no-date.csv", "Title of file\nSupplier Name,Net Amount,Period\nA,1,Q1\n")
    with pytest.raises(SpendFileError) as error:
        read_spend_file(path)
    assert str(error.value) == (
        "no-date.csv: cannot map the columns: no date column"
        " (columns found: Supplier Name, Net Amount, Period)"
    )


def test_a_damaged_workbook_is_refused(write_file: Callable[[str, str | bytes], Path]) -> None:
    path = write_file("broken.xlsx", b"PK\x03\x04 not really a workbook")
    with pytest.raises(SpendFileError) as error:
        read_spend_file(path)
    assert str(error.value) == "broken.xlsx: not a readable spreadsheet"
    assert error.value.detail  # the library's own words, kept aside for a bug report


def test_redacted_payees_but_not_companies_named_like_them(
    write_file: Callable[[str, str | bytes], Path],
) -> None:
    path = write_file(
        "redactions.csv",
        "Supplier Name,Amount,Date\n"
        "Redacted,600,2021-04-01\n"
        "Personal Information,601,2021-04-01\n"
        "Data Protection Act 2018,602,2021-04-01\n"
        "Private Individual,603,2021-04-01\n"
        "Data Protection Services Ltd,604,2021-04-01\n",
    )
    statuses = [(r.supplier, r.status) for r in read_spend_file(path).records]
    assert statuses == [
        ("Redacted", "redacted"),
        ("Personal Information", "redacted"),
        ("Data Protection Act 2018", "redacted"),
        ("Private Individual", "redacted"),
        ("Data Protection Services Ltd", "paid"),
    ]


# A spreadsheet saved as CSV with merged heading cells: "Payment" spans "Date" and "Amount (£)",
# "Supplier" spans "Name" and "Company No". Windows-1252, a title block, pound signs, a credit in
# brackets, a redacted payee, a quoted description over two lines, and three bad rows.
MERGED = (
    "Testshire County Council\r\n"
    "Expenditure over £500 - April 2023\r\n"
    ",,,,,\r\n"
    "Payment,,Supplier,,Service,Expense\r\n"
    "Date,Amount (£),Name,Company No,Area,Type\r\n"
    '03/04/2023,"£1,250.00",Watchtower Systems Ltd,5550001,Community Safety,CCTV Maintenance\r\n'
    '04/04/2023,(320.10),Watchtower Systems Ltd,5550001,Community Safety,"Credit note\r\nfor April"\r\n'
    "05/04/2023,£980.00,REDACTED,,Adult Social Care,Care Package\r\n"
    "06/04/2023,£nine hundred,Café Bleu Ltd,,Catering,Food\r\n"
    "31/04/2023,£600.00,Café Bleu Ltd,,Catering,Food\r\n"
    "07/04/2023,£700.00,,,Catering,Food\r\n"
    "08/04/2023,£5000.00 ,Road Builders Ltd,,Highways,Resurfacing\r\n"
)


def test_merged_headings_lines_and_bad_rows(write_file: Callable[[str, str | bytes], Path]) -> None:
    result = read_spend_file(write_file("testshire-apr.csv", MERGED.encode("cp1252")))
    assert result.notes == ["read as windows-1252", "header on lines 4 and 5"]
    assert [
        (r.where, r.supplier, r.amount, r.company_number, r.status, r.expense_type)
        for r in result.records
    ] == [
        ("line 6", "Watchtower Systems Ltd", Decimal("1250.00"), "05550001", "paid",
         "CCTV Maintenance"),
        ("line 7", "Watchtower Systems Ltd", Decimal("-320.10"), "05550001", "credit",
         "Credit note for April"),
        ("line 9", "REDACTED", Decimal("980.00"), "", "redacted", "Care Package"),
        ("line 13", "Road Builders Ltd", Decimal("5000.00"), "", "paid", "Resurfacing"),
    ]  # fmt: skip
    assert [str(p) for p in result.problems] == [
        "testshire-apr.csv line 10: amount '£nine hundred' is not a number",
        "testshire-apr.csv line 11: date '31/04/2023' is not a date",
        "testshire-apr.csv line 12: no supplier name",
    ]

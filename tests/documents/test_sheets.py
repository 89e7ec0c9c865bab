"""Spreadsheet helpers: header rows, column names, cell values."""

from __future__ import annotations

import datetime as dt

import pytest

from sightline.documents.sheets import cell_text, column_letters, detect_header, read_workbook


@pytest.mark.parametrize(
    ("index", "letters"), [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA")]
)
def test_column_letters(index: int, letters: str) -> None:
    assert column_letters(index) == letters


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (14.0, "14"),
        (2.5, "2.5"),
        (True, "TRUE"),
        (None, ""),
        (dt.date(2021, 3, 4), "2021-03-04"),
        (dt.datetime(2021, 3, 4, 0, 0), "2021-03-04"),
        (dt.datetime(2021, 3, 4, 9, 30), "2021-03-04 09:30:00"),
        ("  Hikvision ", "Hikvision"),
    ],
)
def test_cell_text(value: object, text: str) -> None:
    assert cell_text(value) == text


def test_header_below_a_title_row() -> None:
    rows = [["Asset register", "", ""], ["Make", "Model", "Site"], ["Hikvision", "DS-1", "Hall"]]
    assert detect_header(rows) == 1


def test_no_header_when_first_rows_are_data() -> None:
    assert detect_header([["Hikvision", "12"], ["Dahua", "4"]]) is None
    assert detect_header([["Make", "Count"]]) is None  # a lone row heads nothing


def test_damaged_workbook_is_unreadable() -> None:
    from sightline.documents.limits import Unreadable

    with pytest.raises(Unreadable, match=r"^damaged spreadsheet: "):
        read_workbook(b"PK\x03\x04 not really a workbook")

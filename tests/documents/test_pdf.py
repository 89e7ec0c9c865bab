"""PDF reader details, in-process."""

from __future__ import annotations

import time

import pytest

from sightline.documents.limits import Limits, Unreadable
from sightline.documents.pdf import TablesTimeout, _with_time_limit, read_pdf, tidy_page_text


def test_table_step_is_interrupted_by_its_time_budget() -> None:
    def slow() -> dict[int, list[list[list[str]]]]:
        time.sleep(30)
        return {}

    with pytest.raises(TablesTimeout, match=r"^stopped after 0 s to keep within the time limit$"):
        _with_time_limit(0.2, slow)


def test_tidy_page_text() -> None:
    assert tidy_page_text("a  \r\nb\x02\r\n\r\n") == "a\nb"


def test_split_hands_later_pages_to_others(make) -> None:
    data = make.text_pdf([[f"p{n}"] for n in range(1, 21)])
    handed: list[list[tuple[int, int]]] = []
    document = read_pdf(data, Limits(), split=handed.append, workers=2)
    assert handed == [[(10, 20)]]
    assert [b.text for b in document.blocks] == [f"p{n}" for n in range(1, 11)]
    rest = read_pdf(data, Limits(), pages=(10, 20))
    assert [str(b.location) for b in rest.blocks] == [f"page {n}" for n in range(11, 21)]


def test_short_pdf_is_not_split(make) -> None:
    handed: list[list[tuple[int, int]]] = []
    read_pdf(make.text_pdf([["a"]] * 10), Limits(), split=handed.append, workers=2)
    assert handed == []


def test_not_a_pdf_at_all() -> None:
    with pytest.raises(Unreadable, match=r"^corrupt PDF: PDFium could not parse its structure$"):
        read_pdf(b"%PDF-1.4\nnothing else", Limits())


def test_long_scan_is_cut_into_slices_even_without_idle_workers(make, monkeypatch) -> None:
    from sightline.documents import pdf

    monkeypatch.setattr(pdf, "OCR_SLICE", 2)
    monkeypatch.setattr(pdf, "_ocr_page", lambda page, dpi, limits: "recognised")
    handed: list[list[tuple[int, int]]] = []
    document = read_pdf(make.scanned_pdf(pages=5), Limits(), split=handed.append, workers=1)
    assert handed == [[(2, 4), (4, 5)]]
    assert [(str(b.location), b.text, b.ocr) for b in document.blocks] == [
        ("page 1", "recognised", True),
        ("page 2", "recognised", True),
    ]

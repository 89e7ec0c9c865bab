"""Scanned letters and images read by tesseract (only pages without a text layer)."""

from __future__ import annotations

import io

import pytest

from sightline.documents import Limits, read_bytes, read_message

pytestmark = pytest.mark.ocr


def test_scanned_pdf_recovers_vendors_and_numbers(make) -> None:
    document = read_bytes(make.scanned_pdf(), "scan.pdf", cache=False)
    [block] = document.blocks
    assert str(block.location) == "page 1"
    assert block.ocr is True
    lines = [line for line in block.text.split("\n") if line]
    assert "The Council owns 1,790 Hikvision cameras" in lines
    assert "and 12 Dahua recorders across 3 depots." in lines
    assert "Freedom of Information request FOI-2021-0457" in lines
    assert document.errors == []


def test_ocr_only_where_there_is_no_text_layer(make) -> None:
    """A text page beside a scanned page: PDFium's text for one, OCR for the other."""
    import pypdfium2 as pdfium

    merged = pdfium.PdfDocument.new()
    merged.import_pages(pdfium.PdfDocument(make.text_pdf([["Typed cover letter"]])))
    merged.import_pages(pdfium.PdfDocument(make.scanned_pdf()))
    buffer = io.BytesIO()
    merged.save(buffer)
    document = read_bytes(buffer.getvalue(), "mixed.pdf", cache=False)
    assert [(str(b.location), b.ocr) for b in document.blocks] == [
        ("page 1", False),
        ("page 2", True),
    ]
    assert document.blocks[0].text == "Typed cover letter"
    assert "1,790 Hikvision" in document.blocks[1].text


def test_ocr_can_be_turned_off(make) -> None:
    document = read_bytes(make.scanned_pdf(), "scan.pdf", cache=False, limits=Limits(ocr=False))
    assert document.blocks == []
    assert document.errors == []


def test_image_attachment_is_read_by_ocr(make) -> None:
    buffer = io.BytesIO()
    make.letter_image().save(buffer, "PNG")
    raw = make.plain_email(
        "Photo of our reply attached.", [("reply.png", "image/png", buffer.getvalue())]
    )
    document = read_message(raw, cache=False)
    assert [str(b.location) for b in document.blocks] == ["body", "reply.png"]
    assert document.blocks[1].ocr is True
    assert "12 Dahua recorders" in document.blocks[1].text


def test_scanned_pages_are_shared_between_workers(make, monkeypatch) -> None:
    """Each scanned page becomes its own task so both cores recognise pages at once."""
    monkeypatch.setenv("SIGHTLINE_WORKERS", "2")
    document = read_bytes(make.scanned_pdf(pages=3), "scan.pdf", cache=False)
    assert [str(b.location) for b in document.blocks] == ["page 1", "page 2", "page 3"]
    assert all("Hikvision" in b.text for b in document.blocks)


def test_scan_pasted_into_word_is_read_by_ocr(make, tmp_path) -> None:
    import docx

    picture = tmp_path / "scan.png"
    make.letter_image().save(picture)
    word = docx.Document()
    word.add_picture(str(picture))
    buffer = io.BytesIO()
    word.save(buffer)
    document = read_bytes(buffer.getvalue(), "letter.docx", cache=False)
    assert [str(b.location) for b in document.blocks] == ["media/image1.png"]
    assert "1,790 Hikvision" in document.blocks[0].text

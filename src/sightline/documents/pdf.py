"""PDF pages to located text: PDFium for the text layer, pdfplumber for ruled tables, tesseract for
pages that carry no text layer (scans).

PDFium is an order of magnitude faster than pdfminer-based extraction, so it reads every page;
pdfplumber (slow, but it finds table cells from ruling lines) only sees pages that draw lines.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from sightline.documents.limits import Limits, Unreadable
from sightline.documents.model import Block, Cell, Document, Location, ReadError, Table

PageRange = tuple[int, int]  # 0-based, end exclusive
MIN_SLICE = 8  # text pages are ~1 ms each: fewer than this per worker is not worth a second process

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_LOAD_ERRORS = {
    pdfium_c.FPDF_ERR_PASSWORD: "encrypted PDF: it cannot be opened without the password",
    pdfium_c.FPDF_ERR_SECURITY: "encrypted PDF: it uses an unsupported security handler",
    pdfium_c.FPDF_ERR_FORMAT: "corrupt PDF: PDFium could not parse its structure",
    pdfium_c.FPDF_ERR_FILE: "corrupt PDF: PDFium could not read it",
}


def tidy_page_text(text: str) -> str:
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def open_pdf(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        code = getattr(error, "err_code", None)
        message = _LOAD_ERRORS.get(code) if code is not None else None
        raise Unreadable(message or f"corrupt PDF: {error}") from error


def _page_drawing(page: pdfium.PdfPage) -> tuple[bool, bool]:
    """(draws ruling lines that may make a table, holds an image) for one page."""
    horizontal = vertical = boxes = 0
    has_image = False
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_IMAGE)):
        if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            has_image = True
            continue
        left, bottom, right, top = obj.get_bounds()
        width, height = right - left, top - bottom
        if height <= 3 and width >= 8:
            horizontal += 1
        elif width <= 3 and height >= 8:
            vertical += 1
        elif width >= 8 and height >= 8:
            # a cell drawn as a rectangle, or a whole grid drawn as one path of many segments
            segments = pdfium_c.FPDFPath_CountSegments(obj.raw)
            boxes += 4 if segments >= 10 else 1
    ruled = (horizontal >= 2 and vertical >= 2) or boxes >= 3
    return ruled, has_image


def _ocr_page(page: pdfium.PdfPage, limits: Limits) -> str:
    from sightline.documents.ocr import recognise

    width, height = page.get_size()
    scale = min(limits.ocr_dpi / 72, 6000 / max(width, height, 1))  # cap huge pages' bitmaps
    image = page.render(scale=scale, grayscale=True).to_pil()
    return recognise(image, limits)


def _tables(data: bytes, page_numbers: list[int]) -> dict[int, list[list[list[str]]]]:
    """Tables (rows of cell texts) found by pdfplumber on the given 1-based pages."""
    import pdfplumber

    found: dict[int, list[list[list[str]]]] = {}
    with pdfplumber.open(io.BytesIO(data), pages=page_numbers) as plumber:
        for page in plumber.pages:
            for table in page.extract_tables():
                rows = [
                    [tidy_page_text(cell or "").replace("\n", " ") for cell in row] for row in table
                ]
                rows = [row for row in rows if any(row)]
                if len(rows) >= 2 and max(len(row) for row in rows) >= 2:
                    found.setdefault(page.page_number, []).append(rows)
    return found


def read_pdf(
    data: bytes,
    limits: Limits,
    pages: PageRange | None = None,
    split: Callable[[list[PageRange]], None] | None = None,
    workers: int = 1,
) -> Document:
    """Read ``pages`` of a PDF (all when None). When reading all of a long PDF and ``split`` is
    given, hand the later slices of pages to ``split`` (other workers) and read only the first."""
    pdf = open_pdf(data)
    document = Document(source="", kind="pdf")
    try:
        count = len(pdf)
        readable = min(count, limits.pages)
        if pages is None:
            if readable < count:
                document.errors.append(
                    ReadError(
                        Location(),
                        f"the PDF has {count} pages; only the first {readable} were read "
                        f"(page limit {limits.pages})",
                    )
                )
            pages = (0, readable)
            if split is not None and workers > 1 and readable > 1:
                first = pdf[0]
                scanned = not tidy_page_text(first.get_textpage().get_text_range())
                size = 1 if scanned and limits.ocr else max(MIN_SLICE, -(-readable // workers))
                slices = [(s, min(s + size, readable)) for s in range(0, readable, size)]
                if len(slices) > 1:
                    split(slices[1:])
                    pages = slices[0]
        ruled: list[int] = []
        for index in range(*pages):
            page = pdf[index]
            text = tidy_page_text(page.get_textpage().get_text_range())
            is_ruled, has_image = _page_drawing(page)
            if is_ruled and text:
                ruled.append(index + 1)
            ocr = False
            if not text and has_image and limits.ocr:
                try:
                    text = tidy_page_text(_ocr_page(page, limits))
                except Unreadable as error:
                    document.errors.append(ReadError(Location(page=index + 1), str(error)))
                ocr = True
            if text:
                document.blocks.append(Block(text, Location(page=index + 1), ocr=ocr))
        if ruled:
            try:
                found = _tables(data, ruled)
            except Exception as error:  # the text is already read; say why tables are not
                document.errors.append(
                    ReadError(
                        Location(), f"tables could not be read: {type(error).__name__}: {error}"
                    )
                )
                found = {}
            for page_number in sorted(found):
                for number, rows in enumerate(found[page_number], start=1):
                    document.tables.append(_located_table(rows, page_number, number))
    finally:
        pdf.close()
    return document


def _located_table(rows: list[list[str]], page: int, table_number: int) -> Table:
    """Tables are numbered within their page ("page 2 table 1 row 3"): a slice of pages read by
    another worker needs no count of the tables before it."""
    from sightline.documents.sheets import detect_header

    location = Location(page=page, table=table_number)
    table = Table(location=location)
    for row_number, row in enumerate(rows, start=1):
        table.rows.append(
            [
                Cell(text, Location(page=page, table=table_number, row=row_number, column=col))
                for col, text in enumerate(row, start=1)
                if text
            ]
        )
    table.header = detect_header(rows)
    return table

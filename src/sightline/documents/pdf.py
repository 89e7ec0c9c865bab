"""PDF pages to located text: PDFium for the text layer, pdfplumber for ruled tables, tesseract for
pages that carry no text layer (scans).

PDFium is an order of magnitude faster than pdfminer-based extraction, so it reads every page;
pdfplumber (slow, but it finds table cells from ruling lines) only sees pages that draw lines.
"""

from __future__ import annotations

import ctypes
import io
import re
import signal
import threading
import time
from collections.abc import Callable

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from sightline.documents.limits import Limits, Unreadable
from sightline.documents.model import Block, Cell, Document, Location, ReadError, Table

PageRange = tuple[int, int]  # 0-based, end exclusive
MIN_SLICE = 8  # text pages are ~1 ms each: fewer than this per worker is not worth a second process
OCR_SLICE = 8  # scanned pages are seconds each: at most this many per task (time limit per task)

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
        raise Unreadable(message or "corrupt PDF: it cannot be opened", detail=str(error)) from None


def _is_ruled(page: pdfium.PdfPage) -> bool:
    """Whether a page draws lines that may make a table (then pdfplumber looks for one).

    Walks the page's top-level objects through the raw API: wrapping each of a page's thousands
    of text objects in a Python object would cost more than reading the page's text.
    """
    horizontal = vertical = boxes = 0
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    raw_page = page.raw
    for index in range(pdfium_c.FPDFPage_CountObjects(raw_page)):
        obj = pdfium_c.FPDFPage_GetObject(raw_page, index)
        if pdfium_c.FPDFPageObj_GetType(obj) != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
        width, height = right.value - left.value, top.value - bottom.value
        if height <= 3 and width >= 8:
            horizontal += 1
        elif width <= 3 and height >= 8:
            vertical += 1
        elif width >= 8 and height >= 8:
            # a cell drawn as a rectangle, or a whole grid drawn as one path of many segments
            boxes += 4 if pdfium_c.FPDFPath_CountSegments(obj) >= 10 else 1
    return (horizontal >= 2 and vertical >= 2) or boxes >= 3


def _scan_dpi(page: pdfium.PdfPage) -> float | None:
    """The resolution of the largest picture on a page (or a form on it), None when it has none.

    A scan is recognised at its own resolution: rendering a 200 dpi scan at 300 dpi invents no
    detail and makes tesseract slower.
    """
    best: tuple[float, float] | None = None  # (area on the page, dots per inch)
    for image in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,)):
        assert isinstance(image, pdfium.PdfImage)
        left, bottom, right, top = image.get_bounds()
        width_px, _height_px = image.get_px_size()
        area = (right - left) * (top - bottom)
        if right - left > 1 and (best is None or area > best[0]):
            best = (area, width_px / ((right - left) / 72))
    return best[1] if best else None


def _ocr_page(page: pdfium.PdfPage, dpi: float, limits: Limits) -> str:
    from sightline.documents.ocr import recognise

    width, height = page.get_size()
    # at least 200 dpi (tesseract wants tall enough letters), at most the configured resolution
    dpi = min(float(limits.ocr_dpi), max(200.0, dpi))
    scale = min(dpi / 72, 6000 / max(width, height, 1))  # cap huge pages' bitmaps
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
    started = time.monotonic()
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
            if split is not None and readable > 1:
                first = pdf[0]
                scanned = limits.ocr and not tidy_page_text(first.get_textpage().get_text_range())
                if scanned:
                    # seconds of OCR per page: a page per idle worker, and even with none idle a
                    # long scan is cut into slices that each get the whole time limit
                    size = 1 if workers > 1 else OCR_SLICE
                elif workers > 1 and readable >= 2 * MIN_SLICE:
                    size = max(MIN_SLICE, -(-readable // workers))
                else:
                    size = readable
                slices = [(s, min(s + size, readable)) for s in range(0, readable, size)]
                if len(slices) > 1:
                    split(slices[1:])
                    pages = slices[0]
        ruled: list[int] = []
        for index in range(*pages):
            page = pdf[index]
            text = tidy_page_text(page.get_textpage().get_text_range())
            if text and _is_ruled(page):
                ruled.append(index + 1)
            ocr = False
            dpi = _scan_dpi(page) if not text and limits.ocr else None
            if dpi is not None:
                try:
                    text = tidy_page_text(_ocr_page(page, dpi, limits))
                except Unreadable as error:
                    document.errors.append(ReadError(Location(page=index + 1), str(error)))
                ocr = True
            if text:
                document.blocks.append(Block(text, Location(page=index + 1), ocr=ocr))
        if ruled:
            # pdfplumber is slow on big pages: it gets what is left of the time limit, so that
            # running out loses the tables but never the text already read
            remaining = limits.seconds * 0.9 - (time.monotonic() - started)
            try:
                found = _with_time_limit(remaining, lambda: _tables(data, ruled))
            except Exception as error:  # the text is already read; say why tables are not
                document.errors.append(
                    ReadError(
                        Location(),
                        f"tables could not be read: {error}"  # Sightline's own words
                        if isinstance(error, TablesTimeout)
                        else "tables could not be read (the page layout is unusual)",
                    )
                )
                found = {}
            for page_number in sorted(found):
                for number, rows in enumerate(found[page_number], start=1):
                    document.tables.append(_located_table(rows, page_number, number))
    finally:
        pdf.close()
    return document


class TablesTimeout(Exception):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"stopped after {max(seconds, 0):.0f} s to keep within the time limit")


def _with_time_limit(
    seconds: float, work: Callable[[], dict[int, list[list[list[str]]]]]
) -> dict[int, list[list[list[str]]]]:
    """``work()``, interrupted by SIGALRM after ``seconds`` (main thread of a worker only)."""
    if seconds <= 0:
        raise TablesTimeout(0)
    if threading.current_thread() is not threading.main_thread():
        return work()

    def alarm(signum: int, frame: object) -> None:
        raise TablesTimeout(seconds)

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return work()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


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

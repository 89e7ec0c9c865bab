"""Pages per second reading PDFs: Sightline against pdfplumber and bare pypdfium2, same run.

    .venv/bin/python benchmarks/documents.py [--runs 5] [--ocr-runs 2]

Generates (in a temporary folder) 200 text-PDF pages as 10 letters of 20 pages (and again as one
200-page file), and 20 scanned pages as 5 letters of 4 pages (a letter rendered with Pillow and wrapped as an image-only PDF).
Sightline reads with its worker pool (warm: the pool is started before timing) and no cache.
Prints the median of several runs for each reader and the ratios.
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
WORDS = [
    "camera",
    "recorder",
    "Hikvision",
    "Dahua",
    "council",
    "depot",
    "network",
    "installed",
    "maintained",
    "contract",
    "register",
    "asset",
    "school",
    "library",
    "car",
    "park",
    "town",
    "hall",
    "CCTV",
    "footage",
    "retention",
    "policy",
    "request",
]


def make_text_pdfs(folder: Path, files: int = 10, pages: int = 20) -> list[Path]:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    paths = []
    for number in range(files):
        buffer = io.BytesIO()
        pdf = canvas.Canvas(buffer, pagesize=A4)
        for page in range(pages):
            y = 800
            for line in range(45):  # a full page of prose, like a real letter or report
                words = [WORDS[(number + page * 7 + line * 3 + i) % len(WORDS)] for i in range(12)]
                pdf.drawString(60, y, f"{line + 1}. " + " ".join(words) + f" {page * 100 + line}")
                y -= 17
            pdf.showPage()
        pdf.save()
        path = folder / f"letter{number:02}.pdf"
        path.write_bytes(buffer.getvalue())
        paths.append(path)
    return paths


def make_scanned_pdfs(folder: Path, files: int = 5, pages: int = 4) -> list[Path]:
    from PIL import Image, ImageDraw, ImageFont

    dpi = 200
    font = ImageFont.truetype(FONT, size=int(dpi * 0.14))
    paths = []
    for number in range(files):
        images = []
        for page in range(pages):
            image = Image.new("L", (int(8.27 * dpi), int(11.69 * dpi)), 255)
            draw = ImageDraw.Draw(image)
            for line in range(30):
                words = [WORDS[(number + page + line * 5 + i) % len(WORDS)] for i in range(8)]
                y = int(dpi * 0.8) + line * int(dpi * 0.3)
                draw.text((int(dpi * 0.8), y), " ".join(words) + f" {line * 17}", fill=0, font=font)
            images.append(image)
        path = folder / f"scan{number:02}.pdf"
        images[0].save(path, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
        paths.append(path)
    return paths


def bare_pypdfium2(paths: list[Path]) -> int:
    import pypdfium2 as pdfium

    pages = 0
    for path in paths:
        pdf = pdfium.PdfDocument(path.read_bytes())
        for page in pdf:
            page.get_textpage().get_text_range()
            pages += 1
        pdf.close()
    return pages


def plain_pdfplumber(paths: list[Path]) -> int:
    import pdfplumber

    pages = 0
    for path in paths:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                pages += 1
    return pages


def sightline(paths: list[Path], ocr: bool = True) -> int:
    from sightline.documents import Limits, read_files

    documents = read_files(paths, cache=False, limits=Limits(ocr=ocr))
    for document in documents:
        assert not document.errors, document.errors
    return sum(len({b.location.page for b in d.blocks}) for d in documents)


def median_rates(
    readers: dict[str, tuple[Callable[[list[Path]], int], list[Path]]], runs: int
) -> dict[str, float]:
    """Median pages/s of each reader; runs interleave the readers (rotating who goes first) so
    that other load on a shared machine falls on all of them alike."""
    rates: dict[str, list[float]] = {name: [] for name in readers}
    names = list(readers)
    for run in range(runs):
        for name in names[run % len(names) :] + names[: run % len(names)]:
            read, paths = readers[name]
            started = time.perf_counter()
            pages = read(paths)
            rates[name].append(pages / (time.perf_counter() - started))
    return {name: statistics.median(values) for name, values in rates.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--ocr-runs", type=int, default=2)
    arguments = parser.parse_args()
    from sightline.documents.sandbox import worker_count

    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        text = make_text_pdfs(folder)
        scans = make_scanned_pdfs(folder)
        sightline(text[:1])  # start the worker pool before timing
        print(f"workers: {worker_count()}; text pages: 200 in {len(text)} files; scanned: 20")
        rates = median_rates(
            {"sightline": (sightline, text), "pypdfium2": (bare_pypdfium2, text)}, arguments.runs
        )
        # pdfplumber is ~100 times slower: time it on 40 of the pages, once per two runs
        plumber = median_rates(
            {"pdfplumber": (plain_pdfplumber, text[:2])}, max(1, arguments.runs // 2)
        )["pdfplumber"]
        ours, bare = rates["sightline"], rates["pypdfium2"]
        print(
            f"text PDF pages/s (median of {arguments.runs}): sightline {ours:.0f}, "
            f"bare pypdfium2 {bare:.0f}, pdfplumber extract_text {plumber:.1f}"
        )
        print(
            f"ratios: sightline / pdfplumber = {ours / plumber:.1f}x; "
            f"bare pypdfium2 / sightline = {bare / ours:.2f}x (aim <= 1.5)"
        )
        # one long file: the workers share its pages instead of taking whole files
        (folder / "long").mkdir()
        long = make_text_pdfs(folder / "long", files=1, pages=200)
        single = median_rates(
            {"sightline": (sightline, long), "pypdfium2": (bare_pypdfium2, long)}, arguments.runs
        )
        print(
            f"one 200-page PDF pages/s (median of {arguments.runs}): "
            f"sightline {single['sightline']:.0f}, bare pypdfium2 {single['pypdfium2']:.0f}; "
            f"bare / sightline = {single['pypdfium2'] / single['sightline']:.2f}x"
        )
        ocr = median_rates({"ocr": (sightline, scans)}, arguments.ocr_runs)["ocr"]
        print(f"scanned PDF pages/s with OCR (median of {arguments.ocr_runs}): sightline {ocr:.2f}")


if __name__ == "__main__":
    main()

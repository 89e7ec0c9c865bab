"""Documents the simulated authorities attach: a typed PDF letter, a scanned letter and an asset
register. Written with the standard library, Pillow and openpyxl so the demo needs no tools of
its own beyond tesseract for the scan.
"""

from __future__ import annotations

import io
import textwrap
import zlib

from PIL import Image, ImageDraw, ImageFont

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in PDF points


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def text_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with ``lines`` in Helvetica, as an office letter printed to PDF."""
    wrapped = [part for line in lines for part in (textwrap.wrap(line, 90) or [""])]
    commands = ["BT", "/F1 11 Tf", "14 TL", f"56 {PAGE_HEIGHT - 72} Td"]
    commands += [f"({_escape(line)}) Tj T*" for line in wrapped]
    commands.append("ET")
    stream = zlib.compress("\n".join(commands).encode("latin-1", "replace"))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
            "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"
        ).encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def scanned_pdf(lines: list[str]) -> bytes:
    """A letter as a scanner makes it: the page is only an image, with no text layer."""
    scale = 200 / 72  # 200 dots per inch
    image = Image.new("L", (int(PAGE_WIDTH * scale), int(PAGE_HEIGHT * scale)), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=30)
    y = 160
    for line in lines:
        for part in textwrap.wrap(line, 70) or [""]:
            draw.text((150, y), part, fill=0, font=font)
            y += 44
    image = image.rotate(0.4, fillcolor=255)  # a scan is never quite straight
    out = io.BytesIO()
    image.save(out, "PDF", resolution=200)
    return out.getvalue()


def asset_register_xlsx(rows: list[tuple[str, str, str, str]], hidden_notes: str = "") -> bytes:
    """A camera asset register: a title block, a header row, then one row per device."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Assets"
    sheet.append(["CCTV asset register"])
    sheet.append([])
    sheet.append(["Asset ID", "Location", "Make", "Type"])
    for row in rows:
        sheet.append(list(row))
    if hidden_notes:
        notes = workbook.create_sheet("Notes")
        notes.append([hidden_notes])
        notes.sheet_state = "hidden"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

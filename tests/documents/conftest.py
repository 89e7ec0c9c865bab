"""Fixture files for the document readers, made here rather than committed.

Also a minimal writer of OLE compound files ([MS-CFB] version 3) to make Outlook .msg files, since
no Python library writes them: ``compound_file`` lays out a FAT, a mini stream for the small
streams, and a directory whose siblings form a sorted right-leaning chain.
"""

from __future__ import annotations

import io
import struct
import zipfile
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

LETTER_LINES = [
    "Westminster City Council",
    "Freedom of Information request FOI-2021-0457",
    "Dear Requester,",
    "The Council owns 1,790 Hikvision cameras",
    "and 12 Dahua recorders across 3 depots.",
    "Yours sincerely, Information Governance",
]


@pytest.fixture(autouse=True)
def _private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Caches go to a folder of the test's own, never to ./sightline-data."""
    monkeypatch.setenv("SIGHTLINE_HOME", str(tmp_path / "home"))


# -- PDF ------------------------------------------------------------------------------------------


def text_pdf(pages: list[list[str]], password: str | None = None) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    encrypt = StandardEncryption(password, ownerPassword="owner") if password else None
    pdf = canvas.Canvas(buffer, pagesize=A4, encrypt=encrypt)
    for lines in pages:
        y = 800
        for line in lines:
            pdf.drawString(72, y, line)
            y -= 16
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def table_pdf() -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4)
    table = Table(
        [["Vendor", "Device", "Count"], ["Hikvision", "Camera", "1790"], ["Dahua", "NVR", "12"]]
    )
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    style = getSampleStyleSheet()["Normal"]
    document.build([Paragraph("CCTV asset summary", style), table])
    return buffer.getvalue()


def letter_image(lines: list[str] = LETTER_LINES, dpi: int = 200) -> Any:
    from PIL import Image, ImageDraw, ImageFont

    width, height = int(8.27 * dpi), int(11.69 * dpi)  # A4
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    step = min(int(dpi * 0.32), (height - int(dpi * 1.5)) // max(len(lines), 1))
    font = ImageFont.truetype(str(FONT), size=min(int(dpi * 0.17), int(step * 0.8)))
    y = int(dpi * 1.2)
    for line in lines:
        draw.text((int(dpi * 0.9), y), line, fill=0, font=font)
        y += step
    return image


def dense_scan_png() -> bytes:
    """A page crammed with small print: seconds of OCR on any machine (for time-limit tests)."""
    lines = [
        f"Line {n}: camera {n * 7} Hikvision DS-2CD{n:04} at depot {n % 9}" for n in range(110)
    ]
    image = letter_image(lines, dpi=300)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def dense_scan_pdf(pages: int) -> bytes:
    lines = [
        f"Line {n}: camera {n * 7} Hikvision DS-2CD{n:04} at depot {n % 9}" for n in range(110)
    ]
    images = [letter_image(lines, dpi=300) for _ in range(pages)]
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", resolution=300, save_all=True, append_images=images[1:])
    return buffer.getvalue()


def scanned_pdf(pages: int = 1) -> bytes:
    """A letter rendered to a picture and wrapped as a PDF with no text layer (Pillow's writer)."""
    images = [letter_image() for _ in range(pages)]
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", resolution=200, save_all=True, append_images=images[1:])
    return buffer.getvalue()


# -- Office ---------------------------------------------------------------------------------------


def word_file() -> bytes:
    import docx

    word = docx.Document()
    word.add_paragraph("Dear Requester,")
    word.add_paragraph("")
    word.add_paragraph("Please find our CCTV equipment below.")
    table = word.add_table(rows=3, cols=2)
    for row, (vendor, count) in enumerate(
        [("Vendor", "Cameras"), ("Hikvision", "40"), ("Axis", "7")]
    ):
        table.cell(row, 0).text = vendor
        table.cell(row, 1).text = count
    word.add_paragraph("We do not use facial recognition.")
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def register_xlsx() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    assets = book.active
    assets.title = "Assets"
    assets["A1"] = "CCTV asset register 2021"
    assets.append([])
    assets.append(["Make", "Model", "Site", "Installed"])  # row 3
    assets.append(["Hikvision", "DS-2CD2142", "Town Hall", 2017])
    assets.append([])  # blank row 5
    assets.append(["Dahua", "IPC-HDW", "Depot", 2019.0])
    assets.append(["Hikvision", "DS-7608", "Depot", 2020])
    old = book.create_sheet("Disposed")
    old.append(["Make", "Count"])
    old.append(["Hikvision", 3])
    old.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sheet_ods() -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style, TableProperties
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    hidden = Style(name="hiddentable", family="table")
    hidden.addElement(TableProperties(display="false"))
    document.automaticstyles.addElement(hidden)
    sheets = [
        (Table(name="Cameras"), [["Vendor", "Count"], ["Hikvision", "25"], ["Uniview", "4"]]),
        (Table(name="Lists", stylename=hidden), [["Dahua"]]),
    ]
    for sheet, rows in sheets:
        for values in rows:
            row = TableRow()
            for value in values:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=value))
                row.addElement(cell)
            sheet.addElement(row)
        document.spreadsheet.addElement(sheet)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


# -- Outlook .msg via a minimal compound-file writer --------------------------------------------

_FREE, _END, _FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
_NOSTREAM = 0xFFFFFFFF
_SECTOR, _MINI, _CUTOFF = 512, 64, 4096


def compound_file(tree: dict[str, Any]) -> bytes:
    """An OLE compound file holding ``tree`` (name -> bytes for a stream, dict for a storage)."""
    entries: list[dict[str, Any]] = [{"name": "Root Entry", "type": 5, "kids": tree}]
    index = 0
    while index < len(entries):  # breadth-first: give every entry its directory number
        entry = entries[index]
        if entry["type"] in (1, 5):
            names = sorted(entry["kids"], key=lambda n: (len(n), n.upper()))
            first = len(entries)
            for name in names:
                value = entry["kids"][name]
                kind = 1 if isinstance(value, dict) else 2
                entries.append({"name": name, "type": kind, "kids": value, "right": _NOSTREAM})
            entry["child"] = first if names else _NOSTREAM
            for position in range(first, len(entries) - 1):
                entries[position]["right"] = position + 1
        index += 1

    mini = bytearray()
    big: list[tuple[dict[str, Any], bytes]] = []
    for entry in entries:
        if entry["type"] != 2:
            continue
        data = entry["kids"]
        entry["size"] = len(data)
        if len(data) < _CUTOFF:
            entry["start"] = len(mini) // _MINI if data else _END
            mini += data + b"\0" * (-len(data) % _MINI)
        else:
            big.append((entry, data))

    sectors: list[bytes] = []
    fat: list[int] = []

    def place(data: bytes) -> int:
        count = max(1, -(-len(data) // _SECTOR))
        start = len(sectors)
        padded = data + b"\0" * (count * _SECTOR - len(data))
        for i in range(count):
            sectors.append(padded[i * _SECTOR : (i + 1) * _SECTOR])
            fat.append(start + i + 1 if i < count - 1 else _END)
        return start

    for entry, data in big:
        entry["start"] = place(data)
    root = entries[0]
    root["start"], root["size"] = (place(bytes(mini)), len(mini)) if mini else (_END, 0)
    minifat = [
        entry["start"] + i + 1 if i < -(-entry["size"] // _MINI) - 1 else _END
        for entry in entries
        if entry["type"] == 2 and 0 < entry["size"] < _CUTOFF
        for i in range(-(-entry["size"] // _MINI))
    ]
    first_minifat = place(struct.pack(f"<{len(minifat)}I", *minifat)) if minifat else _END
    minifat_sectors = -(-len(minifat) * 4 // _SECTOR) if minifat else 0

    directory = bytearray()
    for entry in entries:
        name = entry["name"].encode("utf-16-le") + b"\0\0"
        directory += struct.pack(
            "<64sHBBIII16sIQQIQ",
            name,
            len(name),
            entry["type"],
            1,
            _NOSTREAM,
            entry.get("right", _NOSTREAM),
            entry.get("child", _NOSTREAM),
            b"\0" * 16,
            0,
            0,
            0,
            entry.get("start", 0) if entry["type"] != 1 else 0,
            entry.get("size", 0),
        )
    directory += b"\0" * (-len(directory) % _SECTOR)
    first_directory = place(bytes(directory))

    fat_count = 1
    while (len(sectors) + fat_count) > fat_count * (_SECTOR // 4):
        fat_count += 1
    assert fat_count <= 109, "fixture too large for a header-only DIFAT"
    fat_sectors = list(range(len(sectors), len(sectors) + fat_count))
    fat += [_FATSECT] * fat_count
    fat += [_FREE] * (fat_count * (_SECTOR // 4) - len(fat))
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    for i in range(fat_count):
        sectors.append(fat_bytes[i * _SECTOR : (i + 1) * _SECTOR])

    difat = fat_sectors + [_FREE] * (109 - fat_count)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII109I",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"\0" * 16,
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"\0" * 6,
        0,
        fat_count,
        first_directory,
        0,
        _CUTOFF,
        first_minifat,
        minifat_sectors,
        _END,
        0,
        *difat,
    )
    return header + b"".join(sectors)


def _properties(header: bytes, props: list[tuple[int, int, bytes | int]]) -> dict[str, Any]:
    """A property stream plus the substreams of its variable-length values ([MS-OXMSG] 2.4)."""
    stream = bytearray(header)
    substreams: dict[str, Any] = {}
    for pid, ptyp, value in props:
        tag = (pid << 16) | ptyp
        if isinstance(value, int):
            stream += struct.pack("<IIIi", tag, 6, value, 0)
        else:
            stream += struct.pack("<IIII", tag, 6, len(value), 0)
            substreams[f"__substg1.0_{tag:08X}"] = value
    substreams["__properties_version1.0"] = bytes(stream)
    return substreams


def outlook_msg(
    subject: str,
    body: str,
    attachments: list[tuple[str, bytes]],
    rtf: bytes | None = None,
    embedded: tuple[str, str, list[tuple[str, bytes]]] | None = None,
    html: tuple[bytes, int] | None = None,
) -> bytes:
    """A .msg; with ``rtf`` the body is stored only as RTF ("MELA": the uncompressed form of
    [MS-OXRTFCP] 2.1.3.1), as Outlook often does."""

    def text(value: str) -> bytes:
        return value.encode("utf-16-le")

    props: list[tuple[int, int, bytes | int]] = [
        (0x001A, 0x001F, text("IPM.Note")),
        (0x0037, 0x001F, text(subject)),
        (0x0C1A, 0x001F, text("Information Governance")),
        (0x0C1F, 0x001F, text("foi@example-council.gov.uk")),
    ]
    if html is not None:  # PidTagHtml bytes in PidTagInternetCodepage ([MS-OXPROPS])
        props.append((0x1013, 0x0102, html[0]))
        props.append((0x3FDE, 0x0003, html[1]))
    elif rtf is None:
        props.append((0x1000, 0x001F, text(body)))
    else:
        header = struct.pack("<IIII", len(rtf) + 12, len(rtf), 0x414C454D, 0)
        props.append((0x1009, 0x0102, header + rtf))
    tree = _properties(struct.pack("<8xIIII8x", 0, len(attachments), 0, len(attachments)), props)
    for number, (name, data) in enumerate(attachments):
        tree[f"__attach_version1.0_#{number:08X}"] = _properties(
            b"\0" * 8,
            [(0x3705, 0x0003, 1), (0x3707, 0x001F, text(name)), (0x3701, 0x0102, data)],
        )
    if embedded is not None:  # an Outlook item attached by embedding (attach method 5)
        inner_subject, inner_body, inner_attachments = embedded
        message = _properties(
            struct.pack("<8xIIII", 0, len(inner_attachments), 0, len(inner_attachments)),
            [(0x0037, 0x001F, text(inner_subject)), (0x1000, 0x001F, text(inner_body))],
        )
        for number, (name, data) in enumerate(inner_attachments):
            message[f"__attach_version1.0_#{number:08X}"] = _properties(
                b"\0" * 8,
                [(0x3705, 0x0003, 1), (0x3707, 0x001F, text(name)), (0x3701, 0x0102, data)],
            )
        slot = f"__attach_version1.0_#{len(attachments):08X}"
        tree[slot] = _properties(b"\0" * 8, [(0x3705, 0x0003, 5)])
        tree[slot]["__substg1.0_3701000D"] = message
    return compound_file(tree)


def winmail_dat(body: str, attachments: list[tuple[str, bytes]]) -> bytes:
    """A TNEF stream ([MS-OXTNEF]) with a text body and attachments, as Outlook sends it."""

    def attribute(level: int, tag: int, value: bytes) -> bytes:
        checksum = sum(value) & 0xFFFF
        return struct.pack("<BII", level, tag, len(value)) + value + struct.pack("<H", checksum)

    out = b"\x78\x9f\x3e\x22" + struct.pack("<H", 0x0101)
    out += attribute(1, 0x00089006, struct.pack("<I", 0x00010000))  # attTnefVersion
    out += attribute(1, 0x0001800C, body.encode("cp1252") + b"\0")
    for name, data in attachments:
        out += attribute(2, 0x00069002, b"\0" * 14)
        out += attribute(2, 0x00018010, name.encode("cp1252") + b"\0")
        out += attribute(2, 0x0006800F, data)
    return out


# -- messages and archives -------------------------------------------------------------------------


def html_email(attachments: list[tuple[str, str, bytes]] = ()) -> bytes:  # type: ignore[assignment]
    message = EmailMessage()
    message["From"] = "FOI Team <foi@example-council.gov.uk>"
    message["To"] = "foi+ref-1@sightline.example"
    message["Subject"] = "FOI-2021-0457 response"
    message["Date"] = "Mon, 01 Mar 2021 10:00:00 +0000"
    message.set_content(
        "<html><head><style>p {color: red}</style><script>alert(1)</script></head><body>"
        "<p>Dear Requester,</p><p>We own <b>1,790</b> Hikvision&nbsp;cameras.</p>"
        "<table><tr><th>Vendor</th><th>Count</th></tr><tr><td>Dahua</td><td>12</td></tr></table>"
        "</body></html>",
        subtype="html",
    )
    for name, mime, data in attachments:
        maintype, subtype = mime.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def plain_email(body: str, attachments: list[tuple[str, str, bytes]]) -> bytes:
    message = EmailMessage()
    message["From"] = "foi@example-council.gov.uk"
    message["To"] = "foi+ref-1@sightline.example"
    message["Subject"] = "Your request"
    message.set_content(body)
    message.add_alternative(f"<p>{body} (HTML copy)</p>", subtype="html")
    for name, mime, data in attachments:
        maintype, subtype = mime.split("/")
        if maintype == "message":
            message.add_attachment(data, maintype="message", subtype="rfc822", filename=name)
        else:
            message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def zip_of(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_bomb(megabytes: int = 60) -> bytes:
    buffer = io.BytesIO()
    block = b"\0" * (1 << 20)
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("zeros.txt", "w") as member,
    ):
        for _ in range(megabytes):
            member.write(block)
    return buffer.getvalue()


def located(document: Any) -> list[tuple[str, str]]:
    """A document's blocks as (citation, text) pairs, the shape tests compare."""
    return [(str(block.location), block.text) for block in document.blocks]


def cells(table: Any) -> list[list[tuple[str, str]]]:
    return [[(str(cell.location), cell.text) for cell in row] for row in table.rows]


def errors(document: Any) -> list[tuple[str, str]]:
    return [(str(error.location), error.message) for error in document.errors]


class Fixtures:
    """The builders above, for tests (test files may not import each other)."""

    located = staticmethod(located)
    cells = staticmethod(cells)
    errors = staticmethod(errors)

    text_pdf = staticmethod(text_pdf)
    table_pdf = staticmethod(table_pdf)
    scanned_pdf = staticmethod(scanned_pdf)
    dense_scan_png = staticmethod(dense_scan_png)
    dense_scan_pdf = staticmethod(dense_scan_pdf)
    letter_image = staticmethod(letter_image)
    word_file = staticmethod(word_file)
    register_xlsx = staticmethod(register_xlsx)
    sheet_ods = staticmethod(sheet_ods)
    outlook_msg = staticmethod(outlook_msg)
    winmail_dat = staticmethod(winmail_dat)
    compound_file = staticmethod(compound_file)
    html_email = staticmethod(html_email)
    plain_email = staticmethod(plain_email)
    zip_of = staticmethod(zip_of)
    zip_bomb = staticmethod(zip_bomb)


@pytest.fixture
def make() -> type[Fixtures]:
    return Fixtures

"""What a file really is, judged from its content (magic bytes and structure), never its name.

Runs inside the worker process: looking into OLE and zip containers is already parsing.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile

import olefile

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")

IMAGE_MAGICS: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)

# header fields that open real messages; two of them in the first lines make a message
_MESSAGE_FIELDS = {
    "from",
    "to",
    "subject",
    "date",
    "message-id",
    "mime-version",
    "received",
    "return-path",
    "delivered-to",
    "content-type",
    "reply-to",
    "cc",
    "x-original-to",
    "in-reply-to",
    "references",
    "dkim-signature",
    "arc-seal",
    "authentication-results",
}
# RFC 5322 3.6.8: a field name and a colon; the value may follow at once ("X-Mailer:Outlook"),
# or be empty on its line and continue folded on the next ("Subject:\n Re: ...")
_HEADER_LINE = re.compile(rb"^([A-Za-z0-9][A-Za-z0-9_-]*)[ \t]*:")
_HTML_START = re.compile(
    rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|div|p|table)\b", re.I | re.S
)

OLE_KINDS = {"msg", "xls", "doc", "ppt", "encrypted-office", "ole"}


def sniff(data: bytes, name: str = "") -> str:
    """The kind of ``data``: pdf, message, msg, tnef, docx, xlsx, xls, ods, zip, image kinds, html,
    csv, rtf, text, or a kind that cannot be read (doc, ppt, pptx, odf, encrypted-office, ole,
    binary) or holds nothing (empty)."""
    if not data.strip():
        return "empty"
    head = data[:1024]
    # container signatures first: an OLE or zip file may hold a PDF's bytes in its first kilobyte
    if head.startswith(OLE_MAGIC):
        return _sniff_ole(data)
    if head.startswith(ZIP_MAGICS):
        return _sniff_zip(data)
    if head.startswith(b"\x78\x9f\x3e\x22"):  # TNEF, Outlook's winmail.dat
        return "tnef"
    for magic, kind in IMAGE_MAGICS:
        if head.startswith(magic):
            return kind
    if head.startswith(b"BM") and head[6:10] == b"\0\0\0\0":  # BMP: reserved fields are zero
        return "bmp"
    if b"%PDF-" in head:  # PDF readers accept junk before the header within the first 1024 bytes
        return "pdf"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if _looks_binary(head):
        return "binary"
    if _HTML_START.match(_without_bom(head)):
        return "html"
    if _looks_like_message(_without_bom(data[:4096])):
        return "message"
    lowered = name.lower()
    if lowered.endswith((".csv", ".tsv")):
        return "csv"
    if lowered.endswith((".html", ".htm")):
        return "html"
    return "text"


def _without_bom(head: bytes) -> bytes:
    for bom in (b"\xef\xbb\xbf",):
        if head.startswith(bom):
            return head[len(bom) :]
    return head


def _looks_binary(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 text
        return False
    return b"\x00" in head


def _looks_like_message(head: bytes) -> bool:
    lines = head.replace(b"\r\n", b"\n").split(b"\n")
    if lines and lines[0].startswith(b"From "):  # mbox separator line
        lines = lines[1:]
    known = 0
    for line in lines[:40]:
        if not line.strip():
            break
        if line[:1] in (b" ", b"\t"):  # folded continuation of the previous field
            continue
        match = _HEADER_LINE.match(line)
        if not match:
            return False
        if match.group(1).decode("ascii").lower() in _MESSAGE_FIELDS:
            known += 1
    return known >= 2


def _sniff_ole(data: bytes) -> str:
    try:
        ole = olefile.OleFileIO(data)
    except Exception:
        return "ole"
    try:
        names = {"/".join(entry).lower() for entry in ole.listdir(streams=True, storages=True)}
        book = next((n for n in ("workbook", "book") if n in names), None)
        encrypted_book = book is not None and _biff_encrypted(ole.openstream(book).read(65536))
    except Exception:  # a damaged directory: the reader says what is wrong
        return "ole"
    finally:
        ole.close()
    if encrypted_book:
        return "encrypted-office"  # Excel 97-2003 saved with a password to open
    if "encryptedpackage" in names or "encryptioninfo" in names:
        return "encrypted-office"  # OOXML saved with a password ([MS-OFFCRYPTO] 2.3.4)
    if "__properties_version1.0" in names:
        return "msg"
    if "workbook" in names or "book" in names:
        return "xls"
    if "worddocument" in names:
        return "doc"
    if "powerpoint document" in names:
        return "ppt"
    return "ole"


_BIFF_EOF, _BIFF_FILEPASS = 0x000A, 0x002F


def _biff_encrypted(stream: bytes) -> bool:
    """An Excel 97-2003 workbook stream whose globals hold a FILEPASS record ([MS-XLS]
    2.4.117): the rest of the file is encrypted."""
    position = 0
    for _ in range(200):  # FILEPASS follows the first BOF; the globals come first
        if position + 4 > len(stream):
            return False
        kind, length = struct.unpack_from("<HH", stream, position)
        if kind == _BIFF_FILEPASS:
            return True
        if kind == _BIFF_EOF:
            return False
        position += 4 + length
    return False


def _sniff_zip(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = b""
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 200:
                mimetype = archive.read("mimetype").strip()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return "zip"  # let the archive reader report what is wrong with it
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        return "xlsx"
    if mimetype == b"application/vnd.oasis.opendocument.spreadsheet":
        return "ods"
    if mimetype.startswith(b"application/vnd.oasis.opendocument."):
        return "odf"
    if "ppt/presentation.xml" in names:
        return "pptx"
    return "zip"

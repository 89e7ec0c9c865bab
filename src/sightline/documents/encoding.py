"""Bytes of a text file to str: byte-order marks, UTF-8, then the Windows code page.

UK public bodies export CSV from Excel on Windows, which writes Windows-1252 ("ANSI") unless told
otherwise; UTF-8 is tried first because a Windows-1252 reading of UTF-8 never fails but garbles.
"""

from __future__ import annotations

import codecs

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def detect_encoding(data: bytes) -> str:
    """The name of the encoding that reads ``data`` without error, most likely first."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    sample = data[:4096]
    if sample and sample.count(b"\x00") > len(sample) // 4:  # UTF-16 without a byte-order mark
        return "utf-16-le" if sample[1:2] == b"\x00" else "utf-16-be"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:  # 0x81, 0x8d, 0x8f, 0x90, 0x9d are unassigned in Windows-1252
        return "latin-1"
    return "cp1252"


def decode_text(data: bytes, declared: str | None = None) -> str:
    """Decode with a declared charset when it works, else with the detected encoding."""
    text: str | None = None
    if declared:
        try:
            text = data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            text = None
    if text is None:
        text = data.decode(detect_encoding(data), errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")

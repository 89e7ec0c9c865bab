"""Bytes of text whose charset is unknown or doubtful, to str: the one decoder for mail and files.

Order: a byte-order mark; the declared charset when it reads the bytes (with the names mailers
really send mapped to Python's codecs: ``windows-950``, ``gb2312``, ``ks_c_5601-1987``...); UTF-8;
then, for 8-bit text in no declared charset, GB18030 when the high bytes come in the pairs of a
double-byte Chinese encoding and read as one, else Windows-1252, which is what Western mail and
Excel's "ANSI" CSV export really are (the WHATWG Encoding Standard also reads ISO-8859-1 labels
as Windows-1252). UTF-8 goes first because a Windows-1252 reading of UTF-8 never fails but garbles.
"""

from __future__ import annotations

import codecs
import re

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Labels seen in mail that Python does not know, or knows as a narrower charset than the sender
# meant (a GB2312 label on GBK text; an ISO-8859-1 label on Windows-1252 text).
_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cn-gb": "gb18030",
    "euc-cn": "gb18030",
    "big5": "cp950",
    "x-big5": "cp950",
    "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949",
    "euc-kr": "cp949",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso-8859-8-i": "iso-8859-8",
    "unicode-1-1-utf-7": "utf-7",
    "x-mac-roman": "mac-roman",
    "macintosh": "mac-roman",
    "x-sjis": "cp932",
    "shift_jis": "cp932",
    "x-user-defined": "cp1252",
}
_WINDOWS = re.compile(r"^(?:windows|win|x-windows|x-cp|ms)[-_]?(\d{3,5})$")
_HIGH_RUN = re.compile(rb"[\x80-\xff]+")


def codec_name(label: str | None) -> str | None:
    """Python's codec for a charset label as mail and files spell it, or None if unknown."""
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    name = _ALIASES.get(name, name)
    windows = _WINDOWS.match(name)
    if windows:
        name = f"cp{windows.group(1)}"
    try:
        found = codecs.lookup(name).name
    except LookupError:
        return None
    return "cp1252" if found in ("latin-1", "iso8859-1", "ascii") else found


def _looks_double_byte(data: bytes) -> bool:
    """High bytes mostly in runs of even length: Chinese, not accented Western letters."""
    runs = _HIGH_RUN.findall(data[:65536])
    if not runs:
        return False
    paired = sum(len(run) for run in runs if len(run) >= 2 and len(run) % 2 == 0)
    return paired >= 4 and paired * 10 >= sum(len(run) for run in runs) * 8


def detect_encoding(data: bytes) -> str:
    """The name of the encoding that reads ``data`` without error, most likely first."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    sample = data[:4096]
    if sample and sample.count(b"\x00") > len(sample) // 4:  # UTF-16 without a byte-order mark
        return "utf-16-le" if sample[1:2] == b"\x00" else "utf-16-be"
    if data.isascii():
        return "utf-8"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    if _looks_double_byte(data):
        try:
            data.decode("gb18030")
        except UnicodeDecodeError:
            pass
        else:
            return "gb18030"
    return "cp1252"


def _latin1_fallback(error: UnicodeError) -> tuple[str, int]:
    # 0x81, 0x8d, 0x8f, 0x90, 0x9d are unassigned in Windows-1252: read them as ISO-8859-1
    assert isinstance(error, UnicodeDecodeError)
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("sightline-latin1", _latin1_fallback)


def _search(name: str) -> codecs.CodecInfo | None:
    """Let every decoder in the process (Outlook's .msg reader too) know the labels above."""
    label = name.replace("_", "-")
    mapped = _ALIASES.get(label)
    windows = _WINDOWS.match(label)
    if mapped is None and windows:
        mapped = f"cp{windows.group(1)}"
    if mapped is None or mapped.replace("-", "_") == name:
        return None
    try:
        return codecs.lookup(mapped)
    except LookupError:
        return None


codecs.register(_search)


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """``data`` as text: the declared charset when it reads it, else the detected encoding."""
    codec = codec_name(declared)
    if codec:
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            pass
    encoding = detect_encoding(data)
    if encoding == "cp1252":
        return data.decode("cp1252", errors="sightline-latin1")
    return data.decode(encoding, errors="replace")


def decode_text(data: bytes, declared: str | None = None) -> str:
    """Decode like ``decode_bytes``, with line ends made ``\\n``."""
    return decode_bytes(data, declared).replace("\r\n", "\n").replace("\r", "\n")


def eight_bit(value: str) -> str:
    """A header as the parser keeps raw 8-bit bytes (surrogate escapes): UTF-8 if it reads as
    UTF-8, else Windows-1252."""
    if value.isascii():
        return value
    try:
        raw = value.encode("ascii", "surrogateescape")
    except UnicodeEncodeError:
        return value  # already real text
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="sightline-latin1")

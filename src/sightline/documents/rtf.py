"""RTF to text, and Outlook's compressed RTF ([MS-OXRTFCP]) to RTF.

Outlook often stores a message body only as compressed RTF (PidTagRtfCompressed); when the body
was HTML, the RTF wraps the original HTML (``\\fromhtml1``, [MS-OXRTFEX]) and that HTML is read.
"""

from __future__ import annotations

import re
import struct

from sightline.documents.limits import Unreadable

# [MS-OXRTFCP] 2.1.3.1.1: the dictionary starts with these 207 bytes
_PREBUFFER = (
    b"{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern "
    b"\\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0"
    b"\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx"
)
_COMPRESSED = 0x75465A4C  # "LZFu"
_UNCOMPRESSED = 0x414C454D  # "MELA"
MAX_RTF = 64 * 1024 * 1024


def decompress_rtf(data: bytes) -> bytes:
    """The RTF inside an Outlook PidTagRtfCompressed value."""
    if len(data) < 16:
        raise Unreadable("damaged compressed RTF: shorter than its header")
    _size, raw_size, kind, _crc = struct.unpack_from("<IIII", data)
    if raw_size > MAX_RTF:
        raise Unreadable(f"compressed RTF claims {raw_size} bytes; refused")
    if kind == _UNCOMPRESSED:
        return data[16 : 16 + raw_size]
    if kind != _COMPRESSED:
        raise Unreadable(f"damaged compressed RTF: unknown type {kind:#x}")
    window = bytearray(4096)
    window[: len(_PREBUFFER)] = _PREBUFFER
    write = len(_PREBUFFER)
    out = bytearray()
    position = 16
    while position < len(data) and len(out) < raw_size + 4096:
        flags = data[position]
        position += 1
        for bit in range(8):
            if position >= len(data):
                return bytes(out)
            if not flags & (1 << bit):  # a literal byte
                window[write] = data[position]
                out.append(data[position])
                write = (write + 1) % 4096
                position += 1
                continue
            if position + 1 >= len(data):
                return bytes(out)
            reference = (data[position] << 8) | data[position + 1]
            position += 2
            offset, length = reference >> 4, (reference & 0xF) + 2
            if offset == write:  # the end marker
                return bytes(out)
            for step in range(length):
                byte = window[(offset + step) % 4096]
                window[write] = byte
                out.append(byte)
                write = (write + 1) % 4096
    return bytes(out)


_TOKEN = re.compile(
    rb"\\([a-zA-Z]+)(-?\d+)? ?|\\'([0-9a-fA-F]{2})|\\(.)|([{}])|([^\\{}\r\n]+)|[\r\n]+", re.S
)
# destinations whose content is not text to read
_SKIP = {
    b"fonttbl", b"colortbl", b"stylesheet", b"info", b"pict", b"object", b"themedata",
    b"datastore", b"xmlnstbl", b"listtable", b"listoverridetable", b"rsidtbl", b"generator",
    b"latentstyles", b"mmathPr", b"filetbl", b"revtbl", b"header", b"footer", b"headerl",
    b"headerr", b"footerl", b"footerr", b"fldinst", b"bkmkstart", b"bkmkend", b"field_inst",
}  # fmt: skip
_SYMBOLS = {
    b"par": "\n", b"line": "\n", b"sect": "\n", b"page": "\n", b"row": "\n", b"tab": "\t",
    b"cell": " | ", b"emdash": "\u2014", b"endash": "\u2013", b"bullet": "\u2022",
    b"lquote": "\u2018", b"rquote": "\u2019", b"ldblquote": "\u201c", b"rdblquote": "\u201d",
}  # fmt: skip


def rtf_to_text(rtf: bytes) -> tuple[str, bool]:
    """(the text, or the HTML an HTML-encapsulating RTF carries; whether it is HTML)."""
    html = b"\\fromhtml" in rtf[:1024]
    out: list[str] = []
    codepage = "cp1252"
    skip = False  # inside a destination that is not text
    suppressed = False  # \htmlrtf: RTF-only rendering of an encapsulated HTML body
    skip_chars = 1  # \ucN: characters after a \uN to drop
    pending_skip = 0
    stack: list[tuple[bool, bool, int]] = []
    star = False
    for match in _TOKEN.finditer(rtf):
        word, parameter, hexa, symbol, brace, text = match.groups()
        if brace == b"{":
            stack.append((skip, suppressed, skip_chars))
            star = False
            continue
        if brace == b"}":
            if stack:
                skip, suppressed, skip_chars = stack.pop()
            continue
        if word is not None:
            if star and word != b"htmltag" and word != b"mhtmltag":
                skip = True
            star = False
            if word in _SKIP:
                skip = True
            elif word == b"htmlrtf":
                suppressed = parameter != b"0"
            elif word == b"ansicpg" and parameter:
                codepage = f"cp{int(parameter)}"
            elif word == b"uc" and parameter:
                skip_chars = int(parameter)
            elif word == b"u" and parameter and not skip and not suppressed:
                out.append(chr(int(parameter) % 65536))
                pending_skip = skip_chars
            elif word in _SYMBOLS and not skip and not suppressed:
                out.append(_SYMBOLS[word])
            continue
        if symbol is not None:
            if symbol == b"*":
                star = True
            elif not skip and not suppressed:
                if symbol in (b"\\", b"{", b"}"):
                    out.append(symbol.decode())
                elif symbol == b"~":
                    out.append("\u00a0")
                elif symbol in (b"\n", b"\r"):
                    out.append("\n")
            continue
        if skip or suppressed:
            continue
        if hexa is not None:
            if pending_skip:
                pending_skip -= 1
                continue
            try:
                out.append(bytes([int(hexa, 16)]).decode(codepage))
            except (LookupError, UnicodeDecodeError):
                out.append(bytes([int(hexa, 16)]).decode("latin-1"))
            continue
        if text is not None:
            chunk = text.decode(codepage, errors="replace")
            if pending_skip:
                dropped = min(pending_skip, len(chunk))
                chunk, pending_skip = chunk[dropped:], pending_skip - dropped
            out.append(chunk)
    # \uN gives UTF-16 code units: join surrogate pairs, and a lone half (an invalid escape)
    # becomes U+FFFD rather than a string that cannot be written out
    result = "".join(out).encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    if not html:
        result = "\n".join(line.rstrip() for line in result.split("\n")).strip()
    return result, html

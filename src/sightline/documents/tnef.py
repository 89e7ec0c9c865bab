"""TNEF (``winmail.dat``, application/ms-tnef): the message and files Outlook wraps for other
mail programs.

What a reader needs is taken ([MS-OXTNEF] 2.1.3): the body (attBody, or the MAPI properties
PidTagBody, PidTagHtml and PidTagRtfCompressed in attMsgProps, which is where Outlook puts it when
the whole reply travels inside winmail.dat) and each attachment's name and data (attAttachTitle
and attAttachData, or PidTagAttachLongFilename and PidTagAttachDataBinary in attAttachment).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from sightline.documents.limits import Unreadable
from sightline.documents.model import Document

TNEF_SIGNATURE = b"\x78\x9f\x3e\x22"  # 0x223E9F78, little-endian
_BODY = 0x0001800C  # attBody
_MSG_PROPS = 0x00069003  # attMsgProps: the message's MAPI properties
_ATTACH_START = 0x00069002  # attAttachRendData: a new attachment begins
_ATTACH_TITLE = 0x00018010  # attAttachTitle
_ATTACH_DATA = 0x0006800F  # attAttachData
_ATTACHMENT = 0x00069005  # attAttachment: the attachment's MAPI properties
_OEM_CODEPAGE = 0x00069007  # attOemCodepage

# MAPI property ids ([MS-OXPROPS])
_PID_BODY = 0x1000
_PID_HTML = 0x1013
_PID_RTF_COMPRESSED = 0x1009
_PID_LONG_FILENAME = 0x3707
_PID_FILENAME = 0x3704
_PID_ATTACH_DATA = 0x3701
_PID_MIME_TAG = 0x370E

# [MS-OXCDATA] 2.11.1: property types and the size of one fixed-length value
_FIXED = {0x0002: 2, 0x0003: 4, 0x0004: 4, 0x0005: 8, 0x0006: 8, 0x0007: 8, 0x000A: 4}
_FIXED |= {0x000B: 2, 0x0014: 8, 0x0040: 8, 0x0048: 16, 0x0001: 4}
_STRING8, _UNICODE, _BINARY, _OBJECT = 0x001E, 0x001F, 0x0102, 0x000D
_MULTIPLE = 0x1000


@dataclass
class TnefAttachment:
    name: str = ""
    data: bytes = b""
    content_type: str = ""


@dataclass
class TnefContent:
    """What one TNEF stream holds: the body in up to three forms, and the attachments."""

    text: str = ""
    html: str = ""
    rtf_compressed: bytes = b""
    attachments: list[TnefAttachment] = field(default_factory=list)


def _string(value: bytes, codepage: str) -> str:
    return value.rstrip(b"\0").decode(codepage, errors="replace")


def _padded(length: int) -> int:
    return (length + 3) & ~3


def mapi_properties(data: bytes) -> dict[int, list[tuple[int, bytes]]]:
    """The properties in one MAPI property block, by id: (type, raw value) in order. A block
    cut short yields what was read before the cut."""
    found: dict[int, list[tuple[int, bytes]]] = {}
    try:
        (count,) = struct.unpack_from("<I", data, 0)
        position = 4
        for _ in range(count):
            kind, ident = struct.unpack_from("<HH", data, position)
            position += 4
            if ident >= 0x8000:  # a named property: GUID, then a number or a name
                (name_kind,) = struct.unpack_from("<I", data, position + 16)
                position += 20
                if name_kind == 0:
                    position += 4
                else:
                    (length,) = struct.unpack_from("<I", data, position)
                    position += 4 + _padded(length)
            base = kind & ~_MULTIPLE
            if base in (_STRING8, _UNICODE, _BINARY, _OBJECT) or kind & _MULTIPLE:
                (values,) = struct.unpack_from("<I", data, position)
                position += 4
            else:
                values = 1
            for _ in range(values):
                if base in (_STRING8, _UNICODE, _BINARY, _OBJECT):
                    (length,) = struct.unpack_from("<I", data, position)
                    position += 4
                    value = data[position : position + length]
                    if len(value) < length:
                        return found
                    position += _padded(length)
                    if base == _OBJECT:
                        value = value[16:]  # the interface id before an embedded object
                else:
                    size = _FIXED.get(base)
                    if size is None:
                        return found  # a type this reader does not know: stop here
                    value = data[position : position + size]
                    position += _padded(size)
                found.setdefault(ident, []).append((base, value))
    except struct.error:
        return found
    return found


def _text_value(values: list[tuple[int, bytes]] | None, codepage: str) -> str:
    if not values:
        return ""
    kind, value = values[0]
    if kind == _UNICODE:
        return value.decode("utf-16-le", errors="replace").rstrip("\0")
    return _string(value, codepage)


def parse_tnef(data: bytes) -> TnefContent:
    """The body and attachments of a TNEF stream; ``Unreadable`` when it is not one or is cut."""
    if not data.startswith(TNEF_SIGNATURE):
        raise Unreadable("damaged TNEF (winmail.dat): no signature")
    content = TnefContent()
    codepage = "cp1252"
    current: TnefAttachment | None = None
    position = 6  # signature and legacy key
    while position + 9 <= len(data):
        _level, attribute, length = struct.unpack_from("<BII", data, position)
        position += 9
        value = data[position : position + length]
        if len(value) < length:
            raise Unreadable("damaged TNEF (winmail.dat): an attribute runs past the end")
        position += length + 2  # the value and its checksum
        if attribute == _OEM_CODEPAGE and len(value) >= 4:
            number = struct.unpack_from("<I", value)[0]
            if number and number != 65001:
                codepage = f"cp{number}"
                try:
                    "".encode(codepage)
                except LookupError:
                    codepage = "cp1252"
            elif number == 65001:
                codepage = "utf-8"
        elif attribute == _BODY:
            content.text = content.text or _string(value, codepage)
        elif attribute == _MSG_PROPS:
            properties = mapi_properties(value)
            content.text = content.text or _text_value(properties.get(_PID_BODY), codepage)
            html = properties.get(_PID_HTML)
            if html:
                kind, raw = html[0]
                content.html = _html_value(kind, raw, codepage)
            rtf = properties.get(_PID_RTF_COMPRESSED)
            if rtf:
                content.rtf_compressed = rtf[0][1]
        elif attribute == _ATTACH_START:
            current = TnefAttachment()
            content.attachments.append(current)
        elif current is not None and attribute == _ATTACH_TITLE:
            current.name = current.name or _string(value, codepage)
        elif current is not None and attribute == _ATTACH_DATA:
            current.data = value
        elif current is not None and attribute == _ATTACHMENT:
            properties = mapi_properties(value)
            long_name = _text_value(properties.get(_PID_LONG_FILENAME), codepage)
            if long_name:
                current.name = long_name  # the 8.3 title is a shortened copy
            elif not current.name:
                current.name = _text_value(properties.get(_PID_FILENAME), codepage)
            current.content_type = _text_value(properties.get(_PID_MIME_TAG), codepage)
            attached = properties.get(_PID_ATTACH_DATA)
            if attached and not current.data:
                current.data = attached[0][1]
    return content


def _html_value(kind: int, raw: bytes, codepage: str) -> str:
    if kind == _UNICODE:
        return raw.decode("utf-16-le", errors="replace").rstrip("\0")
    from sightline.documents.encoding import decode_text

    return decode_text(raw.rstrip(b"\0"), codepage if kind == _STRING8 else None)


def tnef_body(content: TnefContent) -> tuple[str, str]:
    """(text, html) of a TNEF body: the plain text, else the HTML, else the compressed RTF's
    text (or the HTML it wraps)."""
    if content.text.strip():
        return content.text, ""
    if content.html.strip():
        return "", content.html
    if content.rtf_compressed:
        from sightline.documents.rtf import decompress_rtf, rtf_to_text

        try:
            text, is_html = rtf_to_text(decompress_rtf(content.rtf_compressed))
        except Unreadable:
            return "", ""
        return ("", text) if is_html else (text, "")
    return "", ""


def read_tnef(data: bytes) -> tuple[Document, list[tuple[str, bytes]]]:
    """A winmail.dat read as a file of its own: its body, and its attachments to read next."""
    from sightline.documents.messages import body_document
    from sightline.replies.names import display_name

    content = parse_tnef(data)
    text, html = tnef_body(content)
    document = body_document(text, html, "tnef")
    members = [
        (display_name(item.name, f"attachment-{number}.bin"), item.data)
        for number, item in enumerate(content.attachments, start=1)
        if item.data
    ]
    return document, members

"""TNEF (``winmail.dat``, application/ms-tnef): the files Outlook wraps for other mail programs.

Only what matters to a reader is taken ([MS-OXTNEF] 2.1.3): the plain-text body (attBody) and each
attachment's title and data; MAPI property blocks are skipped.
"""

from __future__ import annotations

import struct

from sightline.documents.limits import Unreadable
from sightline.documents.model import Block, Document, Location

TNEF_SIGNATURE = b"\x78\x9f\x3e\x22"  # 0x223E9F78, little-endian
_BODY = 0x0001800C  # attBody
_ATTACH_START = 0x00069002  # attAttachRendData: a new attachment begins
_ATTACH_TITLE = 0x00018010  # attAttachTitle
_ATTACH_DATA = 0x0006800F  # attAttachData


def read_tnef(data: bytes) -> tuple[Document, list[tuple[str, bytes]]]:
    if not data.startswith(TNEF_SIGNATURE):
        raise Unreadable("damaged TNEF (winmail.dat): no signature")
    document = Document(source="", kind="tnef")
    attachments: list[list[object]] = []  # [title, data] in order
    position = 6  # signature and legacy key
    while position + 9 <= len(data):
        _level, attribute, length = struct.unpack_from("<BII", data, position)
        position += 9
        value = data[position : position + length]
        if len(value) < length:
            raise Unreadable("damaged TNEF (winmail.dat): an attribute runs past the end")
        position += length + 2  # the value and its checksum
        if attribute == _BODY:
            text = value.rstrip(b"\0").decode("cp1252", errors="replace")
            text = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n"))
            if text.strip():
                document.blocks.append(Block(text.strip(), Location(part="body")))
        elif attribute == _ATTACH_START:
            attachments.append([None, None])
        elif attribute == _ATTACH_TITLE and attachments:
            attachments[-1][0] = value.rstrip(b"\0").decode("cp1252", errors="replace")
        elif attribute == _ATTACH_DATA and attachments:
            attachments[-1][1] = value
    from sightline.documents.messages import safe_name

    members = [
        (safe_name(str(title) if title else None, f"attachment-{number}.bin"), content)
        for number, (title, content) in enumerate(attachments, start=1)
        if isinstance(content, bytes) and content
    ]
    return document, members

"""E-mail messages (RFC 5322 .eml / stored raw messages, and Outlook .msg) to a body and the
attachments to read next.

An RFC 5322 message is parsed by ``sightline.replies`` (the one reader of a message), so the body
and attachments here are the ones the import and the web interface see: the plain-text part when
there is one (it is what the sender typed), else the HTML part with its tables kept; every other
part, messages forwarded whole included, is returned as bytes for the caller to read in turn.
"""

from __future__ import annotations

from typing import Any

from sightline.documents.html_text import html_to_text
from sightline.documents.limits import Unreadable
from sightline.documents.model import Block, Cell, Document, Location, ReadError, Table
from sightline.documents.sheets import detect_header
from sightline.replies.names import display_name

Member = tuple[str, bytes]


def body_document(
    text: str | None, html: str | None, kind: str, part: str | None = "body"
) -> Document:
    """A message body as one block at ``body`` (or a whole HTML file, ``part=None``); an HTML
    body's tables kept as tables."""
    document = Document(source="", kind=kind)
    body = Location(part=part)
    if text and text.strip():
        tidy = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")).strip()
        document.blocks.append(Block(tidy, body))
        return document
    if html and html.strip():
        content = html_to_text(html)
        if content.text:
            document.blocks.append(Block(content.text, body))
        for number, rows in enumerate(content.tables, start=1):
            table = Table(location=Location(part=part, table=number))
            for row_number, row in enumerate(rows, start=1):
                table.rows.append(
                    [
                        Cell(text, Location(part=part, table=number, row=row_number, column=col))
                        for col, text in enumerate(row, start=1)
                        if text
                    ]
                )
            table.header = detect_header(rows)
            document.tables.append(table)
    return document


def read_email(data: bytes) -> tuple[Document, list[Member]]:
    """An RFC 5322 message, read by ``sightline.replies``: its body and its attachments (bytes,
    named, in message order, winmail.dat contents and uuencoded files included)."""
    from sightline.replies import MalformedMessage, read_reply

    try:
        reply = read_reply(data)
    except MalformedMessage as error:
        raise Unreadable(error.message) from None
    if reply.body_type == "text/html":
        document = body_document(None, reply.html, "message")
    else:
        document = body_document(reply.text, None, "message")
    for key in ("subject", "from", "to", "date", "message-id"):
        value = reply.headers.text(key)
        if value:
            document.meta[key] = value
    if reply.kind != "reply":  # the reader's one judgement, for fact extraction to respect
        document.meta["message kind"] = reply.kind
    members = [(part.name, part.data) for part in reply.attachments]
    return document, [(name, content) for name, content in members if content]


_PID_RTF_COMPRESSED = 0x1009  # [MS-OXPROPS] PidTagRtfCompressed


def _rtf_body(compressed: bytes | None) -> tuple[str | None, str | None]:
    """(text, html) of a body Outlook stored only as compressed RTF."""
    if not compressed:
        return None, None
    from sightline.documents.rtf import decompress_rtf, rtf_to_text

    content, is_html = rtf_to_text(decompress_rtf(compressed))
    return (None, content) if is_html else (content, None)


_EMBEDDED_STORAGE = "__substg1.0_3701000D"  # [MS-OXMSG] 2.2.2.1: an attached message object
_EMBEDDED_HEADER = 24  # [MS-OXMSG] 2.4.1.2: property stream header of an embedded message


def _embedded_message(attachment: Any, number: int) -> tuple[str, bytes] | None:
    """An Outlook item attached to a .msg, rewritten as an RFC 5322 message (subject, sender,
    body and its own attachments) so that it is read like any forwarded message."""
    from email.message import EmailMessage

    from oxmsg.attachment import Attachment
    from oxmsg.properties import Properties

    storage = next(
        (sub for sub in attachment._storage.storages if sub.name == _EMBEDDED_STORAGE), None
    )
    if storage is None:
        return None
    properties = Properties(storage, properties_header_offset=_EMBEDDED_HEADER)
    subject = properties.str_prop_value(0x0037) or ""
    sender = properties.str_prop_value(0x0C1A) or properties.str_prop_value(0x0C1F) or ""
    text = properties.str_prop_value(0x1000)
    html_bytes = properties.binary_prop_value(0x1013)
    html = html_bytes.decode(properties.body_encoding, "replace") if html_bytes else None
    message = EmailMessage()
    message["Subject"] = " ".join(subject.split())
    if sender:
        message["From"] = " ".join(sender.split())
    if text and text.strip():
        message.set_content(text)
    elif html and html.strip():
        message.set_content(html, subtype="html")
    for index, sub in enumerate(storage.storages, start=1):
        if not sub.name.startswith("__attach_version1.0_#"):
            continue
        inner = Attachment(sub)
        content = inner.file_bytes
        if content:
            filename = display_name(inner.file_name, f"attachment-{index}.bin")
            message.add_attachment(
                content, maintype="application", subtype="octet-stream", filename=filename
            )
    name = display_name(f"{subject[:80]}.eml" if subject else None, f"message-{number}.eml")
    return name, message.as_bytes()


def read_outlook(data: bytes) -> tuple[Document, list[Member]]:
    """An Outlook .msg file ([MS-OXMSG]) read with python-oxmsg."""
    from oxmsg import Message as OutlookMessage

    try:
        message = OutlookMessage.load(data)
        text, html = message.body, message.html_body
        if not (text and text.strip()) and not (html and html.strip()):
            text, html = _rtf_body(message.properties.binary_prop_value(_PID_RTF_COMPRESSED))
        subject, sender = message.subject, message.sender
        attachments = message.attachments
    except Exception as error:  # python-oxmsg raises many kinds for a broken file
        raise Unreadable(
            "damaged Outlook message: its properties cannot be read",
            detail=f"{type(error).__name__}: {error}",
        ) from None
    document = body_document(text, html, "msg")
    if subject:
        document.meta["subject"] = subject
    if sender:
        document.meta["from"] = sender
    members: list[Member] = []
    for number, attachment in enumerate(attachments, start=1):
        name = display_name(attachment.file_name, f"attachment-{number}.bin")
        try:
            content = attachment.file_bytes
        except Exception:  # python-oxmsg raises many kinds for a damaged attachment
            document.errors.append(
                ReadError(Location(file=name), "damaged attachment: its data cannot be read")
            )
            continue
        if content is None:
            embedded = _embedded_message(attachment, number)
            if embedded is not None:  # a message attached as an Outlook item: read as .eml
                members.append(embedded)
                continue
            document.errors.append(
                ReadError(
                    Location(file=name),
                    "attachment is not stored in the message (a link or an embedded Outlook item)",
                )
            )
            continue
        members.append((name, content))
    return document, members

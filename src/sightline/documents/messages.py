"""E-mail messages (RFC 5322 .eml / stored raw messages, and Outlook .msg) to a body and the
attachments to read next.

The body is the plain-text part when there is one (it is what the sender typed), else the HTML
part converted to text. Every other leaf part is an attachment, messages forwarded as attachments
(message/rfc822) included; they are returned as bytes for the caller to read in turn.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import email
import email.errors
import email.header
import email.policy
import mimetypes
import quopri
import re
from email.message import Message
from typing import Any

from sightline.documents.encoding import decode_text
from sightline.documents.html_text import html_to_text
from sightline.documents.limits import Unreadable
from sightline.documents.model import Block, Cell, Document, Location, ReadError, Table
from sightline.documents.sheets import detect_header

Member = tuple[str, bytes]
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\]+")


def safe_name(name: str | None, fallback: str) -> str:
    """An attachment's own name without any path or control characters, else ``fallback``."""
    if not name:
        return fallback
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_NAME.sub("_", name).strip(" .")
    return name or fallback


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


def _part_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    raw = payload if isinstance(payload, bytes) else b""
    return decode_text(raw, part.get_content_charset())


def _contains(container: Message, target: Message) -> bool:
    return any(sub is target for sub in container.walk())


def _forwarded(part: Message) -> tuple[bytes, str]:
    """The bytes and subject of a message/rfc822 part. Some mailers base64-encode a forwarded
    message against RFC 2046 s.5.2.1; the parser then sees a headerless message of base64."""
    inner = part.get_payload()
    first = inner[0] if isinstance(inner, list) and inner else None
    encoding = str(part.get("content-transfer-encoding", "")).strip().lower()
    if encoding in ("base64", "quoted-printable"):
        encoded = (
            first.as_bytes()
            if isinstance(first, Message)
            else str(inner).encode("ascii", "replace")
        )
        try:
            raw = (
                base64.b64decode(encoded) if encoding == "base64" else quopri.decodestring(encoded)
            )
        except (binascii.Error, ValueError):
            return b"", ""
        subject = str(email.message_from_bytes(raw).get("subject", "") or "")
        return raw, _decoded_header(subject) if subject else ""
    if isinstance(first, Message):
        subject = str(first.get("subject", "") or "")
        return first.as_bytes(), _decoded_header(subject) if subject else ""
    return b"", ""


def _attachments(
    part: Message, body: Message | None, members: list[Member], errors: list[ReadError]
) -> None:
    content_type = part.get_content_type()
    if content_type == "message/rfc822":
        number = len(members) + 1
        raw, subject = _forwarded(part)
        fallback = safe_name(subject[:80] + ".eml" if subject else None, f"message-{number}.eml")
        if raw:
            members.append((safe_name(part.get_filename(), fallback), raw))
        return
    if part.is_multipart():
        if body is not None and content_type == "multipart/alternative" and _contains(part, body):
            return  # the body's other renderings (the HTML beside the plain text)
        for sub in part.get_payload():
            if isinstance(sub, Message):
                _attachments(sub, body, members, errors)
        return
    if part is body:
        return
    number = len(members) + 1
    extension = mimetypes.guess_extension(content_type) or ".bin"
    name = safe_name(part.get_filename(), f"attachment-{number}{extension}")
    try:
        payload = part.get_payload(decode=True)
    except Exception as error:  # a damaged transfer encoding spoils only this part
        errors.append(ReadError(Location(file=name), f"damaged attachment encoding: {error}"))
        return
    if isinstance(payload, bytes) and payload:
        members.append((name, payload))


def read_email(data: bytes) -> tuple[Document, list[Member]]:
    """An RFC 5322 message: its body and its attachments (bytes, named, in message order)."""
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    body = _choose_body(message)
    text = html = None
    if body is not None:
        if body.get_content_type() == "text/html":
            html = _part_text(body)
        else:
            text = _part_text(body)
    document = body_document(text, html, "message")
    for key in ("subject", "from", "to", "date", "message-id"):
        value = message.get(key)
        if value:
            document.meta[key] = _decoded_header(str(value))
    members: list[Member] = []
    _attachments(message, body, members, document.errors)
    return document, members


def _choose_body(message: Message) -> Message | None:
    """The first inline text/plain part outside attachments, else the first text/html."""
    candidates: list[Message] = []

    def visit(part: Message) -> None:
        if part.get_content_type() == "message/rfc822":
            return
        if part.is_multipart():
            for sub in part.get_payload():
                if isinstance(sub, Message):
                    visit(sub)
            return
        disposition = (part.get("content-disposition") or "").split(";")[0].strip().lower()
        if disposition == "attachment" or part.get_filename():
            return
        if part.get_content_type() in ("text/plain", "text/html"):
            candidates.append(part)

    visit(message)
    for wanted in ("text/plain", "text/html"):
        for part in candidates:
            if part.get_content_type() == wanted:
                return part
    return None


def _decoded_header(value: str) -> str:
    """An RFC 2047 encoded, possibly folded header value as one line of text."""
    with contextlib.suppress(UnicodeDecodeError, LookupError, email.errors.HeaderParseError):
        value = str(email.header.make_header(email.header.decode_header(value)))
    return " ".join(value.split())


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
            filename = safe_name(inner.file_name, f"attachment-{index}.bin")
            message.add_attachment(
                content, maintype="application", subtype="octet-stream", filename=filename
            )
    name = safe_name(f"{subject[:80]}.eml" if subject else None, f"message-{number}.eml")
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
        raise Unreadable(f"damaged Outlook message: {type(error).__name__}: {error}") from error
    document = body_document(text, html, "msg")
    if subject:
        document.meta["subject"] = subject
    if sender:
        document.meta["from"] = sender
    members: list[Member] = []
    for number, attachment in enumerate(attachments, start=1):
        name = safe_name(attachment.file_name, f"attachment-{number}.bin")
        try:
            content = attachment.file_bytes
        except Exception as error:
            document.errors.append(ReadError(Location(file=name), f"damaged attachment: {error}"))
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

"""Raw message bytes in, one parsed reply out: the only walk of a message's MIME tree.

Headers are decoded once: raw 8-bit bytes as UTF-8, else Windows-1252; RFC 2047 encoded words and
RFC 2231 parameters (folded or not) through the one charset decoder. The body is the first inline
text/plain part outside attachments, else the first text/html; every other part is an attachment:
MIME leaves, messages attached whole (message/rfc822, read as bytes of their own), the contents of
a winmail.dat (TNEF, whose body stands in for an empty MIME body) and uuencoded blocks in a text
body. Each attachment gets a safe display name. Parsing uses the ``compat32`` policy: the
``default`` policy's header objects cost several times the parse, and an import reads thousands.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import mimetypes
import quopri
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.header import decode_header
from email.message import Message
from email.parser import BytesParser
from email.utils import collapse_rfc2231_value, getaddresses, parsedate_to_datetime
from functools import cached_property
from typing import TYPE_CHECKING

from sightline.documents.encoding import decode_bytes, decode_text, eight_bit
from sightline.errors import SightlineError
from sightline.replies.names import display_name

if TYPE_CHECKING:
    from sightline.replies.reading import Reading

# Headers that carry the address a message was delivered to; forwarding keeps the original in
# Delivered-To / X-Original-To even when To shows a list or a Bcc hid it.
RECIPIENT_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To")
# RFC 5322 3.6.8: a field name is printable ASCII but the colon; nothing need follow the colon
_HEADER_LINE = re.compile(rb"^[!-9;-~]+:")
_MBOX_FROM = re.compile(rb"^From [^\r\n]*\r?\n")
_MESSAGE_ID = re.compile(r"<([^<>\s]+)>")
_FOLD = re.compile(r"\r?\n(?=[ \t])")
# An addr-spec, loosely: enough to find reply addresses among recipients without the full RFC
# 5322 address parser, which costs more than parsing the whole message.
_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?")
_SIMPLE_SENDER = re.compile(
    r'^\s*(?:"?([^"<>@,;]*?)"?\s*)?<([^<>@\s]+@[^<>@\s]+)>\s*$|^\s*([^<>@\s",;]+@[^<>@\s",;]+)\s*$'
)
# uuencode (POSIX uuencode): "begin MODE NAME", lines of encoded data, "end"
_UU_BLOCK = re.compile(
    r"^begin [0-7]{3,4} ([^\n]+)\n((?:[!-`][^\n]*\n)*?)`?\n?end[ \t]*$", re.MULTILINE
)
_TNEF_TYPES = ("application/ms-tnef", "application/vnd.ms-tnef")
_TEXT_TYPES = ("text/plain", "text/html")
_NAMES_FOR = {
    "message/delivery-status": "delivery-status.txt",
    "text/rfc822-headers": "original-headers.txt",
    "message/disposition-notification": "disposition-notification.txt",
}


class MalformedMessage(SightlineError, ValueError):
    """Bytes that are not an e-mail message at all."""


@dataclass(frozen=True)
class Bounce:
    """What a delivery failure report says about the message it returns."""

    status: str = ""  # RFC 3463 enhanced status, e.g. 5.1.1
    diagnostic: str = ""  # the remote server's answer
    recipients: tuple[str, ...] = ()
    original_message_id: str = ""
    original_subject: str = ""


class Attachment:
    """One attachment: its display name, declared type and (decoded on first use) its bytes."""

    __slots__ = ("_data", "_part", "content_type", "name")

    def __init__(
        self, name: str, content_type: str, data: bytes | None = None, part: Message | None = None
    ) -> None:
        self.name = name
        self.content_type = content_type
        self._data = data
        self._part = part

    @property
    def data(self) -> bytes:
        if self._data is None:
            self._data = _part_bytes(self._part) if self._part is not None else b""
            self._part = None
        return self._data

    @property
    def size(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        return f"Attachment({self.name!r}, {self.content_type!r})"


class Headers:
    """The top-level header fields by lower-cased name, 8-bit bytes decoded, folds undone."""

    __slots__ = ("fields",)

    def __init__(self, message: Message) -> None:
        self.fields: dict[str, list[str]] = {}
        for name, value in message.raw_items():
            text = eight_bit(str(value))
            if "\n" in text:
                text = _FOLD.sub("", text)
            self.fields.setdefault(name.lower(), []).append(text)

    def first(self, name: str) -> str | None:
        values = self.fields.get(name)
        return values[0] if values else None

    def all(self, name: str) -> list[str]:
        return self.fields.get(name, [])

    def text(self, name: str) -> str:
        """The first ``name`` field with RFC 2047 encoded words decoded, as one line."""
        return decode_words(self.first(name))

    def __contains__(self, name: str) -> bool:
        return name in self.fields


@dataclass(eq=False)
class Reply:
    message_id: str
    subject: str
    from_address: str
    from_name: str
    recipients: tuple[str, ...]  # lower-cased addresses from every RECIPIENT_HEADERS field
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    date: datetime | None
    text: str  # the body as plain text (an HTML body converted), uuencoded blocks taken out
    html: str  # the HTML body as sent ("" when there is none)
    body_type: str  # where ``text`` came from: "text/plain", "text/html", or "" (no body)
    attachments: tuple[Attachment, ...]
    headers: Headers
    content_type: str
    defects: tuple[str, ...] = field(default_factory=tuple)
    _message: Message | None = field(default=None, repr=False)

    @property
    def from_domain(self) -> str:
        return self.from_address.rsplit("@", 1)[-1] if "@" in self.from_address else ""

    @property
    def attachment_names(self) -> tuple[str, ...]:
        return tuple(attachment.name for attachment in self.attachments)

    @property
    def thread_ids(self) -> tuple[str, ...]:
        """Message-IDs this message answers or quotes (threading headers, a bounce's original)."""
        ids = [*self.in_reply_to, *self.references]
        if self.bounce and self.bounce.original_message_id:
            ids.append(self.bounce.original_message_id)
        return tuple(dict.fromkeys(ids))

    @cached_property
    def own_text(self) -> str:
        """What the sender wrote: the text without the quoted message it answers."""
        from sightline.replies.reading import own_words

        return own_words(self.text)

    @cached_property
    def judgement(self) -> tuple[str, Bounce | None]:
        from sightline.replies.reading import judge

        return judge(self, self._message)

    @property
    def kind(self) -> str:
        """reply, bounce, delay, auto_reply or out_of_office (see ``reading.Kind``)."""
        return self.judgement[0]

    @property
    def bounce(self) -> Bounce | None:
        return self.judgement[1]

    @cached_property
    def reading(self) -> Reading:
        """What the reply says, as the request state it points to (None: nothing to set)."""
        from sightline.replies.reading import read_reply_state

        return read_reply_state(self)

    @property
    def auto_reply(self) -> str:
        """ "out_of_office" or "auto_reply" for an automatic answer, else ""."""
        return self.kind if self.kind in ("out_of_office", "auto_reply") else ""


def message_ids(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(_MESSAGE_ID.findall(value))


def decode_words(value: str | None) -> str:
    """A header's text with RFC 2047 encoded words decoded, as one line; a word in an unknown
    or lying charset goes through the one decoder rather than failing."""
    if not value:
        return ""
    if "=?" in value:
        try:
            parts = decode_header(value)
        except Exception:  # the email package raises several kinds on a bad word
            parts = [(value, None)]
        pieces = []
        for part, charset in parts:
            if isinstance(part, str):
                pieces.append(part)
            elif charset is None:
                pieces.append(part.decode("raw-unicode-escape", errors="replace"))
            else:
                pieces.append(decode_bytes(part, charset))
        value = "".join(pieces)
    return " ".join(value.split())


def _sender(value: str) -> tuple[str, str]:
    """The display name and address in a From field (a fast path for the usual shapes)."""
    simple = _SIMPLE_SENDER.match(value)
    if simple:
        if simple[3]:
            return "", simple[3].lower()
        return (simple[1] or "").strip(), simple[2].lower()
    found = [(n, a.lower()) for n, a in getaddresses([value]) if "@" in a]
    return found[0] if found else ("", "")


def _recipients(headers: Headers) -> tuple[str, ...]:
    found: list[str] = []
    for name in RECIPIENT_HEADERS:
        for value in headers.all(name.lower()):
            found.extend(_ADDRESS.findall(value))
    return tuple(dict.fromkeys(address.lower() for address in found))


def _date(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if isinstance(parsed, datetime) and parsed.tzinfo else None


# -- parts --------------------------------------------------------------------------------------


_MIME_FIELDS = ("content-type", "content-disposition", "content-transfer-encoding")


def _mime_fields(part: Message) -> dict[str, str]:
    """A part's Content-* fields as text (8-bit decoded, unfolded), read once per part."""
    found: dict[str, str] = {}
    for key, value in part.raw_items():
        name = key.lower()
        if name in _MIME_FIELDS and name not in found:
            text = eight_bit(str(value))
            found[name] = _FOLD.sub("", text) if "\n" in text else text
    return found


def _field(part: Message, name: str) -> str:
    """A part's header field as text (8-bit decoded, unfolded), "" when absent."""
    if name in _MIME_FIELDS:
        return _mime_fields(part).get(name, "")
    for key, value in part.raw_items():
        if key.lower() == name:
            text = eight_bit(str(value))
            return _FOLD.sub("", text) if "\n" in text else text
    return ""


_SIMPLE_PARAM = re.compile(r';\s*([a-z-]+)\s*=\s*(?:"([^"\\]*)"|([^\s;"]+))', re.IGNORECASE)


def _content_type(part: Message, fields: dict[str, str]) -> str:
    """The part's content type as RFC 2045 s.5.2 has it (text/plain when absent or invalid; the
    container's default, message/rfc822 in a digest)."""
    value = fields.get("content-type")
    if value is None:
        return part.get_default_type()
    kind = value.split(";", 1)[0].strip().lower()
    return kind if kind.count("/") == 1 else "text/plain"


def _param(value: str, name: str) -> str:
    """A parameter of a structured header (RFC 2045, RFC 2231 continuations and charsets)."""
    if not value or name not in value.lower():
        return ""
    if "*" not in value and "\\" not in value and "(" not in value:  # the usual, simple shape
        for found_name, quoted, token in _SIMPLE_PARAM.findall(value):
            if found_name.lower() == name:
                return str(quoted or token)
        return ""
    holder = Message()
    holder["Content-Type"] = value
    found = holder.get_param(name, header="content-type")
    if found is None:
        return ""
    if isinstance(found, tuple):
        charset, _language, text = found
        raw = text.encode("latin-1", "surrogateescape") if isinstance(text, str) else b""
        try:
            return decode_bytes(raw, charset or None) if charset else collapse_rfc2231_value(found)
        except Exception:
            return str(text)
    return str(found)


def _filename(fields: dict[str, str]) -> str:
    name = _param(fields.get("content-disposition", ""), "filename") or _param(
        fields.get("content-type", ""), "name"
    )
    return decode_words(name) if name else ""


def _disposition(fields: dict[str, str]) -> str:
    return fields.get("content-disposition", "").split(";", 1)[0].strip().lower()


def _charset(part: Message) -> str | None:
    return _param(_mime_fields(part).get("content-type", ""), "charset") or None


def _payload(part: Message) -> bytes:
    aside: memoryview | None = getattr(part, _ASIDE, None)
    if aside is not None:
        return _decode_aside(aside, _field(part, "content-transfer-encoding").strip().lower())
    try:
        payload = part.get_payload(decode=True)
    except Exception:  # a damaged transfer encoding spoils only this part
        return b""
    return payload if isinstance(payload, bytes) else b""


def _part_bytes(part: Message) -> bytes:
    kind = part.get_content_type()
    if kind in ("message/rfc822", "message/global"):
        return _forwarded(part)
    if kind == "message/delivery-status" or part.is_multipart():
        inner = part.get_payload()
        if isinstance(inner, list):
            return b"\n".join(
                block.as_bytes(policy=policy.compat32)
                for block in inner
                if isinstance(block, Message)
            )
    return _payload(part)


def _forwarded(part: Message) -> bytes:
    """The bytes of a message/rfc822 part. Some mailers base64-encode a forwarded message
    against RFC 2046 s.5.2.1; the parser then sees a headerless message of base64."""
    inner = part.get_payload()
    first = inner[0] if isinstance(inner, list) and inner else None
    encoding = _field(part, "content-transfer-encoding").strip().lower()
    if encoding in ("base64", "quoted-printable"):
        encoded = (
            first.as_bytes(policy=policy.compat32)
            if isinstance(first, Message)
            else str(inner).encode("ascii", "replace")
        )
        try:
            return (
                base64.b64decode(encoded) if encoding == "base64" else quopri.decodestring(encoded)
            )
        except (binascii.Error, ValueError):
            return b""
    if isinstance(first, Message):
        return first.as_bytes(policy=policy.compat32)
    return b""


def _forwarded_subject(part: Message) -> str:
    inner = part.get_payload()
    if isinstance(inner, list) and inner and isinstance(inner[0], Message):
        first = inner[0]
        if _field(part, "content-transfer-encoding").strip().lower() not in (
            "base64",
            "quoted-printable",
        ):
            return decode_words(_field(first, "subject"))
    head = _forwarded(part)[:8192]
    for line in head.split(b"\n"):
        if line.lower().startswith(b"subject:"):
            return decode_words(eight_bit(line[8:].decode("ascii", "surrogateescape")).strip())
        if not line.strip():
            break
    return ""


def _fallback(content_type: str, number: int) -> str:
    named = _NAMES_FOR.get(content_type)
    if named:
        return named
    extension = ".txt" if content_type == "text/plain" else mimetypes.guess_extension(content_type)
    return f"attachment-{number}{extension or '.bin'}"


@dataclass
class _Walk:
    plain: Message | None = None
    html: Message | None = None
    attachments: list[Attachment] = field(default_factory=list)
    tnef: list[tuple[int, Message]] = field(default_factory=list)  # (position, part)
    defects: list[str] = field(default_factory=list)

    def visit(self, part: Message, top: bool = False) -> None:
        fields = _mime_fields(part)
        kind = _content_type(part, fields)
        number = len(self.attachments) + 1
        if kind in ("message/rfc822", "message/global"):
            filename = _filename(fields)
            subject = _forwarded_subject(part)
            fallback = display_name(
                f"{subject[:80]}.eml" if subject else None, f"message-{number}.eml"
            )
            self.attachments.append(Attachment(display_name(filename, fallback), kind, part=part))
            return
        if part.is_multipart() and kind != "message/delivery-status":
            for sub in part.get_payload():
                if isinstance(sub, Message):
                    self.visit(sub)
            return
        disposition = _disposition(fields)
        filename = _filename(fields)
        inline = disposition != "attachment" and not (filename and disposition != "inline")
        if kind in _TEXT_TYPES and inline:
            if kind == "text/plain" and self.plain is None:
                self.plain = part
                return
            if kind == "text/html" and self.html is None:
                self.html = part
                return
        if kind in _TNEF_TYPES or filename.lower() == "winmail.dat":
            self.tnef.append((len(self.attachments), part))
            return
        self.attachments.append(
            Attachment(display_name(filename, _fallback(kind, number)), kind, part=part)
        )


def _uudecode(lines: str) -> bytes:
    out = bytearray()
    for line in lines.split("\n"):
        if not line or line in ("`",):
            continue
        try:
            out += binascii.a2b_uu(line)
        except binascii.Error:
            # some encoders pad lines short or long: decode the length the line says it holds
            length = ((ord(line[0]) - 32) & 63) * 4 // 3
            try:
                out += binascii.a2b_uu(line[: length + 1 + (-length % 4)])
            except binascii.Error:
                continue
    return bytes(out)


def _uuencoded(text: str, found: list[Attachment]) -> str:
    """``text`` without its uuencoded blocks, each added to ``found`` as an attachment."""
    if "begin " not in text:
        return text

    def take(match: re.Match[str]) -> str:
        number = len(found) + 1
        name = display_name(match.group(1).strip(), f"attachment-{number}.bin")
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        found.append(Attachment(name, content_type, data=_uudecode(match.group(2))))
        return ""

    kept = _UU_BLOCK.sub(take, text)
    if len(kept) == len(text):
        return text
    return re.sub(r"\n{3,}", "\n\n", kept).strip("\n") + "\n"


def _text_of(part: Message) -> str:
    return decode_text(_payload(part)[:MAX_TEXT_BYTES], _charset(part))


def _html_text(markup: str) -> str:
    from sightline.documents.html_text import html_to_text

    return html_to_text(markup).text


def _expand_tnef(walk: _Walk) -> tuple[str, str]:
    """Put each winmail.dat's attachments in its place; return the (text, html) of the first
    TNEF body, for a message whose MIME body is empty."""
    from sightline.documents.limits import Unreadable
    from sightline.documents.tnef import parse_tnef, tnef_body

    text = html = ""
    for position, part in reversed(walk.tnef):
        data = _payload(part)
        try:
            content = parse_tnef(data)
        except Unreadable:
            walk.defects.append("DamagedTnef")
            walk.attachments.insert(
                position, Attachment("winmail.dat", "application/ms-tnef", data=data)
            )
            continue
        inner = [
            Attachment(
                display_name(item.name, f"attachment-{position + number}.bin"),
                item.content_type
                or mimetypes.guess_type(item.name)[0]
                or "application/octet-stream",
                data=item.data,
            )
            for number, item in enumerate(content.attachments, start=1)
            if item.data
        ]
        walk.attachments[position:position] = inner
        text, html = tnef_body(content)
    return text, html


def _without_mbox_line(raw: bytes) -> bytes:
    """A message saved with its mbox separator line ("From sender date") or a UTF-8 byte-order
    mark (Windows tools) in front."""
    start = raw.lstrip(b"\r\n")
    if start.startswith(b"\xef\xbb\xbf"):
        start = start[3:]
    if start.startswith(b"From "):
        found = _MBOX_FROM.match(start)
        if found:
            return start[found.end() :]
    return start


_parser = BytesParser(policy=policy.compat32)

# A large message (a 200 MB reply with its footage attached) would cost the email package many
# times its size in line objects and copies. Above BIG_MESSAGE bytes, each part body longer than
# BIG_BODY is set aside before parsing (a placeholder takes its place) and decoded from the raw
# bytes only when asked for: parsing then costs what the headers cost, and memory stays near
# the message's own size plus the one attachment being decoded.
BIG_MESSAGE = 8 * 1024 * 1024
BIG_BODY = 256 * 1024
MAX_TEXT_BYTES = 16 * 1024 * 1024  # a text body is read up to this (a reply's words come first)
_ASIDE = "_sightline_aside"
_BOUNDARY = re.compile(rb'boundary\s*=\s*(?:"([^"\r\n]+)"|([^\s;"]+))', re.IGNORECASE)


def _body_start(raw: bytes, start: int, end: int) -> int:
    """Where the body of the part whose headers begin at ``start`` starts (after the blank line)."""
    if raw.startswith((b"\r\n", b"\n"), start):
        return start + (2 if raw.startswith(b"\r\n", start) else 1)
    crlf = raw.find(b"\r\n\r\n", start, end)
    lf = raw.find(b"\n\n", start, end)
    if crlf == -1 and lf == -1:
        return end
    if lf == -1 or (crlf != -1 and crlf < lf):
        return crlf + 4
    return lf + 2


def _set_aside(raw: bytes) -> tuple[bytes, dict[bytes, memoryview]]:
    """``raw`` with its large part bodies replaced by placeholders, and those bodies by token."""
    view = memoryview(raw)
    marks: list[int] = []
    for found in {m.group(1) or m.group(2) for m in _BOUNDARY.finditer(raw)}:
        needle = b"\n--" + found
        position = raw.find(needle)
        while position != -1:
            marks.append(position + 1)
            position = raw.find(needle, position + 1)
    marks.sort()
    token = secrets.token_hex(8).encode()
    pieces: list[bytes] = []
    aside: dict[bytes, memoryview] = {}
    last = 0
    spans = [(raw.find(b"\n", a) + 1, b) for a, b in itertools.pairwise(marks)]
    if not marks:
        spans = [(0, len(raw))]
    for start, end in spans:
        body = _body_start(raw, start, end)
        stop = end - 1 if end < len(raw) else end  # the line break before a delimiter is its own
        if stop < end and raw[stop - 1 : stop] == b"\r":
            stop -= 1
        if stop - body > BIG_BODY:
            key = b"sightline-aside-" + token + b"-" + str(len(aside)).encode()
            pieces.append(raw[last:body])
            pieces.append(key + b"\r\n")
            aside[key] = view[body:stop]
            last = stop
    pieces.append(raw[last:])
    return b"".join(pieces), aside


def _attach_aside(message: Message, aside: dict[bytes, memoryview]) -> None:
    for part in message.walk():
        payload = None if part.is_multipart() else part.get_payload()  # not yet decoded
        if isinstance(payload, str) and payload.startswith("sightline-aside-"):
            key = payload.strip().encode("ascii", "replace")
            if key in aside:
                setattr(part, _ASIDE, aside[key])


def _decode_aside(body: memoryview, encoding: str) -> bytes:
    try:
        if encoding == "base64":
            return binascii.a2b_base64(body)
        if encoding == "quoted-printable":
            return quopri.decodestring(bytes(body))
    except (binascii.Error, ValueError):
        return b""
    return bytes(body)


def read_reply(raw: bytes) -> Reply:
    """Parse ``raw``; raise MalformedMessage when it is not an e-mail at all."""
    if not raw or raw.isspace():  # (strip() would copy a large message)
        raise MalformedMessage("empty message")
    raw = _without_mbox_line(raw)
    if not _HEADER_LINE.match(raw):
        raise MalformedMessage("does not start with a header field")
    aside: dict[bytes, memoryview] = {}
    if len(raw) > BIG_MESSAGE:
        raw, aside = _set_aside(raw)
    try:
        message = _parser.parsebytes(raw)
        if aside:
            _attach_aside(message, aside)
    except Exception as error:  # the email package raises many kinds on hostile input
        raise MalformedMessage(
            "cannot be parsed as e-mail", detail=f"{type(error).__name__}: {error}"
        ) from None
    headers = Headers(message)
    if not any(name in headers for name in ("from", "message-id", "subject", "date")):
        raise MalformedMessage("has none of From, Message-ID, Subject, Date")
    try:
        return _reply(message, headers)
    except RecursionError:
        raise MalformedMessage("nests its parts too deeply to be read") from None


def _reply(message: Message, headers: Headers) -> Reply:
    walk = _Walk()
    walk.visit(message, top=True)
    text = _text_of(walk.plain) if walk.plain is not None else ""
    markup = _text_of(walk.html) if walk.html is not None else ""
    body_type = "text/plain" if text.strip() else ""
    if not body_type and markup.strip():
        text, body_type = _html_text(markup), "text/html"
    found: list[Attachment] = []
    text = _uuencoded(text, found)
    walk.attachments[0:0] = found
    if walk.tnef:
        tnef_text, tnef_html = _expand_tnef(walk)
        tnef_text = tnef_text.replace("\r\n", "\n").strip()
        if not text.strip():
            if tnef_text:
                text, body_type = tnef_text + "\n", "text/plain"
            elif tnef_html.strip():
                markup, text, body_type = tnef_html, _html_text(tnef_html), "text/html"
        elif tnef_text and " ".join(tnef_text.split()) not in " ".join(text.split()):
            # Outlook's own words inside winmail.dat, beside a MIME body that says otherwise
            text = f"{text.rstrip()}\n\n{tnef_text}\n"
            body_type = "text/plain"
    from_name, from_address = _sender(headers.first("from") or "")
    ids = message_ids(headers.first("message-id"))
    return Reply(
        message_id=ids[0] if ids else "",
        subject=headers.text("subject"),
        from_address=from_address,
        from_name=decode_words(from_name),
        recipients=_recipients(headers),
        in_reply_to=message_ids(headers.first("in-reply-to")),
        references=message_ids(headers.first("references")),
        date=_date(headers.first("date")),
        text=text,
        html=markup,
        body_type=body_type,
        attachments=tuple(walk.attachments),
        headers=headers,
        content_type=message.get_content_type(),
        defects=(*(type(d).__name__ for d in message.defects), *walk.defects),
        _message=message,
    )

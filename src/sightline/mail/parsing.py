"""Read one raw e-mail into what matching and tracking need (plain Python, stdlib ``email``).

Parses with the ``compat32`` policy and decodes only the headers it needs (RFC 2047 words in the
Subject, sender name and file names): the ``default`` policy's header objects cost several times
the parse itself, and an import reads thousands of messages.

Recognises delivery status notifications (RFC 3464 ``multipart/report``) and automatic replies
(RFC 3834 ``Auto-Submitted``, the common ``X-Autoreply``/``Precedence`` headers and the usual
out-of-office subjects).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.errors import HeaderParseError
from email.header import decode_header, make_header
from email.message import Message
from email.parser import BytesParser, HeaderParser
from email.utils import getaddresses, parsedate_to_datetime

# Headers that carry the address a message was delivered to; forwarding keeps the original in
# Delivered-To / X-Original-To even when To shows a list or a Bcc hid it.
RECIPIENT_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To")
_HEADER_LINE = re.compile(rb"^[!-9;-~]+:")  # a header field name (RFC 5322 3.6.8) and a colon
_MESSAGE_ID = re.compile(r"<([^<>\s]+)>")
# An addr-spec, loosely: enough to find reply addresses among recipients without the full RFC
# 5322 address parser, which costs more than parsing the whole message.
_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?")
_AUTO_SUBJECT = re.compile(
    r"^\s*(automatic reply|auto(?:matic)?[- ]?(?:reply|response)|autoreply|out of (?:the )?office"
    r"|auto:|ooo\b|abwesenheitsnotiz|r[ée]ponse automatique)",
    re.IGNORECASE,
)
_OUT_OF_OFFICE = re.compile(
    r"out of (?:the )?office|on (?:annual )?leave|away from (?:the|my) (?:office|desk)"
    r"|on holiday|limited access to (?:my )?e-?mail|return(?:ing)? to (?:the )?office on",
    re.IGNORECASE,
)
_BOUNCE_SENDER = re.compile(r"^(mailer-daemon|postmaster)@", re.IGNORECASE)
_BOUNCE_SUBJECT = re.compile(
    r"undeliver|delivery status notification \(failure\)|mail delivery (?:failed|failure)"
    r"|returned mail|delivery has failed|failure notice",
    re.IGNORECASE,
)
_INVISIBLE = re.compile(
    r"<!--.*?-->|<(script|style|head|title)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL
)
_TAG = re.compile(r"<[^>]*>")
_BLOCK_END = re.compile(r"<\s*(?:br\s*/?|/p|/div|/tr|/li|/h[1-6]|/table)\s*>", re.IGNORECASE)


class MalformedMessage(ValueError):
    pass


@dataclass(frozen=True)
class Bounce:
    """What a delivery failure report says about the message it returns."""

    status: str = ""  # RFC 3463 enhanced status, e.g. 5.1.1
    diagnostic: str = ""  # the remote server's answer
    recipients: tuple[str, ...] = ()
    original_message_id: str = ""
    original_subject: str = ""


@dataclass(frozen=True)
class ParsedMail:
    message_id: str
    subject: str
    from_address: str
    from_name: str
    recipients: tuple[str, ...]  # lower-cased addresses from every RECIPIENT_HEADERS field
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    date: datetime | None
    text: str
    attachments: tuple[str, ...]
    auto_reply: str = ""  # "", "out_of_office" or "auto_reply"
    bounce: Bounce | None = None
    defects: tuple[str, ...] = field(default_factory=tuple)

    @property
    def from_domain(self) -> str:
        return self.from_address.rsplit("@", 1)[-1] if "@" in self.from_address else ""

    @property
    def thread_ids(self) -> tuple[str, ...]:
        """Message-IDs this message answers or quotes (threading headers, a bounce's original)."""
        ids = [*self.in_reply_to, *self.references]
        if self.bounce and self.bounce.original_message_id:
            ids.append(self.bounce.original_message_id)
        return tuple(dict.fromkeys(ids))


_parser = BytesParser(policy=policy.compat32)


def message_ids(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(_MESSAGE_ID.findall(str(value)))


def _text(value: object) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def decoded_header(value: object) -> str:
    """A header's text with RFC 2047 encoded words decoded (bad charsets left as they are)."""
    if value is None:
        return ""
    raw = str(value)
    if "=?" not in raw:
        return _text(raw)
    try:
        return _text(make_header(decode_header(raw)))
    except (HeaderParseError, LookupError, UnicodeError, ValueError):
        return _text(raw)


_SIMPLE_SENDER = re.compile(
    r'^\s*(?:"?([^"<>@,;]*?)"?\s*)?<([^<>@\s]+@[^<>@\s]+)>\s*$|^\s*([^<>@\s",;]+@[^<>@\s",;]+)\s*$'
)


def _sender(value: str) -> tuple[str, str]:
    """The display name and address in a From field (a fast path for the usual shapes)."""
    simple = _SIMPLE_SENDER.match(value)
    if simple:
        if simple[3]:
            return "", simple[3].lower()
        return (simple[1] or "").strip(), simple[2].lower()
    found = [(n, a.lower()) for n, a in getaddresses([value]) if "@" in a]
    return found[0] if found else ("", "")


def _recipients(headers: _Headers) -> tuple[str, ...]:
    found: list[str] = []
    for name in RECIPIENT_HEADERS:
        for value in headers.all(name.lower()):
            found.extend(_ADDRESS.findall(value))
    return tuple(dict.fromkeys(address.lower() for address in found))


def _decoded(part: Message) -> str:
    """A text part's content; unknown or lying charsets fall back rather than fail."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset)
    except (LookupError, UnicodeDecodeError):
        try:
            return payload.decode("utf-8")
        except UnicodeDecodeError:
            return payload.decode("cp1252", errors="replace")


def html_to_text(markup: str) -> str:
    """Visible text of an HTML body, as plain text for reading rules (never shown as HTML).

    Tags are stripped by pattern rather than sanitised with nh3: nothing here is rendered, and
    the sanitiser costs more than parsing the message."""
    text = _INVISIBLE.sub(" ", markup)
    text = _BLOCK_END.sub("\n", text)
    text = _TAG.sub("", text)
    lines = (" ".join(html.unescape(line).split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _leaves(part: Message, found: list[Message]) -> None:
    """The parts that hold content; an attached message (message/*) counts as one part."""
    if part.is_multipart() and not part.get_content_type().startswith("message/"):
        for sub in part.get_payload():
            if isinstance(sub, Message):
                _leaves(sub, found)
    else:
        found.append(part)


def _body_and_attachments(message: Message) -> tuple[str, tuple[str, ...]]:
    plain = html = None
    attachments: list[str] = []
    kind = message.get_content_type()
    single_text = not message.is_multipart() and kind in ("text/plain", "text/html")
    if single_text and "attachment" not in str(message.get("Content-Disposition", "")).lower():
        # Most replies: one text part; no need to look for file names.
        content = _decoded(message).replace("\r\n", "\n")
        return (html_to_text(content) if kind == "text/html" else content), ()
    for part in _leaves_of(message):
        kind = part.get_content_type()
        disposition = str(part.get("Content-Disposition", "")).split(";")[0].strip().lower()
        filename = part.get_filename()
        inline_text = kind in ("text/plain", "text/html") and disposition != "attachment"
        if inline_text and not (filename and disposition != "inline"):
            if kind == "text/plain" and plain is None:
                plain = part
                continue
            if kind == "text/html" and html is None:
                html = part
                continue
        if part is not message:
            attachments.append(decoded_header(filename) if filename else kind)
    body = plain or html
    if body is None:
        return "", tuple(attachments)
    content = _decoded(body).replace("\r\n", "\n")
    if body is html:
        content = html_to_text(content)
    return content, tuple(attachments)


def _leaves_of(message: Message) -> list[Message]:
    found: list[Message] = []
    _leaves(message, found)
    return found


def _bounce(message: Message, from_address: str, subject: str) -> Bounce | None:
    if message.get_content_type() == "multipart/report":
        return _delivery_status(message)
    if _BOUNCE_SENDER.match(from_address) and _BOUNCE_SUBJECT.search(subject):
        return Bounce()  # a non-standard bounce: no details to read
    return None


def _delivery_status(report: Message) -> Bounce | None:
    recipients: list[str] = []
    status = diagnostic = original_id = original_subject = ""
    failed = False
    for part in report.walk():
        kind = part.get_content_type()
        if kind == "message/delivery-status":
            for block in part.get_payload():
                if not isinstance(block, Message):
                    continue
                action = str(block.get("Action", "")).strip().lower()
                if action and action != "failed":
                    continue  # "delayed", "delivered", "relayed": not a failure
                recipient = str(
                    block.get("Final-Recipient") or block.get("Original-Recipient") or ""
                )
                if recipient:
                    failed = True
                    recipients.append(recipient.split(";", 1)[-1].strip().lower())
                    status = status or str(block.get("Status", "")).strip()
                    diagnostic = (
                        diagnostic
                        or _text(block.get("Diagnostic-Code", "")).split(";", 1)[-1].strip()
                    )
        elif kind in ("text/rfc822-headers", "message/rfc822"):
            headers = _original_headers(part)
            if headers is not None:
                ids = message_ids(headers.get("Message-ID"))
                original_id = original_id or (ids[0] if ids else "")
                original_subject = original_subject or decoded_header(headers.get("Subject"))
    if not failed:
        return None
    return Bounce(status, diagnostic, tuple(recipients), original_id, original_subject)


def _original_headers(part: Message) -> Message | None:
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        if isinstance(inner, list) and inner and isinstance(inner[0], Message):
            return inner[0]
        return None
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return None
    return HeaderParser(policy=policy.compat32).parsestr(payload.decode("utf-8", "replace"))


def _eight_bit(value: str) -> str:
    """A header sent as raw 8-bit bytes (no RFC 2047): UTF-8 if it is, else Windows-1252."""
    if value.isascii():
        return value
    raw = value.encode("utf-8", "surrogateescape")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", "replace")


class _Headers:
    """The top-level header fields by lower-cased name, read once (``Message.get`` scans every
    field on each call)."""

    def __init__(self, message: Message) -> None:
        self.fields: dict[str, list[str]] = {}
        for name, value in message.raw_items():
            self.fields.setdefault(name.lower(), []).append(_eight_bit(str(value)))

    def first(self, name: str) -> str | None:
        values = self.fields.get(name)
        return values[0] if values else None

    def all(self, name: str) -> list[str]:
        return self.fields.get(name, [])

    def __contains__(self, name: str) -> bool:
        return name in self.fields


def _auto_reply(headers: _Headers, subject: str, text: str) -> str:
    auto_submitted = (headers.first("auto-submitted") or "").strip().lower()
    precedence = (headers.first("precedence") or "").strip().lower()
    automatic = (
        (auto_submitted != "" and not auto_submitted.startswith("no"))
        or "x-autoreply" in headers
        or "x-autorespond" in headers
        or precedence == "auto_reply"
        or bool(_AUTO_SUBJECT.search(subject))
    )
    if not automatic:
        return ""
    if _OUT_OF_OFFICE.search(subject) or _OUT_OF_OFFICE.search(text[:2000]):
        return "out_of_office"
    return "auto_reply"


def _date(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if isinstance(parsed, datetime) and parsed.tzinfo else None


def parse_mail(raw: bytes) -> ParsedMail:
    """Parse ``raw``; raise MalformedMessage when it is not an e-mail at all."""
    if not raw.strip():
        raise MalformedMessage("empty message")
    if not _HEADER_LINE.match(raw.lstrip(b"\r\n")):
        raise MalformedMessage("does not start with a header field")
    try:
        message = _parser.parsebytes(raw)
        headers = _Headers(message)
        if not any(name in headers for name in ("from", "message-id", "subject", "date")):
            raise MalformedMessage("has none of From, Message-ID, Subject, Date")
        subject = decoded_header(headers.first("subject"))
        from_name, from_address = _sender(headers.first("from") or "")
        recipients = _recipients(headers)
        ids = message_ids(headers.first("message-id"))
        text, attachments = _body_and_attachments(message)
        bounce = _bounce(message, from_address, subject)
        return ParsedMail(
            message_id=ids[0] if ids else "",
            subject=subject,
            from_address=from_address,
            from_name=decoded_header(from_name),
            recipients=recipients,
            in_reply_to=message_ids(headers.first("in-reply-to")),
            references=message_ids(headers.first("references")),
            date=_date(headers.first("date")),
            text=text,
            attachments=attachments,
            auto_reply="" if bounce else _auto_reply(headers, subject, text),
            bounce=bounce,
            defects=tuple(type(d).__name__ for d in message.defects),
        )
    except MalformedMessage:
        raise
    except Exception as error:  # the email package raises many kinds on hostile input
        raise MalformedMessage(f"cannot be parsed: {type(error).__name__}: {error}") from None

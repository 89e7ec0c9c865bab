"""What a person sees of a received message: its attachments (for download) and its HTML body,
sanitised with nh3 so that nothing from an e-mail ever runs or loads in the interface."""

from __future__ import annotations

import mimetypes
import re
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser

import nh3

# Content types a download may carry; anything else (HTML, SVG, scripts...) goes out as
# application/octet-stream so a browser never renders it in the interface's origin.
SAFE_TYPES = frozenset(
    {
        "application/pdf",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/vnd.oasis.opendocument.text",
        "application/zip",
        "text/csv",
        "text/plain",
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/tiff",
        "message/rfc822",
    }
)
# Tags kept in a sanitised HTML body: text structure and tables, never images (tracking pixels),
# forms, media or anything active.
HTML_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "div", "dl", "dt", "em",
        "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "s", "small",
        "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
        "u", "ul",
    }
)  # fmt: skip
HTML_ATTRIBUTES = {
    "a": {"href", "title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
_UNSAFE_NAME = re.compile(r"[^\w.\- ()]+")

_parser = BytesParser(policy=policy.default)


@dataclass(frozen=True)
class Attachment:
    index: int  # position among the message's attachments, from 0
    filename: str
    content_type: str  # what the message says
    size: int


def _message(raw: bytes) -> EmailMessage:
    message = _parser.parsebytes(raw)
    assert isinstance(message, EmailMessage)
    return message


def _parts(message: EmailMessage) -> list[EmailMessage]:
    if not message.is_multipart():
        return []
    return [part for part in message.iter_attachments() if isinstance(part, EmailMessage)]


def safe_filename(name: str, fallback: str) -> str:
    """A file name with no path and no characters that could break a header."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = _UNSAFE_NAME.sub("_", base).strip(" ._")
    return cleaned[:150] or fallback


def _payload(part: EmailMessage) -> bytes:
    content = part.get_payload(decode=True)
    if isinstance(content, bytes):
        return content
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        if isinstance(inner, list) and inner and isinstance(inner[0], Message):
            return inner[0].as_bytes()
    return b""


def list_attachments(raw: bytes) -> list[Attachment]:
    found = []
    for index, part in enumerate(_parts(_message(raw))):
        name = safe_filename(part.get_filename() or "", f"attachment-{index + 1}")
        found.append(Attachment(index, name, part.get_content_type(), len(_payload(part))))
    return found


def download_type(filename: str, declared: str) -> str:
    """The content type to serve a download with: the declared or guessed one if it is safe."""
    for candidate in (declared, mimetypes.guess_type(filename)[0] or ""):
        if candidate.lower() in SAFE_TYPES:
            return candidate.lower()
    return "application/octet-stream"


def attachment_content(raw: bytes, index: int) -> tuple[Attachment, bytes]:
    """The attachment at ``index`` and its decoded bytes; IndexError when there is none."""
    parts = _parts(_message(raw))
    if index < 0 or index >= len(parts):
        raise IndexError(f"the message has no attachment {index + 1}")
    part = parts[index]
    content = _payload(part)
    name = safe_filename(part.get_filename() or "", f"attachment-{index + 1}")
    return Attachment(index, name, part.get_content_type(), len(content)), content


def sanitised_html(raw: bytes) -> str | None:
    """The message's HTML body cleaned by nh3 (no script, style, images or event handlers;
    links open nowhere special), or None when it has no HTML body."""
    body = _message(raw).get_body(preferencelist=("html",))
    if body is None:
        return None
    content = body.get_payload(decode=True)
    if not isinstance(content, bytes):
        return None
    charset = body.get_content_charset() or "utf-8"
    try:
        markup = content.decode(charset)
    except (LookupError, UnicodeDecodeError):
        markup = content.decode("utf-8", errors="replace")
    return nh3.clean(
        markup,
        tags=set(HTML_TAGS),
        clean_content_tags={"script", "style"},
        attributes={tag: set(names) for tag, names in HTML_ATTRIBUTES.items()},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def plain_text(raw: bytes) -> str:
    """The plain-text body of a message (what Sightline itself sends is plain text)."""
    body = _message(raw).get_body(preferencelist=("plain",))
    if body is None:
        return ""
    content = body.get_content()
    return content if isinstance(content, str) else ""

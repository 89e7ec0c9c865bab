"""What a person sees of a received message: its attachments (for download) and its HTML body,
sanitised with nh3 so that nothing from an e-mail ever runs or loads in the interface.

The message is read by ``sightline.replies``, so the download list is the attachment list the
timeline counts and fact extraction reads (winmail.dat contents and uuencoded files included)."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass

import nh3

from sightline.replies import Reply, read_reply

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


@dataclass(frozen=True)
class Attachment:
    index: int  # position among the message's attachments, from 0
    filename: str
    content_type: str  # what the message says
    size: int


def attachments_of(reply: Reply) -> list[Attachment]:
    return [
        Attachment(index, part.name, part.content_type, part.size)
        for index, part in enumerate(reply.attachments)
    ]


def list_attachments(raw: bytes) -> list[Attachment]:
    return attachments_of(read_reply(raw))


def download_type(filename: str, declared: str) -> str:
    """The content type to serve a download with: the declared or guessed one if it is safe."""
    for candidate in (declared, mimetypes.guess_type(filename)[0] or ""):
        if candidate.lower() in SAFE_TYPES:
            return candidate.lower()
    return "application/octet-stream"


def attachment_content(raw: bytes, index: int) -> tuple[Attachment, bytes]:
    """The attachment at ``index`` and its decoded bytes; IndexError when there is none."""
    parts = read_reply(raw).attachments
    if index < 0 or index >= len(parts):
        raise IndexError(f"the message has no attachment {index + 1}")
    part = parts[index]
    content = part.data
    return Attachment(index, part.name, part.content_type, len(content)), content


def clean_html(markup: str) -> str:
    """``markup`` cleaned by nh3: no script, style, images or event handlers; links open
    nowhere special."""
    return nh3.clean(
        markup,
        tags=set(HTML_TAGS),
        clean_content_tags={"script", "style"},
        attributes={tag: set(names) for tag, names in HTML_ATTRIBUTES.items()},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def sanitised_html(raw: bytes) -> str | None:
    """The message's HTML body cleaned by ``clean_html``, or None when it has no HTML body."""
    markup = read_reply(raw).html
    return clean_html(markup) if markup else None


def plain_text(raw: bytes) -> str:
    """The text body of a message (what Sightline itself sends is plain text)."""
    return read_reply(raw).text

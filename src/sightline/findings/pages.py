"""A page per request in the published bundle: ``requests/REFERENCE.html``.

Each page shows the letter as sent, every reply and follow-up in order, the attachments as text
(the original files only where the builder allows it), the timeline with the statutory dates
(computed by ``sightline.law``, the one source of working days), and the coded facts with their
evidence highlighted where it stands in the correspondence. Plain static HTML with its style
inline: it works from a folder, a USB stick or any static host, and asks nothing of any other host.

The records come in already read (``sightline.review.publishing`` reads them from a campaign);
``redact_record`` passes every piece of text through the accepted redactions before any of it is
written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup, escape

from sightline import __version__
from sightline.errors import SightlineError
from sightline.findings.words import FactWords
from sightline.law import due_date, rules_for
from sightline.redaction import MARK_PATTERN, Redactor

PAGE_TEMPLATE = "request_template.html"
PAGES_FOLDER = "requests"


@dataclass(frozen=True)
class TextBlock:
    location: str  # "body", "reply.pdf page 1", "sheet Assets!C14"
    text: str


@dataclass(frozen=True)
class AttachmentText:
    name: str
    blocks: tuple[TextBlock, ...] = ()
    # The original file, only when the builder allows originals (they are not redacted).
    content: bytes | None = None


@dataclass(frozen=True)
class Correspondence:
    direction: str  # "sent" or "received"
    kind: str  # request, reminder, internal-review, complaint, reply, auto_reply...
    when: dt.datetime | None
    subject: str
    blocks: tuple[TextBlock, ...] = ()
    attachments: tuple[AttachmentText, ...] = ()


@dataclass(frozen=True)
class FactLine:
    field: str
    vendor: str
    value: Any
    quotes: tuple[tuple[str, str], ...] = ()  # (quote, location)
    status: str = "confirmed"


@dataclass(frozen=True)
class Happening:
    day: dt.date
    text: str


@dataclass(frozen=True)
class RequestRecord:
    """One request as published: who was asked, what was said, what it came to."""

    reference: str
    authority: str
    law: str  # foia, eir, foisa, eisr
    state: str
    received_on: dt.date | None = None
    extended: bool = False
    review_requested_on: dt.date | None = None
    messages: tuple[Correspondence, ...] = ()
    events: tuple[Happening, ...] = ()
    facts: tuple[FactLine, ...] = ()

    @property
    def page(self) -> str:
        return f"{PAGES_FOLDER}/{page_name(self.reference)}"


class PageError(SightlineError, ValueError):
    """A request page cannot be made."""


def page_name(reference: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9_-]+", "-", reference).strip("-")
    if not safe:
        raise PageError(f"request reference {reference!r} cannot name a file")
    return f"{safe}.html"


def redact_record(record: RequestRecord, redactor: Redactor) -> RequestRecord:
    """``record`` with every piece of text passed through the accepted redactions."""
    clean = redactor.redact

    def blocks(items: Sequence[TextBlock]) -> tuple[TextBlock, ...]:
        return tuple(TextBlock(clean(b.location), clean(b.text)) for b in items)

    return replace(
        record,
        messages=tuple(
            replace(
                message,
                subject=clean(message.subject),
                blocks=blocks(message.blocks),
                attachments=tuple(
                    replace(a, name=clean(a.name), blocks=blocks(a.blocks))
                    for a in message.attachments
                ),
            )
            for message in record.messages
        ),
        events=tuple(Happening(e.day, clean(e.text)) for e in record.events),
        facts=tuple(
            replace(f, quotes=tuple((clean(q), clean(loc)) for q, loc in f.quotes))
            for f in record.facts
        ),
    )


def statutory_dates(record: RequestRecord) -> list[tuple[str, dt.date, str]]:
    """(what, date, provision) for the request's time limits, from ``sightline.law``."""
    if record.received_on is None:
        return []
    rules = rules_for(record.law)
    dates: list[tuple[str, dt.date, str]] = [
        ("Received by the authority", record.received_on, ""),
    ]
    try:
        due = due_date(rules.law, record.received_on)
        dates.append(
            (
                f"Answer due ({rules.response_days}th working day)",
                due.due,
                f"{rules.short_name} {rules.time_limit_provision}",
            )
        )
        if rules.extendable:
            late = due_date(rules.law, record.received_on, rules.extended_days)
            what = "Extended time limit" if record.extended else "Long overdue after"
            dates.append(
                (
                    f"{what} ({rules.extended_days}th working day)",
                    late.due,
                    f"{rules.short_name} {rules.extension_provision}",
                )
            )
        if record.review_requested_on is not None:
            review = due_date(rules.law, record.review_requested_on, rules.review_days)
            dates.append(("Internal review asked for", record.review_requested_on, ""))
            dates.append(
                (
                    f"Internal review due ({rules.review_days}th working day)",
                    review.due,
                    rules.review_time_provision or rules.review_provision,
                )
            )
    except SightlineError:
        pass  # a date before the right of access began: the received date alone stands
    return dates


def _pattern(quote: str) -> re.Pattern[str] | None:
    words = quote.split()
    if not words:
        return None
    return re.compile(r"\s+".join(re.escape(word) for word in words), re.IGNORECASE)


def marked(text: str) -> Markup:
    """Escaped text with every redaction mark shown as redacted."""
    out: list[str] = []
    at = 0
    for match in MARK_PATTERN.finditer(text):
        out.append(str(escape(text[at : match.start()])))
        out.append(f'<span class="redacted">{escape(match.group(0))}</span>')
        at = match.end()
    out.append(str(escape(text[at:])))
    return Markup("".join(out))


def _highlighted(text: str, quotes: Sequence[tuple[str, str]]) -> tuple[Markup, dict[str, str]]:
    """``text`` as HTML with each quote marked; ``quotes`` is (anchor id, quote). Returns, for
    every quote found, the id of the mark that shows it (a quote inside or across one already
    marked points at that one)."""
    spans: list[tuple[int, int, str]] = []
    for anchor, quote in quotes:
        pattern = _pattern(quote)
        if pattern is not None:
            match = pattern.search(text)
            if match:
                spans.append((match.start(), match.end(), anchor))
    spans.sort(key=lambda span: (span[0], -span[1]))
    out: list[str] = []
    found: dict[str, str] = {}
    at = 0
    kept: list[tuple[int, int, str]] = []
    for start, end, anchor in spans:
        if kept and start < kept[-1][1]:
            found[anchor] = kept[-1][2]  # overlaps the last mark: the link goes there
            continue
        kept.append((start, end, anchor))
        found[anchor] = anchor
    for start, end, anchor in kept:
        out.append(str(marked(text[at:start])))
        out.append(f'<mark class="evidence" id="{anchor}">{marked(text[start:end])}</mark>')
        at = end
    out.append(str(marked(text[at:])))
    return Markup("".join(out)), found


@dataclass
class _ShownBlock:
    location: str
    html: Markup


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    source = resources.files("sightline.findings").joinpath(PAGE_TEMPLATE).read_text("utf-8")
    return _environment().from_string(source)


def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    environment.filters["marked"] = marked
    return environment


def render_request_page(
    record: RequestRecord,
    *,
    title: str,
    words: FactWords,
    originals: Callable[[int, int], str | None] | None = None,
) -> str:
    """The HTML of one request's page. ``record`` must already be redacted. ``originals``
    gives, for (message number, attachment number), the bundle path of an original file or
    None where originals are not published."""
    template = _template()
    quotes: list[tuple[str, str]] = []
    facts: list[dict[str, Any]] = []
    shown_facts = [f for f in record.facts if f.quotes or not _silent(f.value)]
    for number, fact in enumerate(shown_facts, start=1):
        anchors = []
        for index, (quote, location) in enumerate(fact.quotes, start=1):
            anchor = f"evidence-{number}-{index}"
            quotes.append((anchor, quote))
            anchors.append((anchor, quote, location))
        facts.append(
            {
                "statement": words.statement(fact.field, fact.vendor, fact.value),
                "status": fact.status,
                "anchors": anchors,
            }
        )
    placed: dict[str, str] = {}
    messages: list[dict[str, Any]] = []
    for number, message in enumerate(record.messages, start=1):
        body = []
        for block in message.blocks:
            html, found = _highlighted(block.text, [q for q in quotes if q[0] not in placed])
            placed.update(found)
            body.append(_ShownBlock(block.location, html))
        attachments = []
        for index, attachment in enumerate(message.attachments, start=1):
            shown = []
            for block in attachment.blocks:
                html, found = _highlighted(block.text, [q for q in quotes if q[0] not in placed])
                placed.update(found)
                shown.append(_ShownBlock(block.location, html))
            original = originals(number, index) if originals and attachment.content else None
            attachments.append({"name": attachment.name, "blocks": shown, "original": original})
        messages.append(
            {
                "number": number,
                "message": message,
                "when": message.when.strftime("%Y-%m-%d %H:%M") if message.when else "",
                "heading": _heading(message, record.authority),
                "body": body,
                "attachments": attachments,
            }
        )
    for item in facts:
        item["anchors"] = [
            (placed.get(a, ""), q, loc, a in placed) for a, q, loc in item["anchors"]
        ]
    rules = rules_for(record.law)
    return template.render(
        version=__version__,
        title=title,
        record=record,
        law_title=rules.title,
        statutory=statutory_dates(record),
        events=sorted(record.events, key=lambda event: event.day),
        messages=messages,
        facts=facts,
    )


def _silent(value: Any) -> bool:
    """A fact that says nothing on its own (no number given, a vendor not mentioned)."""
    return value in (None, "unstated", [], False)


def _heading(message: Correspondence, authority: str) -> str:
    if message.direction == "sent":
        what = {
            "request": "The request as sent",
            "reminder": "Reminder sent",
            "internal-review": "Request for internal review sent",
            "complaint": "Complaint to the regulator sent",
            "withdrawal": "Withdrawal sent",
        }.get(message.kind, "Sent")
        return f"{what} to {authority}"
    what = {"auto_reply": "Automatic reply", "reply": "Reply"}.get(message.kind, "Message")
    return f"{what} from {authority}"

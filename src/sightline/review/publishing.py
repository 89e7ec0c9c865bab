"""A campaign's requests as the published bundle shows them (``sightline.findings.pages``): the
letters sent, the replies and their attachments read into text, the timeline, the reviewed facts.

Texts come out as written; the bundle applies the accepted redactions
(``sightline.review.redactions``) before anything is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from sightline.campaigns.models import Campaign, Request
from sightline.documents import read_message
from sightline.errors import SightlineError
from sightline.facts.vendors import knowledge_base
from sightline.findings.pages import (
    AttachmentText,
    Correspondence,
    FactLine,
    Happening,
    RequestRecord,
    TextBlock,
)
from sightline.findings.words import FactWords
from sightline.mail.attachments import plain_text
from sightline.mail.inbox import raw_store
from sightline.mail.models import IncomingMessage, OutgoingMessage
from sightline.replies import read_reply
from sightline.review.models import FactEvidence, StoredFact
from sightline.review.service import ACCEPTED

if TYPE_CHECKING:
    from sightline.findings.bundle import BundleResult, ReportInfo, SpendAttachment
    from sightline.findings.coded import CodedResponse
    from sightline.findings.spec import FindingsSpec

# What each event says on a published page (who did it and their notes stay inside the team).
EVENT_WORDS = {
    "created": "Request drafted",
    "queued": "Queued to send",
    "sent": "Sent",
    "delivery_failed": "Delivery failed",
    "message_received": "Message received",
    "follow_up_sent": "Follow-up sent",
    "internal_review_requested": "Internal review asked for",
    "regulator_complaint": "Complaint made to the regulator",
    "refiled": "Re-filed as a new request",
    "due_extended": "Time limit extended",
    "clarified": "Clarification given: the clock started again",
    "withdrawn": "Withdrawn",
}
SENT_STATUSES = (OutgoingMessage.Status.SENT, OutgoingMessage.Status.UNCERTAIN)


def fact_words() -> FactWords:
    """Fact labels with vendor names from the vendor knowledge base."""
    base = knowledge_base()
    return FactWords(base.display)


def published_requests(campaign: Campaign) -> Iterable[Request]:
    return (
        campaign.requests.select_related("authority")
        .filter(replaced_by=None)
        .exclude(state="withdrawn")
        .exclude(sent_at=None)
        .order_by("authority__name", "reference")
    )


def request_records(campaign: Campaign, originals: bool = False) -> list[RequestRecord]:
    """Every sent request of the campaign as a page record, texts as written."""
    store = raw_store()
    facts_by_request: dict[int, list[StoredFact]] = {}
    accepted = StoredFact.objects.filter(request__campaign=campaign, status__in=ACCEPTED)
    for fact in accepted.order_by("id"):
        facts_by_request.setdefault(fact.request_id, []).append(fact)
    evidence: dict[int, list[FactEvidence]] = {}
    for item in FactEvidence.objects.filter(fact__in=accepted).order_by("id"):
        evidence.setdefault(item.fact_id, []).append(item)
    records = []
    for request in published_requests(campaign):
        messages: list[tuple[dt.datetime, int, Correspondence]] = []
        for sent in request.outgoing.filter(status__in=SENT_STATUSES).order_by("id"):
            when = sent.sent_at or sent.created_at
            messages.append((when, 0, _sent(sent, when)))
        received = IncomingMessage.objects.filter(
            links__request=request,
            copy_of=None,
            kind__in=(IncomingMessage.Kind.REPLY, IncomingMessage.Kind.AUTO_REPLY),
        ).order_by("id")
        for message in received.distinct():
            when = message.date or message.received_at
            messages.append((when, 1, _received(message, store.get(message.sha256), originals)))
        messages.sort(key=lambda item: (item[0], item[1]))
        facts = tuple(
            FactLine(
                field=fact.field,
                vendor=fact.vendor,
                value=fact.final_value,
                quotes=tuple((e.quote, e.location) for e in evidence.get(fact.pk, [])),
                status=fact.status,
            )
            for fact in facts_by_request.get(request.pk, [])
        )
        records.append(
            RequestRecord(
                reference=request.reference,
                authority=request.authority.name,
                law=request.law,
                state=request.state,
                received_on=request.received_on,
                extended=request.extended,
                review_requested_on=request.review_requested_on,
                messages=tuple(item[2] for item in messages),
                events=tuple(_events(request)),
                facts=facts,
            )
        )
    return records


def _sent(message: OutgoingMessage, when: dt.datetime) -> Correspondence:
    raw = bytes(message.raw)
    try:
        text = plain_text(raw)
    except SightlineError:
        text = raw.decode("utf-8", errors="replace")
    return Correspondence(
        direction="sent",
        kind=message.kind,
        when=when,
        subject=message.subject,
        blocks=(TextBlock("letter", text),),
    )


def _received(message: IncomingMessage, raw: bytes, originals: bool) -> Correspondence:
    body: list[TextBlock] = []
    attachments: dict[str, list[TextBlock]] = {}
    contents: dict[str, bytes] = {}
    try:
        document = read_message(raw)
        for block in document.blocks:
            location = block.location
            if location.file:
                group = attachments.setdefault(location.file, [])
                where = str(location)
                if group and group[-1].location == where:
                    group[-1] = TextBlock(where, group[-1].text + "\n" + block.text)
                else:
                    group.append(TextBlock(where, block.text))
            else:
                body.append(TextBlock(str(location), block.text))
        if originals:
            for part in read_reply(raw).attachments:
                contents.setdefault(part.name, part.data)
    except SightlineError:
        body = [TextBlock("body", "(This message could not be read.)")]
    except Exception:  # a hostile message must not stop a build
        body = [TextBlock("body", "(This message could not be read.)")]
    return Correspondence(
        direction="received",
        kind=message.kind,
        when=message.date or message.received_at,
        subject=message.subject,
        blocks=tuple(body),
        attachments=tuple(
            AttachmentText(name, tuple(blocks), contents.get(name) if originals else None)
            for name, blocks in attachments.items()
        ),
    )


def _events(request: Request) -> list[Happening]:
    happenings = []
    for event in request.events.order_by("id"):
        words: Any = EVENT_WORDS.get(event.kind)
        if event.kind == "state_set" and event.state and not event.guess:
            words = f"Marked as {event.state.replace('_', ' ')}"
        if not words:
            continue
        happenings.append(Happening(timezone.localdate(event.at), words))
    return happenings


def build_campaign_bundle(
    campaign: Campaign,
    folder: Path,
    info: ReportInfo,
    *,
    spec: FindingsSpec | None = None,
    spend: SpendAttachment | None = None,
    originals: bool = False,
    responses: Sequence[CodedResponse] | None = None,
    records: Sequence[RequestRecord] | None = None,
) -> BundleResult:
    """Build campaign's published bundle into ``folder``: its reviewed facts and evidence, how
    promptly each authority answered, and a page per request with the accepted redactions
    applied. The one way a campaign is published (command line, web task, demo); it refuses
    (RedactionError) while any redaction proposal waits for a person. ``responses`` and
    ``records`` (the coded responses, the correspondence) when the caller has read them already."""
    from sightline.campaigns.histories import request_histories
    from sightline.findings.bundle import build_bundle
    from sightline.review.redactions import prepare_publication
    from sightline.review.service import coded_responses, evidence_rows

    publication = prepare_publication(campaign, originals=originals, records=records)
    return build_bundle(
        folder,
        coded_responses(campaign) if responses is None else responses,
        info,
        evidence=evidence_rows(campaign),
        spec=spec,
        spend=spend,
        histories=request_histories(campaign),
        requests=publication.records,
        redactor=publication.redactor,
        words=fact_words(),
        originals=originals,
    )

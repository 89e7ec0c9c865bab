"""A campaign's correspondence read from the database and the raw store, for the evidence archive.

Sent messages are the outbox's stored bytes (``OutgoingMessage.raw``: stored before the first
attempt and handed to the SMTP server as they are, so they are what went). Received messages are
the raw store's bytes, found by their SHA-256. Only messages that went, or may have gone (an
attempt whose answer never came), are exported; a message that was never tried or was refused by
the server is in the timeline as its events, not as a file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.utils import timezone

from sightline.campaigns.histories import request_histories
from sightline.campaigns.models import Campaign, Request
from sightline.campaigns.service import get_campaign
from sightline.export.archive import (
    ExportedAttachment,
    ExportedEvent,
    ExportedMessage,
    ExportedRequest,
    ExportError,
    ExportResult,
    write_export,
)
from sightline.findings.responsiveness import compute_responsiveness
from sightline.mail.inbox import raw_store
from sightline.mail.models import IncomingMessage, OutgoingMessage
from sightline.mail.rawstore import RawStore
from sightline.mail.timeline import request_timeline
from sightline.replies import MalformedMessage, read_reply

# Outbox statuses of a message that went or may have gone (sightline.mail.models).
EXPORTED_STATUSES = frozenset(
    {
        OutgoingMessage.Status.SENT,
        OutgoingMessage.Status.UNCERTAIN,
        OutgoingMessage.Status.SENDING,
    }
)


def export_correspondence(
    slug: str,
    out: Path,
    reference: str | None = None,
    force: bool = False,
    now: dt.datetime | None = None,
) -> ExportResult:
    """Write campaign ``slug``'s correspondence (or one request's) to the zip ``out``."""
    campaign = get_campaign(slug)
    requests = list(
        Request.objects.filter(campaign=campaign).select_related("authority").order_by("reference")
    )
    if reference is not None:
        wanted = reference.strip().upper()
        requests = [r for r in requests if r.reference == wanted]
        if not requests:
            raise ExportError(f"campaign {slug} has no request {reference!r}")
    store = raw_store()
    created_at = now or timezone.now()
    timeliness = {
        row.reference: row.as_record()
        for row in compute_responsiveness(
            request_histories(campaign), timezone.localdate(created_at)
        ).requests
    }
    exported = [
        exported_request(request, store, timeliness.get(request.reference)) for request in requests
    ]
    return write_export(
        out, campaign_record(campaign), exported, created_at=created_at, force=force
    )


def campaign_record(campaign: Campaign) -> dict[str, Any]:
    return {
        "slug": campaign.slug,
        "title": campaign.title,
        "requester": campaign.requester_name,
        "authority_set": campaign.authority_set,
    }


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def request_dates(request: Request) -> dict[str, Any]:
    """The statutory dates as the campaign keeps them (computed by sightline.law)."""
    return {
        "sent_at": request.sent_at.isoformat() if request.sent_at else None,
        "received_on": _day(request.received_on),
        "due": _day(request.due),
        "extended": bool(request.extended),
        "clock_stopped_on": _day(request.clock_stopped_on),
        "review_requested_on": _day(request.review_requested_on),
        "review_due": _day(request.review_due),
        "due_basis": dict(request.due_basis or {}),
    }


def exported_request(
    request: Request, store: RawStore, responsiveness: dict[str, Any] | None = None
) -> ExportedRequest:
    """One request's messages and events; ``responsiveness`` is its row of
    sightline.findings.responsiveness (answered within 20 working days and the rest)."""
    entries: list[ExportedMessage | ExportedEvent] = []
    for entry in request_timeline(request):
        if entry.event is not None:
            event = entry.event
            entries.append(
                ExportedEvent(
                    at=event.at,
                    kind=event.kind,
                    state=event.state,
                    guess=event.guess,
                    actor=event.actor,
                    note=event.note,
                )
            )
        elif entry.outgoing is not None:
            if entry.outgoing.status in EXPORTED_STATUSES:
                entries.append(sent_message(entry.outgoing))
        elif entry.incoming is not None:
            entries.append(received_message(entry.incoming, request, store))
    return ExportedRequest(
        reference=request.reference,
        authority=request.authority.name,
        gss_code=request.authority.gss_code,
        law=request.law,
        state=request.state,
        dates={**request_dates(request), "responsiveness": responsiveness},
        entries=tuple(entries),
    )


def sent_message(message: OutgoingMessage) -> ExportedMessage:
    raw = bytes(message.raw)
    attachments, unreadable = _attachments(raw)
    return ExportedMessage(
        direction="sent",
        kind=str(message.kind),
        raw=raw,
        at=message.sent_at or message.attempted_at,
        sender=message.envelope_from,
        recipient=message.to,
        subject=message.subject,
        message_id=message.message_id,
        status=str(message.status),
        attachments=attachments,
        unreadable=unreadable,
    )


def received_message(
    message: IncomingMessage, request: Request, store: RawStore
) -> ExportedMessage:
    try:
        raw = store.get(message.sha256)
    except FileNotFoundError:
        raise ExportError(
            f"{request.reference}: received message {message.sha256[:12]} is missing from the "
            f"raw store ({store.location(message.sha256)}); nothing written"
        ) from None
    attachments, unreadable = _attachments(raw)
    return ExportedMessage(
        direction="received",
        kind=str(message.kind),
        raw=raw,
        at=message.date or message.received_at,
        sender=message.from_address,
        recipient="",
        subject=message.subject,
        message_id=message.message_id,
        attachments=attachments,
        unreadable=unreadable,
    )


def _attachments(raw: bytes) -> tuple[tuple[ExportedAttachment, ...], str]:
    try:
        reply = read_reply(raw)
    except MalformedMessage as error:
        return (), error.message
    return (
        tuple(
            ExportedAttachment(part.name, part.content_type, part.data)
            for part in reply.attachments
        ),
        "",
    )

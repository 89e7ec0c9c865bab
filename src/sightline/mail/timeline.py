"""One request's history in order: its events, the messages sent and the messages received."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sightline.campaigns.models import Request, RequestEvent
from sightline.mail.models import IncomingMessage, OutgoingMessage

# Events whose message is shown in its own entry, so the event itself adds nothing to show.
_SHOWN_BY_MESSAGE = {"message_received"}


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str  # "event", "sent" or "received"
    event: RequestEvent | None = None
    outgoing: OutgoingMessage | None = None
    incoming: IncomingMessage | None = None

    @property
    def sort_key(self) -> tuple[Any, ...]:
        order = {"sent": 0, "received": 1, "event": 2}[self.kind]
        return (self.at, order)


def request_timeline(request: Request) -> list[TimelineEntry]:
    """Everything that happened to ``request``, oldest first (three queries)."""
    entries: list[TimelineEntry] = []
    for event in request.events.order_by("id"):
        if event.kind in _SHOWN_BY_MESSAGE and event.data.get("message"):
            continue
        entries.append(TimelineEntry(event.at, "event", event=event))
    for message in OutgoingMessage.objects.filter(request=request).order_by("id"):
        entries.append(
            TimelineEntry(message.sent_at or message.created_at, "sent", outgoing=message)
        )
    received = IncomingMessage.objects.filter(links__request=request, copy_of=None).order_by("id")
    for message in received.distinct():
        entries.append(
            TimelineEntry(message.date or message.received_at, "received", incoming=message)
        )
    entries.sort(key=lambda entry: entry.sort_key)
    return entries

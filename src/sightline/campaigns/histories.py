"""Each request's log as the responsiveness figures read it (``sightline.findings.responsiveness``).

The day of an event is its own day in the campaign's time zone, with one exception: a state set
by a person (a reviewer confirming that a reply answered the request) is dated by the latest
message received before it, because the answer came on the day of that message, not on the day
someone read it. A rule's reading already carries its message's date.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from sightline.campaigns.models import Campaign, RequestEvent
from sightline.findings.responsiveness import ClockEvent, RequestHistory
from sightline.lifecycle import EventKind, State


def request_histories(campaign: Campaign) -> list[RequestHistory]:
    """One history per request the findings count: as in the coded responses, a re-filed
    request is left out (its replacement speaks for it) and so is a withdrawn one."""
    requests = (
        campaign.requests.select_related("authority")
        .filter(replaced_by=None)
        .exclude(state=State.WITHDRAWN.value)
        .order_by("authority__name", "reference")
    )
    events: dict[int, list[RequestEvent]] = {}
    for event in RequestEvent.objects.filter(request__campaign=campaign).order_by("id"):
        events.setdefault(event.request_id, []).append(event)
    histories = []
    for request in requests:
        clock: list[ClockEvent] = []
        last_message: dt.date | None = None
        for event in events.get(request.pk, []):
            day = timezone.localdate(event.at)
            kind = EventKind(event.kind)
            if kind is EventKind.MESSAGE_RECEIVED:
                last_message = day
            elif kind is EventKind.STATE_SET and not event.guess and last_message is not None:
                day = min(day, last_message) if not event.data.get("message") else day
            clock.append(
                ClockEvent(kind, day, State(event.state) if event.state else None, event.guess)
            )
        histories.append(
            RequestHistory(request.reference, request.authority.name, request.law, tuple(clock))
        )
    return histories

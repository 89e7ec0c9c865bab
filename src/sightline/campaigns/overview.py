"""Where a campaign stands, for the dashboard and the request table: counts, deadlines, filters.

Built for campaigns of thousands of requests: counts come from one aggregate query, and the
deadline of each request is worked out once per (law, receipt day, extension) rather than once per
request, since a campaign's requests are mostly sent on a few days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from sightline.campaigns.models import Campaign, Request
from sightline.law import deadline_status
from sightline.lifecycle import AWAITING_STATES, State

AWAITING = [s.value for s in AWAITING_STATES]
# Reminders go while the authority still owes the first answer (as sightline.mail.chasing).
REMIND_STATES = (State.SENT.value, State.ACKNOWLEDGED.value)
SORTS = {
    "reference": ("reference",),
    "authority": ("authority__name", "reference"),
    "state": ("state", "reference"),
    "sent": ("sent_at", "reference"),
    "due": ("due", "reference"),
    "last_message": ("last_message_at", "reference"),
}
DEADLINES = ("in_time", "overdue", "long_overdue")


@lru_cache(maxsize=4096)
def _status(law: str, received_on: date, extended: bool, today: date) -> str:
    return deadline_status(law, received_on, today, extended=extended).value


def state_counts(campaign: Campaign) -> dict[str, int]:
    """Requests per state, in the order the states are declared, leaving out empty ones."""
    found = dict(
        campaign.requests.values("state").annotate(n=Count("id")).values_list("state", "n")
    )
    return {s.value: found[s.value] for s in State if found.get(s.value)}


def _deadline_groups(campaign: Campaign, today: date) -> dict[str, Q]:
    """A filter for each deadline status over the requests still awaiting an answer."""
    groups = (
        campaign.requests.filter(state__in=AWAITING)
        .exclude(received_on=None)
        .values_list("law", "received_on", "extended")
        .distinct()
    )
    matches: dict[str, Q] = {name: Q(pk__in=[]) for name in DEADLINES}
    for law, received_on, extended in groups:
        status = _status(law, received_on, extended, today)
        matches[status] |= Q(law=law, received_on=received_on, extended=extended)
    return {
        name: Q(state__in=AWAITING) & ~Q(received_on=None) & condition
        for name, condition in matches.items()
    }


def filtered_requests(
    campaign: Campaign,
    today: date | None = None,
    state: str = "",
    deadline: str = "",
    text: str = "",
    sort: str = "reference",
    descending: bool = False,
) -> QuerySet[Request]:
    """The campaign's requests with their authority, filtered and sorted for the table."""
    today = today or timezone.localdate()
    found = campaign.requests.select_related("authority")
    if state:
        found = found.filter(state=state)
    if deadline in DEADLINES:
        found = found.filter(_deadline_groups(campaign, today)[deadline])
    if text.strip():
        words = text.strip()
        found = found.filter(Q(reference__icontains=words) | Q(authority__name__icontains=words))
    fields = SORTS.get(sort, SORTS["reference"])
    return found.order_by(*(f"-{f}" if descending else f for f in fields))


def deadline_of(request: Request, today: date) -> str | None:
    """in_time, overdue or long_overdue for a request awaiting an answer; None otherwise."""
    if request.received_on is None or request.state not in AWAITING:
        return None
    return _status(request.law, request.received_on, request.extended, today)


@dataclass(frozen=True)
class DeadlineLists:
    overdue: list[Request]
    long_overdue: list[Request]
    overdue_total: int
    long_overdue_total: int


def deadline_lists(campaign: Campaign, today: date | None = None, limit: int = 50) -> DeadlineLists:
    """Overdue (past the 20th working day, or the extended limit) and long-overdue (past the
    40th) requests, most overdue first, at most ``limit`` of each with the totals."""
    today = today or timezone.localdate()
    groups = _deadline_groups(campaign, today)
    lists = {}
    totals = {}
    for name in ("overdue", "long_overdue"):
        found = campaign.requests.filter(groups[name]).select_related("authority")
        totals[name] = found.count()
        lists[name] = list(found.order_by("due", "reference")[:limit])
    return DeadlineLists(
        lists["overdue"], lists["long_overdue"], totals["overdue"], totals["long_overdue"]
    )


def reminders_due_count(campaign: Campaign, today: date | None = None, every_days: int = 7) -> int:
    """How many overdue requests have had no reminder (sent or waiting) for ``every_days`` days:
    the number ``sightline chase`` would send today (sightline.mail.chasing.reminders_due)."""
    from sightline.mail.models import OutgoingMessage

    today = today or timezone.localdate()
    groups = _deadline_groups(campaign, today)
    late = groups["overdue"] | groups["long_overdue"]
    first_day = today - timedelta(days=every_days - 1)
    since = timezone.make_aware(datetime.combine(first_day, time.min))
    recent = (
        OutgoingMessage.objects.filter(kind=OutgoingMessage.Kind.REMINDER, created_at__gte=since)
        .exclude(status=OutgoingMessage.Status.FAILED)
        .values("request_id")
    )
    return campaign.requests.filter(late, state__in=REMIND_STATES).exclude(pk__in=recent).count()

"""Where a campaign stands, for the dashboard and the request table: counts, deadlines, filters.

Built for campaigns of thousands of requests: counts come from one aggregate query, and the
deadline of each request comes from sightline.law's cache, worked out once per (law, receipt day,
extension) rather than once per request, since a campaign's requests go out on a few days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

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


def _status(law: str, received_on: date, extended: bool, today: date) -> str:
    # sightline.law caches these, so each (law, receipt day, extension) is worked out once.
    return deadline_status(law, received_on, today, extended=extended).value


def state_counts(campaign: Campaign) -> dict[str, int]:
    """Requests per state, in the order the states are declared, leaving out empty ones."""
    found = dict(
        campaign.requests.values("state").annotate(n=Count("id")).values_list("state", "n")
    )
    return {s.value: found[s.value] for s in State if found.get(s.value)}


def deadline_filters(campaign: Campaign, today: date) -> dict[str, Q]:
    """A filter for each deadline status (in_time, overdue, long_overdue) over the requests
    still awaiting an answer.

    For one law and extension, a later receipt never has an earlier due date, so each status is
    a range of receipt days: the filter is at most one range per (law, extended) pair, however
    many requests and receipt days there are.
    """
    days: dict[tuple[str, bool], list[date]] = {}
    groups = (
        campaign.requests.filter(state__in=AWAITING)
        .exclude(received_on=None)
        .order_by()  # no default ordering, or DISTINCT would also take in the reference
        .values_list("law", "extended", "received_on")
        .distinct()
    )
    for law, extended, received_on in groups:
        days.setdefault((law, extended), []).append(received_on)
    matches: dict[str, Q] = {name: Q(pk__in=[]) for name in DEADLINES}
    for (law, extended), received in days.items():
        received.sort()
        status = {day: _status(law, day, extended, today) for day in received}
        # The first receipt day still in time, and the first not yet long overdue (None: none).
        in_time_from = next((d for d in received if status[d] == "in_time"), None)
        recent_from = next((d for d in received if status[d] != "long_overdue"), None)
        pair = Q(law=law, extended=extended)
        if in_time_from is not None:
            matches["in_time"] |= pair & Q(received_on__gte=in_time_from)
        if recent_from is not None:
            overdue = pair & Q(received_on__gte=recent_from)
            if in_time_from is not None:
                overdue &= Q(received_on__lt=in_time_from)
            matches["overdue"] |= overdue
            matches["long_overdue"] |= pair & Q(received_on__lt=recent_from)
        else:
            matches["long_overdue"] |= pair
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
        found = found.filter(deadline_filters(campaign, today)[deadline])
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


def deadline_lists(
    campaign: Campaign,
    today: date | None = None,
    limit: int = 50,
    filters: dict[str, Q] | None = None,
) -> DeadlineLists:
    """Overdue (past the 20th working day, or the extended limit) and long-overdue (past the
    40th) requests, most overdue first, at most ``limit`` of each with the totals."""
    today = today or timezone.localdate()
    groups = filters or deadline_filters(campaign, today)
    lists = {}
    totals = {}
    for name in ("overdue", "long_overdue"):
        found = campaign.requests.filter(groups[name]).select_related("authority")
        totals[name] = found.count()
        lists[name] = list(found.order_by("due", "reference")[:limit])
    return DeadlineLists(
        lists["overdue"], lists["long_overdue"], totals["overdue"], totals["long_overdue"]
    )


def reminders_due_count(
    campaign: Campaign,
    today: date | None = None,
    every_days: int = 7,
    filters: dict[str, Q] | None = None,
) -> int:
    """How many overdue requests have had no reminder (sent or waiting) for ``every_days`` days:
    the number ``sightline chase`` would send today (sightline.mail.chasing.reminders_due)."""
    # The outbox model through the ``outgoing`` relation: this package imports nothing of mail.
    outgoing = Request._meta.get_field("outgoing").related_model
    today = today or timezone.localdate()
    groups = filters or deadline_filters(campaign, today)
    late = groups["overdue"] | groups["long_overdue"]
    first_day = today - timedelta(days=every_days - 1)
    since = timezone.make_aware(datetime.combine(first_day, time.min))
    recent = (
        outgoing._default_manager.filter(kind="reminder", created_at__gte=since)
        .exclude(status="failed")
        .values("request_id")
    )
    due: int = (
        campaign.requests.filter(late, state__in=REMIND_STATES).exclude(pk__in=recent).count()
    )
    return due

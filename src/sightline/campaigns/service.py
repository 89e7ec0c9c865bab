"""Creating campaigns, logging request events, and reporting where a campaign stands."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from django.db import transaction
from django.utils import timezone

from sightline.authorities.models import Authority
from sightline.authorities.registry import set_members
from sightline.campaigns.models import Campaign, Request, RequestEvent
from sightline.errors import SightlineError
from sightline.law import (
    DeadlineStatus,
    DueDate,
    Law,
    deadline_status,
    default_calendar,
    due_date,
    review_status,
    rules_for,
)
from sightline.letters import check_template
from sightline.lifecycle import (
    AWAITING_STATES,
    EventKind,
    FollowUp,
    FollowUpFacts,
    LoggedEvent,
    NewEvent,
    State,
    apply,
    derive_state,
    follow_up_problem,
)
from sightline.lifecycle import DerivedState as Derived

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


class CampaignError(SightlineError, ValueError):
    pass


def law_for(campaign_law: str, authority: Authority) -> Law:
    """The law a request is made under: EIR becomes EISR for Scottish bodies, and vice versa."""
    scottish = authority.law == Law.FOISA.value
    if campaign_law in (Law.EIR.value, Law.EISR.value):
        return Law.EISR if scottish else Law.EIR
    return Law.FOISA if scottish else Law.FOIA


def _reference_prefix(slug: str) -> str:
    letters = re.sub(r"[^A-Z0-9]", "", slug.upper())[:10] or "REQ"
    prefix, number = letters, 2
    while Campaign.objects.filter(reference_prefix=prefix).exists():
        prefix = f"{letters[:8]}{number}"
        number += 1
    return prefix


def get_campaign(slug: str) -> Campaign:
    try:
        return Campaign.objects.get(slug=slug)
    except Campaign.DoesNotExist:
        raise CampaignError(f"no campaign {slug!r}") from None


def get_request(reference: str) -> Request:
    try:
        return Request.objects.select_related("campaign", "authority").get(
            reference=reference.strip().upper()
        )
    except Request.DoesNotExist:
        raise CampaignError(f"no request {reference!r}") from None


@transaction.atomic
def create_campaign(
    slug: str,
    authority_set: str,
    template: str,
    title: str,
    law: str = "",
    requester_name: str = "",
    reply_domain: str = "",
    template_source: str = "",
    test: bool = False,
) -> Campaign:
    """A campaign with one draft request per authority in the set; ``test`` marks one whose
    replies may go to reserved names (the demo's)."""
    if not SLUG.match(slug):
        raise CampaignError(
            f"campaign name {slug!r} must be lower-case letters, digits and hyphens"
        )
    if Campaign.objects.filter(slug=slug).exists():
        raise CampaignError(f"campaign {slug!r} already exists")
    if law and law not in (Law.FOIA.value, Law.EIR.value, Law.FOISA.value, Law.EISR.value):
        raise CampaignError(f"unknown law {law!r}: choose one of foia, eir, foisa, eisr")
    check_template(template)
    members = set_members(authority_set)
    if not members:
        raise CampaignError(f"authority set {authority_set!r} is empty")
    campaign = Campaign.objects.create(
        slug=slug,
        title=title,
        template=template,
        template_source=template_source,
        law=law,
        authority_set=authority_set,
        reference_prefix=_reference_prefix(slug),
        requester_name=requester_name,
        reply_domain=reply_domain,
        secret=secrets.token_hex(16),
        is_test=test,
    )
    for number, authority in enumerate(members, start=1):
        request = Request.objects.create(
            campaign=campaign,
            authority=authority,
            reference=f"{campaign.reference_prefix}-{number:04d}",
            law=law_for(law, authority).value,
        )
        RequestEvent.objects.create(request=request, kind=EventKind.CREATED)
    return campaign


def letters_fixed(campaign: Campaign) -> bool:
    """True once any request is queued or sent: then the letter, the requester, the reply
    domain and the authorities stay as they went (``edit_campaign`` refuses to change them)."""
    return _queued_any(campaign)


def _queued_any(campaign: Campaign) -> bool:
    return (
        campaign.requests.exclude(state=State.DRAFT.value)
        .exclude(state=State.WITHDRAWN.value, sent_at=None)
        .exists()
    )


@transaction.atomic
def edit_campaign(
    campaign: Campaign,
    *,
    title: str | None = None,
    requester_name: str | None = None,
    reply_domain: str | None = None,
    template: str | None = None,
    template_source: str = "",
    test: bool | None = None,
    add: list[str] | None = None,
    remove: list[str] | None = None,
    actor: str = "system",
) -> list[str]:
    """Change a campaign before its letters go; returns what changed, in words.

    The letter, the requester, the reply domain and the authorities can change only while no
    request has been queued: a letter already stored or sent must stay as it went. Removing an
    authority withdraws its draft (the log keeps that it was there)."""
    changes: list[str] = []
    fixed = {
        "the letter": template,
        "the requester": requester_name,
        "the reply domain": reply_domain,
        "the authorities": (add or remove) or None,
    }
    touched = [name for name, value in fixed.items() if value is not None]
    if touched and _queued_any(campaign):
        raise CampaignError(
            f"campaign {campaign.slug} has requests queued or sent: "
            f"{' and '.join(touched)} can no longer change"
        )
    if title is not None and title != campaign.title:
        campaign.title = title
        changes.append(f"title {title!r}")
    if requester_name is not None:
        campaign.requester_name = " ".join(requester_name.split())
        changes.append(f"requester {campaign.requester_name!r}")
    if reply_domain is not None:
        campaign.reply_domain = reply_domain.strip().lower()
        changes.append(f"reply domain {campaign.reply_domain or '(default)'}")
    if template is not None:
        check_template(template)
        campaign.template, campaign.template_source = template, template_source
        changes.append("letter" + (f" from {template_source}" if template_source else ""))
    if test is not None and test != campaign.is_test:
        campaign.is_test = test
        changes.append("marked as a test" if test else "no longer a test")
    campaign.save()
    drafts = {r.authority.gss_code: r for r in campaign.requests.select_related("authority")}
    for code in remove or []:
        request = drafts.get(code)
        if request is None or request.state != State.DRAFT.value:
            raise CampaignError(f"campaign {campaign.slug} has no draft request to {code}")
        record_event(
            request,
            EventKind.WITHDRAWN,
            actor=actor,
            note="removed from the campaign before sending",
        )
        changes.append(f"removed {request.authority.name} ({request.reference})")
    for code in add or []:
        existing = drafts.get(code)
        if existing is not None and existing.state != State.WITHDRAWN.value:
            raise CampaignError(f"campaign {campaign.slug} already has a request to {code}")
        try:
            authority = Authority.objects.get(gss_code=code)
        except Authority.DoesNotExist:
            raise CampaignError(f"no authority with code {code!r}") from None
        request = Request.objects.create(
            campaign=campaign,
            authority=authority,
            reference=next_reference(campaign),
            law=law_for(campaign.law, authority).value,
        )
        RequestEvent.objects.create(request=request, kind=EventKind.CREATED, actor=actor)
        changes.append(f"added {authority.name} ({request.reference})")
    return changes


def next_reference(campaign: Campaign) -> str:
    """The next unused reference of the campaign (PREFIX-NNNN)."""
    prefix = f"{campaign.reference_prefix}-"
    numbers = [
        int(ref[len(prefix) :])
        for ref in Request.objects.filter(reference__startswith=prefix).values_list(
            "reference", flat=True
        )
        if ref[len(prefix) :].isdigit()
    ]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def _logged(event: RequestEvent) -> LoggedEvent:
    return LoggedEvent(
        EventKind(event.kind), State(event.state) if event.state else None, event.guess
    )


@transaction.atomic
def record_event(
    request: Request,
    kind: EventKind,
    state: State | None = None,
    guess: bool = False,
    actor: str = "system",
    note: str = "",
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> RequestEvent:
    """Append an event after checking the move it makes; refresh the cached state and dates.

    The one writer of a request's timeline: sending, replies, assignments, review decisions,
    follow-ups, extensions, clarifications, withdrawals and overdue notes all come here."""
    request = Request.objects.select_for_update().get(pk=request.pk)
    current = Derived(State(request.state), request.state_is_guess)
    logged = LoggedEvent(kind, state, guess)
    new = apply(current, logged)  # raises TransitionError for a forbidden move
    if kind is EventKind.DUE_EXTENDED:
        check_extension(request)
    if kind is EventKind.CLARIFIED and current.state is not State.CLARIFICATION_REQUESTED:
        raise CampaignError(
            f"{request.reference} is {current.state.value}: no clarification was asked for"
        )
    event = RequestEvent.objects.create(
        request=request,
        kind=kind,
        state=state.value if state else "",
        guess=guess,
        actor=actor,
        note=note,
        data=data or {},
        at=at or timezone.now(),
    )
    request.state, request.state_is_guess = new.state.value, new.guess
    apply_dates(request, kind, new.state, current.state, event.at)
    request.save()
    return event


# The cached fields of a request that events change (written by ``record_events``).
_CACHED = (
    "state",
    "state_is_guess",
    "sent_at",
    "received_on",
    "due",
    "due_basis",
    "calendar_version",
    "extended",
    "last_message_at",
    "clock_stopped_on",
    "review_requested_on",
    "review_due",
)
# What ``record_events`` loads: the law and the cached fields but those every event works out
# afresh (``refresh_due``).
_READ = ("law", *(name for name in _CACHED if name not in ("due", "due_basis", "calendar_version")))
_EVENT_COLUMNS = ("request_id", "kind", "state", "guess", "actor", "note", "data", "at")


@transaction.atomic
def record_events(events: list[tuple[int, NewEvent]]) -> int:
    """Many events to many requests at once (a mail import): the same rules as
    ``record_event``, in order, with one insert for all events and one update per request
    (``bulk_create`` and ``bulk_update`` cost more than the import they serve). A forbidden
    move raises ``TransitionError`` and writes nothing."""
    if not events:
        return 0
    ids = sorted({request_id for request_id, _ in events})
    # what the rules read (the due date and its basis are worked out afresh by every event)
    found = Request.objects.select_for_update().filter(pk__in=ids).only(*_READ)
    requests = {r.pk: r for r in found}
    now = timezone.now()
    rows: list[tuple[Any, ...]] = []
    for request_id, new_event in events:
        request = requests[request_id]
        current = Derived(State(request.state), request.state_is_guess)
        new = apply(current, LoggedEvent(new_event.kind, new_event.state, new_event.guess))
        at = new_event.at or now
        request.state, request.state_is_guess = new.state.value, new.guess
        apply_dates(request, new_event.kind, new.state, current.state, at)
        state = new_event.state.value if new_event.state else ""
        rows.append(
            (request_id, new_event.kind.value, state, new_event.guess, new_event.actor,
             new_event.note, new_event.data, at)
        )  # fmt: skip
    _write_rows(RequestEvent, _EVENT_COLUMNS, rows, insert=True)
    cached = [(*(getattr(r, name) for name in _CACHED), r.pk) for r in requests.values()]
    _write_rows(Request, (*_CACHED, "id"), cached, insert=False)
    return len(rows)


def _write_rows(
    model: Any, columns: tuple[str, ...], rows: list[tuple[Any, ...]], insert: bool
) -> None:
    """INSERT (or UPDATE ... WHERE id) many rows with one prepared statement, each value
    prepared as its model field would (text, numbers and booleans as they are: a field-by-field
    ``get_db_prep_save`` costs more than the rest of a large mail import)."""
    from django.db import connection

    by_name = {f.attname: f for f in model._meta.concrete_fields}
    fields = [by_name[name] for name in columns]
    table = connection.ops.quote_name(model._meta.db_table)
    adapters = [_adapter(f, connection) for f in fields]
    prepared = [
        tuple(v if a is None else a(v) for a, v in zip(adapters, row, strict=True)) for row in rows
    ]
    names = [connection.ops.quote_name(f.column) for f in fields]
    if insert:
        sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(['%s'] * len(names))})"
    else:
        assignments = ", ".join(f"{name} = %s" for name in names[:-1])
        sql = f"UPDATE {table} SET {assignments} WHERE {names[-1]} = %s"
    with connection.cursor() as cursor:
        cursor.executemany(sql, prepared)


_AS_IS = frozenset(
    {"AutoField", "BigAutoField", "BooleanField", "CharField", "TextField", "IntegerField",
     "BigIntegerField", "PositiveIntegerField", "ForeignKey"}
)  # fmt: skip


def _adapter(model_field: Any, connection: Any) -> Any:
    """How a value of ``model_field`` goes to the database (None: as it is)."""
    kind = model_field.get_internal_type()
    if kind in _AS_IS:
        return None
    if kind == "DateTimeField":  # aware datetimes, as events hold; many rows share one
        return lru_cache(maxsize=4096)(connection.ops.adapt_datetimefield_value)
    if kind == "DateField":
        return lru_cache(maxsize=4096)(connection.ops.adapt_datefield_value)
    if kind == "JSONField":
        encoder = model_field.encoder
        return lambda value: (
            None if value is None else connection.ops.adapt_json_value(value, encoder)
        )
    return lambda value: model_field.get_db_prep_save(value, connection)


def apply_dates(request: Request, kind: EventKind, new: State, old: State, at: datetime) -> None:
    """The cached dates an event changes (the statutory clocks, from sightline.law)."""
    day = timezone.localdate(at)
    if kind is EventKind.SENT:
        request.sent_at = at
        # An e-mail is received the day it is sent (FOIA s.8: a request may be made by e-mail).
        request.received_on = day
    elif kind is EventKind.MESSAGE_RECEIVED:
        request.last_message_at = max(request.last_message_at or at, at)
    elif kind is EventKind.DUE_EXTENDED:
        request.extended = True
    elif kind is EventKind.CLARIFIED:
        # The clock starts afresh from the clarification (FOIA s.10(6)(b), FOISA s.10(1)(b),
        # EIR and EISR reg.9(4)).
        request.received_on, request.clock_stopped_on, request.extended = day, None, False
    elif kind is EventKind.INTERNAL_REVIEW_REQUESTED:
        request.review_requested_on = day
        rules = rules_for(request.law)
        request.review_due = due_date(Law(request.law), day, rules.review_days).due
    if new is State.CLARIFICATION_REQUESTED and old is not State.CLARIFICATION_REQUESTED:
        request.clock_stopped_on = day  # FOIA s.1(3), FOISA s.1(3): the clock stops
    elif old is State.CLARIFICATION_REQUESTED and new is not State.CLARIFICATION_REQUESTED:
        request.clock_stopped_on = None  # a correction of a guess: the clock was never stopped
    refresh_due(request)


def check_extension(request: Request) -> None:
    """An extension the law allows: EIR and EISR reg.7(1) (to 40 working days, for complex or
    voluminous requests); FOIA s.10(3) (a reasonable time to consider the public interest, which
    the ICO's guidance puts at no more than 20 further working days). FOISA has none."""
    rules = rules_for(request.law)
    if not rules.extendable:
        raise CampaignError(
            f"{request.reference} is under {rules.short_name}, which allows no extension of "
            "the time limit"
        )
    if request.extended:
        raise CampaignError(f"{request.reference} was already extended")
    if State(request.state) not in AWAITING_STATES:
        raise CampaignError(
            f"{request.reference} is {request.state}: only a request awaiting its answer is "
            "extended"
        )


def refresh_due(request: Request) -> None:
    """Recompute the due date from the receipt date, law, extension and calendar; none while a
    request for clarification has stopped the clock."""
    if request.received_on is None or request.clock_stopped_on is not None:
        request.due, request.due_basis, request.calendar_version = None, {}, ""
        return
    law = Law(request.law)
    rules = rules_for(law)
    days = rules.extended_days if request.extended else rules.response_days
    computed = due_date(law, request.received_on, days)
    request.due = computed.due
    request.due_basis = computed.to_json()
    request.calendar_version = computed.calendar_version


def recompute_stale_due_dates() -> int:
    """Recompute every open request whose due date came from older calendar data."""
    version = default_calendar().version
    stale = Request.objects.exclude(received_on=None).exclude(calendar_version=version)
    count = 0
    for request in stale.filter(state__in=[s.value for s in AWAITING_STATES]):
        refresh_due(request)
        request.save(update_fields=["due", "due_basis", "calendar_version"])
        count += 1
    return count


def rebuild_state(request: Request) -> Derived:
    """The state derived afresh from the whole log (to check the cached one)."""
    # The log is replayed in the order it was written; `at` may be back-dated by an import.
    return derive_state(_logged(e) for e in request.events.order_by("id"))


@dataclass(frozen=True)
class RequestStatus:
    reference: str
    gss_code: str
    authority: str
    state: str
    sent_on: date | None
    due: date | None
    last_message_on: date | None
    deadline: str | None  # in_time, overdue, long_overdue; None when no answer is owed
    review_due: date | None = None
    clock_stopped_on: date | None = None


def request_status(request: Request, today: date) -> RequestStatus:
    """Where one request stands: the first answer's clock while it is owed, the internal
    review's own clock during a review (sightline.law.review_status), none otherwise."""
    deadline: DeadlineStatus | None = None
    if request.received_on and request.state in AWAITING_STATES:
        deadline = deadline_status(
            request.law, request.received_on, today, extended=request.extended
        )
    elif request.state == State.INTERNAL_REVIEW.value and request.review_requested_on:
        deadline = review_status(request.law, request.review_requested_on, today)
    return RequestStatus(
        reference=request.reference,
        gss_code=request.authority.gss_code,
        authority=request.authority.name,
        state=request.state,
        sent_on=timezone.localdate(request.sent_at) if request.sent_at else None,
        due=request.due,
        last_message_on=(
            timezone.localdate(request.last_message_at) if request.last_message_at else None
        ),
        deadline=deadline.value if deadline else None,
        review_due=request.review_due,
        clock_stopped_on=request.clock_stopped_on,
    )


# Outbox statuses of a message that may or may not have gone (sightline.mail.models
# OutgoingMessage.Status SENDING and UNCERTAIN), read through the ``outgoing`` relation so that
# this module needs nothing from the mail package.
UNSETTLED_STATUSES = ("sending", "uncertain")


def unsettled_messages(campaign: Campaign) -> dict[str, list[int]]:
    """Reference -> outbox numbers of the request's messages that wait to be settled."""
    found: dict[str, list[int]] = {}
    rows = (
        campaign.requests.filter(outgoing__status__in=UNSETTLED_STATUSES)
        .order_by("reference", "outgoing__id")
        .values_list("reference", "outgoing__id")
    )
    for reference, number in rows:
        found.setdefault(reference, []).append(number)
    return found


def campaign_status(campaign: Campaign, today: date | None = None) -> dict[str, Any]:
    """``{"slug", "counts": {state: N}, "uncertain": N, "requests": [...]}``; a request whose
    message may have gone lists that message's number under ``uncertain``."""
    today = today or timezone.localdate()
    requests = campaign.requests.select_related("authority").order_by("reference")
    rows = [request_status(r, today) for r in requests]
    unsettled = unsettled_messages(campaign)
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.state] = counts.get(row.state, 0) + 1
    overdue = [r.reference for r in rows if r.deadline == DeadlineStatus.OVERDUE.value]
    long_overdue = [r.reference for r in rows if r.deadline == DeadlineStatus.LONG_OVERDUE.value]
    return {
        "slug": campaign.slug,
        "title": campaign.title,
        "counts": dict(sorted(counts.items())),
        "uncertain": sum(len(numbers) for numbers in unsettled.values()),
        "overdue": overdue,
        "long_overdue": long_overdue,
        "requests": [
            {
                "reference": r.reference,
                "gss_code": r.gss_code,
                "authority": r.authority,
                "state": r.state,
                "sent_on": r.sent_on.isoformat() if r.sent_on else None,
                "due": r.due.isoformat() if r.due else None,
                "last_message_on": r.last_message_on.isoformat() if r.last_message_on else None,
                "deadline": r.deadline,
                "review_due": r.review_due.isoformat() if r.review_due else None,
                "clock_stopped_on": r.clock_stopped_on.isoformat() if r.clock_stopped_on else None,
                "uncertain": unsettled.get(r.reference, []),
            }
            for r in rows
        ],
    }


# Follow-ups: what the facts of a request allow on a given day.


def review_requested_on(request: Request) -> date | None:
    """The day the latest internal review was asked for (its own clock starts then)."""
    return request.review_requested_on


def review_deadline(request: Request) -> DueDate | None:
    """When the internal review is due: FOISA s.21(1) and EISR reg.16(4) 20 working days, EIR
    reg.11(4) 40, FOIA the s.45 Code's 20 (``rules_for(law).review_days``)."""
    asked = review_requested_on(request)
    if asked is None:
        return None
    return due_date(Law(request.law), asked, rules_for(request.law).review_days)


def follow_up_facts(request: Request, today: date) -> FollowUpFacts:
    state = State(request.state)
    overdue = bool(
        request.received_on
        and state in AWAITING_STATES
        and deadline_status(request.law, request.received_on, today, extended=request.extended)
        is not DeadlineStatus.IN_TIME
    )
    review = review_deadline(request)
    return FollowUpFacts(
        state=state,
        overdue=overdue,
        review_requested=review is not None,
        review_overdue=review is not None and today > review.due,
    )


def allowed_follow_ups(request: Request, today: date | None = None) -> list[FollowUp]:
    facts = follow_up_facts(request, today or timezone.localdate())
    return [kind for kind in FollowUp if follow_up_problem(kind, facts) is None]


def check_follow_up(request: Request, kind: FollowUp, today: date | None = None) -> None:
    """Refuse a follow-up the request's facts do not allow (sightline.lifecycle rules)."""
    problem = follow_up_problem(kind, follow_up_facts(request, today or timezone.localdate()))
    if problem is not None:
        raise CampaignError(
            f"{request.reference}: no {kind.value.replace('-', ' ')} now: {problem}"
        )

"""Reviewing at campaign scale: one reply at a time with all of its facts, and many confident
facts at once after a look at a sample.

A *reply* here is one received message as read for one request (a message linked to two
requests is two replies: each request's facts are decided on their own). Every decision still
goes through :func:`sightline.review.workflow.review`, one per fact, so disputes, the
append-only log and the request state rules are the same as when facts are decided one by one;
what changes is that a reply's decisions are made in one transaction (all of them or none).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Case, Count, F, Min, QuerySet, Value, When
from django.utils import timezone

from sightline.campaigns.models import Campaign, Request
from sightline.mail.models import IncomingMessage
from sightline.review.models import ReviewDecision, StoredFact
from sightline.review.service import ReviewError, parse_value
from sightline.review.workflow import Dispute, disputed_query, disputes, review

# What a reviewer may say about one fact of a reply; "skip" leaves it waiting.
CHOICES = ("confirm", "correct", "reject", "skip")
# How many facts the bulk confirmation shows before it may be confirmed.
SAMPLE_SIZE = 12


class ReplyReviewError(ReviewError):
    """Some decisions of a reply could not be recorded; none was. ``problems`` says which."""

    def __init__(self, problems: dict[int, str]) -> None:
        self.problems = problems
        numbers = ", ".join(f"#{n}" for n in sorted(problems))
        super().__init__(f"nothing recorded: the decisions on fact(s) {numbers} need a change")


@dataclass(frozen=True)
class ReplyKey:
    """One reply: a request and the message its facts were read from (None: no message)."""

    request_id: int
    message_id: int | None


@dataclass
class ReplyInQueue:
    """A reply with facts waiting, as the queue lists it (``reply_queue_query`` sorts them)."""

    key: ReplyKey
    reference: str
    authority: str
    subject: str
    pending: int
    lowest_confidence: float
    disputed: bool


def reply_queue_query(campaign: Campaign) -> QuerySet[Any]:
    """One row per reply with facts waiting, the most doubtful first, grouped and sorted by the
    database (a page of it costs the same with 20 replies or 20,000)."""
    return (
        StoredFact.objects.filter(request__campaign=campaign, status=StoredFact.Status.PENDING)
        .values("request_id", "message_id", "request__reference")
        .annotate(
            pending=Count("id", distinct=True),
            low=Min("confidence"),
            decided=Count("decisions"),
        )
        # a pending fact with a decision is a disputed one (disputed_query)
        .annotate(disputed=Case(When(decided__gt=0, then=Value(1)), default=Value(0)))
        .order_by("-disputed", "low", "request__reference", "message_id")
    )


def replies_of(rows: Iterable[dict[str, Any]]) -> list[ReplyInQueue]:
    """Rows of ``reply_queue_query`` (a page of them) with their authorities and subjects."""
    rows = list(rows)
    names = dict(
        Request.objects.filter(pk__in={row["request_id"] for row in rows}).values_list(
            "id", "authority__name"
        )
    )
    subjects = dict(
        IncomingMessage.objects.filter(
            pk__in={row["message_id"] for row in rows if row["message_id"]}
        ).values_list("id", "subject")
    )
    return [
        ReplyInQueue(
            key=ReplyKey(row["request_id"], row["message_id"]),
            reference=row["request__reference"],
            authority=names[row["request_id"]],
            subject=subjects.get(row["message_id"] or 0, "") or "(no subject)",
            pending=row["pending"],
            lowest_confidence=row["low"],
            disputed=bool(row["disputed"]),
        )
        for row in rows
    ]


def reply_queue(campaign: Campaign) -> list[ReplyInQueue]:
    """Every reply of the campaign with facts waiting for review, the most doubtful first."""
    return replies_of(reply_queue_query(campaign))


def next_reply(campaign: Campaign, after: ReplyKey | None = None) -> ReplyKey | None:
    """The most doubtful reply still waiting (other than ``after``, when others wait)."""
    keys = [
        ReplyKey(row["request_id"], row["message_id"]) for row in reply_queue_query(campaign)[:2]
    ]
    others = [key for key in keys if key != after]
    return next(iter(others or keys), None)


def reply_facts(key: ReplyKey) -> list[StoredFact]:
    """Every fact of the reply, decided or not, in the order the reply gives them."""
    return list(
        StoredFact.objects.filter(request_id=key.request_id, message_id=key.message_id)
        .select_related("request__authority", "request__campaign", "message")
        .prefetch_related("evidence")
        .order_by("id")
    )


@dataclass(frozen=True)
class FactDecision:
    """What a reviewer said about one fact of a reply. A confirmation with a value other than
    the proposed one is a correction (the reviewer changed the value and kept the default)."""

    fact_id: int
    decision: str
    value_text: str | None = None
    note: str = ""


@dataclass
class ReplyOutcome:
    made: list[ReviewDecision] = field(default_factory=list)
    disputed: dict[int, Dispute] = field(default_factory=dict)
    skipped: int = 0


def _resolved(fact: StoredFact, wanted: FactDecision) -> tuple[str, str | None]:
    """The decision as recorded, after checking it: (decision, value text for a correction)."""
    if wanted.decision not in CHOICES:
        raise ReviewError(f"unknown decision {wanted.decision!r}: confirm, correct or reject")
    if wanted.decision in ("reject", "skip"):
        return wanted.decision, None
    text = wanted.value_text
    if text is None or not text.strip():
        if wanted.decision == "correct":
            raise ReviewError("a correction needs the right value")
        return "confirm", None
    value = parse_value(fact.field, text)
    if value == fact.value:
        return "confirm", None  # the proposed value, kept: a confirmation
    return "correct", text


@transaction.atomic
def decide_reply(
    key: ReplyKey,
    decisions: Iterable[FactDecision],
    reviewer: str,
    on_decision: Callable[[StoredFact, ReviewDecision], None] | None = None,
) -> ReplyOutcome:
    """Record every decision on the reply's facts in one transaction: all are checked first,
    and when one cannot stand (a value outside the field's vocabulary, a fact of another reply
    or already decided, a dispute the reviewer is party to) nothing is recorded and
    :class:`ReplyReviewError` names each problem. ``on_decision`` runs for each decision made,
    inside the transaction (the web interface writes its audit entry there)."""
    if not reviewer.strip():
        raise ReviewError("a decision needs the reviewer's name")
    facts = {
        f.pk: f
        for f in StoredFact.objects.select_for_update().filter(
            request_id=key.request_id, message_id=key.message_id
        )
    }
    wanted = list(decisions)
    problems: dict[int, str] = {}
    plan: list[tuple[StoredFact, str, str | None, str]] = []
    open_disputes = disputes([f for f in facts.values() if f.status == StoredFact.Status.PENDING])
    for item in wanted:
        fact = facts.get(item.fact_id)
        if fact is None:
            problems[item.fact_id] = "is not a fact of this reply"
            continue
        try:
            decision, text = _resolved(fact, item)
        except ReviewError as error:
            problems[fact.pk] = error.message
            continue
        if decision == "skip":
            continue
        if fact.status != StoredFact.Status.PENDING:
            problems[fact.pk] = f"was already decided ({fact.status})"
            continue
        dispute = open_disputes.get(fact.pk)
        if dispute is not None and reviewer in dispute.parties:
            problems[fact.pk] = (
                f"{' and '.join(dispute.parties)} disagree on it: a third reviewer decides it"
            )
            continue
        plan.append((fact, decision, text, item.note.strip()))
    if problems:
        raise ReplyReviewError(problems)
    outcome = ReplyOutcome(skipped=len(wanted) - len(plan))
    for fact, decision, text, note in plan:
        made, dispute = review(fact, decision, reviewer, text, note)
        outcome.made.append(made)
        if dispute is not None:
            outcome.disputed[fact.pk] = dispute
        if on_decision is not None:
            on_decision(fact, made)
    return outcome


def confirm_reply(
    key: ReplyKey,
    reviewer: str,
    on_decision: Callable[[StoredFact, ReviewDecision], None] | None = None,
) -> ReplyOutcome:
    """Confirm every fact of the reply still waiting (those the reviewer disputes excepted)."""
    facts = [f for f in reply_facts(key) if f.status == StoredFact.Status.PENDING]
    open_disputes = disputes(facts)
    mine = [
        f for f in facts if f.pk not in open_disputes or reviewer not in open_disputes[f.pk].parties
    ]
    outcome = decide_reply(
        key, [FactDecision(f.pk, "confirm") for f in mine], reviewer, on_decision
    )
    outcome.skipped = len(facts) - len(mine)  # disputes the reviewer is party to
    return outcome


def pending_replies(request: Request) -> list[ReplyKey]:
    """The request's replies with facts waiting, oldest message first."""
    found = (
        StoredFact.objects.filter(request=request, status=StoredFact.Status.PENDING)
        .values_list("message_id", flat=True)
        .distinct()
    )
    return [ReplyKey(request.pk, m) for m in sorted(set(found), key=lambda m: (m is not None, m))]


# Bulk confirmation: facts the rules are sure of, confirmed together after a look at a sample.


@dataclass
class BulkPreview:
    """How many facts a bulk confirmation would confirm, a sample to look at, and a
    fingerprint that the confirmation must give back (so it confirms exactly those facts)."""

    min_confidence: float
    count: int
    sample: list[StoredFact]
    fingerprint: str
    by_field: dict[str, int]


def bulk_candidates(campaign: Campaign, min_confidence: float) -> QuerySet[StoredFact]:
    """Pending facts at or above ``min_confidence`` that no reviewer has disputed."""
    if not 0.0 <= min_confidence <= 1.0:
        raise ReviewError("the confidence threshold must be between 0 and 1")
    return (
        StoredFact.objects.filter(
            request__campaign=campaign,
            status=StoredFact.Status.PENDING,
            confidence__gte=min_confidence,
        )
        .annotate(disputed=disputed_query())
        .filter(disputed=False)
        .order_by("id")
    )


def _fingerprint(min_confidence: float, ids: list[int]) -> str:
    digest = hashlib.sha256(f"{min_confidence:.4f}:".encode())
    digest.update(",".join(map(str, ids)).encode())
    return digest.hexdigest()[:32]


def bulk_preview(
    campaign: Campaign, min_confidence: float, sample_size: int = SAMPLE_SIZE
) -> BulkPreview:
    candidates = bulk_candidates(campaign, min_confidence)
    ids = list(candidates.values_list("id", flat=True))
    fingerprint = _fingerprint(min_confidence, ids)
    # The same facts give the same sample (seeded by the fingerprint): a reload shows no other.
    chosen = random.Random(fingerprint).sample(ids, min(sample_size, len(ids)))
    sample = list(
        StoredFact.objects.filter(pk__in=chosen)
        .select_related("request__authority")
        .prefetch_related("evidence")
        .order_by("id")
    )
    by_field = dict(
        candidates.order_by("field").values_list("field").annotate(n=Count("id")).order_by()
    )
    return BulkPreview(
        min_confidence, len(ids), sample, fingerprint, dict(sorted(by_field.items()))
    )


@transaction.atomic
def bulk_confirm(
    campaign: Campaign, min_confidence: float, fingerprint: str, reviewer: str
) -> list[ReviewDecision]:
    """Confirm the facts a preview counted, all in one transaction; refuse (confirming none)
    when the facts above the threshold are no longer those.

    The candidates have no decision yet (none is disputed), so each confirmation is the plain
    case of ``review``: the fact's final value becomes its proposed one and one decision is
    logged. Those are written together; a reply's status goes through ``review`` one by one,
    since confirming it may move its request (the state rules live there)."""
    if not reviewer.strip():
        raise ReviewError("a decision needs the reviewer's name")
    candidates = bulk_candidates(campaign, min_confidence)
    rows = list(candidates.values_list("id", "field"))
    if not rows:
        raise ReviewError(f"no fact waits with a confidence of {min_confidence:.2f} or more")
    if _fingerprint(min_confidence, [pk for pk, _ in rows]) != fingerprint:
        raise ReviewError(
            "the facts above the threshold changed since the sample was shown: "
            "look at the new sample, then confirm"
        )
    plain = [pk for pk, name in rows if name != "status"]
    locked = list(
        StoredFact.objects.select_for_update()
        .filter(pk__in=plain, status=StoredFact.Status.PENDING)
        .values_list("pk", flat=True)
    )
    if len(locked) != len(plain):
        raise ReviewError("some of these facts were decided meanwhile: look at the new sample")
    StoredFact.objects.filter(pk__in=plain).update(
        status=StoredFact.Status.CONFIRMED, final_value=F("value")
    )
    now = timezone.now()
    made = ReviewDecision.objects.bulk_create(
        ReviewDecision(
            fact_id=pk, decision=ReviewDecision.Decision.CONFIRM, reviewer=reviewer, at=now
        )
        for pk in plain
    )
    for fact in StoredFact.objects.filter(pk__in=[pk for pk, name in rows if name == "status"]):
        decision, _ = review(fact, "confirm", reviewer)
        made.append(decision)
    return made


def value_text(fact: StoredFact) -> str:
    """The proposed value as a reviewer would type it (``parse_value`` reads it back as the
    same value, so an untouched field confirms)."""
    value = fact.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)

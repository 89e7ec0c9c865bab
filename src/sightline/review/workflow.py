"""Reviewing as a team: the queue of facts, second opinions, and disagreements.

Two reviewers who reach different decisions on a fact (one confirms, the other rejects; or they
correct it to different values) put it back in the queue as disputed; it then counts for nothing
until a third reviewer, neither of the two, decides it. Decisions stay append-only: the dispute is
read from the log each time, never stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, QuerySet

from sightline.campaigns.models import Campaign
from sightline.review.models import ReviewDecision, StoredFact
from sightline.review.service import REVIEW_ORDER, ReviewError, decide, pending_query


def _opinion(decision: ReviewDecision) -> tuple[str, Any]:
    value = decision.value if decision.decision == ReviewDecision.Decision.CORRECT else None
    return (decision.decision, value)


@dataclass(frozen=True)
class Dispute:
    """Reviewers whose latest decisions on one fact differ; a third reviewer must decide."""

    decisions: tuple[ReviewDecision, ...]  # the latest of each party, oldest first

    @property
    def parties(self) -> tuple[str, ...]:
        return tuple(d.reviewer for d in self.decisions)


def dispute_of(decisions: list[ReviewDecision]) -> Dispute | None:
    """The open dispute in a fact's decisions (in the order made), or None."""
    latest: dict[str, ReviewDecision] = {}
    for decision in decisions:
        disputed = len({_opinion(d) for d in latest.values()}) > 1
        if disputed and decision.reviewer not in latest:
            latest = {}  # a third reviewer settles it; the old opinions no longer count
        latest.pop(decision.reviewer, None)  # keep insertion order = order of latest opinions
        latest[decision.reviewer] = decision
    if len({_opinion(d) for d in latest.values()}) > 1:
        return Dispute(tuple(latest.values()))
    return None


def disputes(facts: list[StoredFact]) -> dict[int, Dispute]:
    """The open dispute of each fact that has one (one query for all the facts)."""
    by_fact: dict[int, list[ReviewDecision]] = {}
    for decision in ReviewDecision.objects.filter(fact__in=facts).order_by("id"):
        by_fact.setdefault(decision.fact_id, []).append(decision)
    found = {}
    for fact_id, decisions in by_fact.items():
        dispute = dispute_of(decisions)
        if dispute is not None:
            found[fact_id] = dispute
    return found


@transaction.atomic
def review(
    fact: StoredFact, decision: str, reviewer: str, value_text: str | None = None, note: str = ""
) -> tuple[ReviewDecision, Dispute | None]:
    """Record ``reviewer``'s decision; return it and the dispute it leaves open, if any.

    A party to an open dispute cannot decide it again: a third reviewer does.
    """
    fact = StoredFact.objects.select_for_update().get(pk=fact.pk)
    earlier = list(fact.decisions.order_by("id"))
    before = dispute_of(earlier)
    if before is not None and reviewer in before.parties:
        raise ReviewError(
            f"{' and '.join(before.parties)} disagree on fact #{fact.pk}: "
            "a third reviewer decides it"
        )
    if decision not in ReviewDecision.Decision.values:
        raise ReviewError(f"unknown decision {decision!r}: confirm, correct or reject")
    made = decide(fact, decision, reviewer, value_text, note)
    after = dispute_of([*earlier, made])
    if after is not None:
        fact.status = StoredFact.Status.PENDING  # counts for nothing until it is settled
        fact.save(update_fields=["status"])
    return made, after


def disputed_query() -> Exists:
    """True for a pending fact whose reviewers disagree: any decision that opens no dispute
    moves a fact out of pending (``review``), so a pending fact with a decision is disputed."""
    return Exists(ReviewDecision.objects.filter(fact=OuterRef("pk")))


def pending_queue(campaign: Campaign) -> QuerySet[StoredFact]:
    """Pending facts in order of doubt, ready to show one at a time: those whose reviewers
    disagree first, then the least certain (a fact's confidence is how often its rule is
    right), then request by request."""
    return (
        pending_query(campaign)
        .annotate(disputed=disputed_query())
        .order_by("-disputed", *REVIEW_ORDER)
    )


def second_opinion_queue(campaign: Campaign, reviewer: str) -> QuerySet[StoredFact]:
    """Decided facts that only one person, not ``reviewer``, has looked at: for a cross-check."""
    decided_once = (
        ReviewDecision.objects.filter(fact__request__campaign=campaign)
        .values("fact_id")
        .annotate(people=Count("reviewer", distinct=True))
        .filter(people=1)
        .values("fact_id")
    )
    mine = ReviewDecision.objects.filter(reviewer=reviewer).values("fact_id")
    return (
        StoredFact.objects.filter(request__campaign=campaign, pk__in=decided_once)
        .exclude(status=StoredFact.Status.PENDING)
        .exclude(pk__in=mine)
        .select_related("request__authority", "message")
        .prefetch_related("evidence")
        .order_by(*REVIEW_ORDER)
    )

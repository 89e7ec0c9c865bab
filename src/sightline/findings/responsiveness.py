"""How promptly the authorities answered: per request and authority, and for the whole campaign.

For each request: the day it was received (the day it was sent by e-mail, or the day a
clarification started the clock again), its first substantive answer (answered, partly answered,
refused or not held), the working days between them, whether that was within 20 working days and
within the time limit as extended, and each internal review with its outcome and whether it was
decided in time. Every date and count of working days comes from ``sightline.law``; nothing is
counted here.

The measure is the one the Information Commissioner's Office applies: its FOI self-assessment
toolkit ("Topic 1: timeliness - response rates",
https://ico.org.uk/for-organisations/foi/foi-self-assessment-toolkit/topic-1-timeliness/response-rates)
rates fewer than 90% of requests answered within 20 working days as unsatisfactory, 90-95% as
adequate and 95% or more as good.

Plain Python: a request's history comes in as its log of events with their days
(``sightline.campaigns.histories`` reads them from the database).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sightline.findings.engine import percent_of
from sightline.law import Law, due_date, rules_for, working_days_elapsed
from sightline.lifecycle import FINAL_STATES, EventKind, LoggedEvent, State, TransitionError, apply
from sightline.lifecycle import DerivedState as Derived

# The ICO's expectation: at least 90% of requests answered within 20 working days (see above).
ICO_EXPECTED_PERCENT = 90
# States before an answer: a move from an answer back to one of these corrects a wrong reading.
_BEFORE_ANSWER = frozenset({State.SENT, State.ACKNOWLEDGED, State.CLARIFICATION_REQUESTED})


@dataclass(frozen=True)
class ClockEvent:
    """One event of a request's log as the clocks see it: what happened and on which day."""

    kind: EventKind
    day: dt.date
    state: State | None = None  # the target of a state_set event
    guess: bool = False


@dataclass(frozen=True)
class RequestHistory:
    reference: str
    authority: str
    law: Law | str
    events: tuple[ClockEvent, ...]  # in the order they were logged


@dataclass(frozen=True)
class ReviewResult:
    requested_on: dt.date
    due: dt.date  # the review's own limit (FOISA s.21(1), EIR reg.11(4), the FOIA s.45 Code)
    answered_on: dt.date | None
    outcome: str  # the state the review ended in (answered, refused...), or "awaiting"
    in_time: bool | None  # None while it is undecided and still within its limit


@dataclass(frozen=True)
class RequestResponsiveness:
    reference: str
    authority: str
    law: str
    status: str  # answered, awaiting, no_answer (past 20 working days), clock_stopped,
    #              not_received, withdrawn
    received_on: dt.date | None
    due_20: dt.date | None  # the 20th working day after receipt
    due: dt.date | None  # the limit as extended
    extended: bool
    answered_on: dt.date | None
    working_days: int | None  # working days from receipt to the answer
    within_20: bool | None  # None: not yet known (still in time, clock stopped, not received)
    in_time: bool | None  # within the limit as extended
    reviews: tuple[ReviewResult, ...] = ()

    @property
    def counted(self) -> bool:
        """Whether the request is in the figures at all (it reached the authority)."""
        return self.status not in ("not_received", "withdrawn")

    def as_record(self) -> dict[str, Any]:
        """The columns of responsiveness.csv and of the coded_responses table (docs/formats.md)."""
        review = self.reviews[-1] if self.reviews else None
        return {
            "reference": self.reference,
            "authority": self.authority,
            "law": self.law,
            "received_on": _day(self.received_on),
            "due_20_working_days": _day(self.due_20),
            "extended": _flag(self.extended),
            "due": _day(self.due),
            "answered_on": _day(self.answered_on),
            "working_days_to_answer": self.working_days,
            "answered_within_20_working_days": _flag(self.within_20),
            "answered_in_time": _flag(self.in_time),
            "responsiveness_status": self.status,
            "internal_reviews": len(self.reviews),
            "internal_review_requested_on": _day(review.requested_on) if review else None,
            "internal_review_due": _day(review.due) if review else None,
            "internal_review_answered_on": _day(review.answered_on) if review else None,
            "internal_review_outcome": review.outcome if review else None,
            "internal_review_in_time": _flag(review.in_time) if review else None,
        }


RECORD_COLUMNS = (
    "reference",
    "authority",
    "law",
    "received_on",
    "due_20_working_days",
    "extended",
    "due",
    "answered_on",
    "working_days_to_answer",
    "answered_within_20_working_days",
    "answered_in_time",
    "responsiveness_status",
    "internal_reviews",
    "internal_review_requested_on",
    "internal_review_due",
    "internal_review_answered_on",
    "internal_review_outcome",
    "internal_review_in_time",
)


@dataclass(frozen=True)
class Summary:
    """The figures of a set of requests (one authority's, a group's or the campaign's)."""

    requests: int  # requests that reached the authorities
    judged: int  # those whose 20 working days are over or that were answered
    within_20: int
    percent_within_20: int | None  # of ``judged``, rounded half up
    meets_ico_expectation: bool | None  # at least 90% of ``judged`` (exactly, not rounded)
    answered: int
    median_working_days: float | None
    extended: int
    in_time: int
    judged_in_time: int
    reviews_requested: int
    reviews_answered: int
    reviews_in_time: int
    reviews_judged: int
    review_outcomes: Mapping[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "judged": self.judged,
            "answered_within_20_working_days": self.within_20,
            "percent_within_20_working_days": self.percent_within_20,
            "ico_expected_percent": ICO_EXPECTED_PERCENT,
            "meets_ico_expectation": self.meets_ico_expectation,
            "answered": self.answered,
            "median_working_days_to_answer": self.median_working_days,
            "extended": self.extended,
            "answered_in_time": self.in_time,
            "judged_in_time": self.judged_in_time,
            "internal_reviews_requested": self.reviews_requested,
            "internal_reviews_answered": self.reviews_answered,
            "internal_reviews_in_time": self.reviews_in_time,
            "internal_reviews_judged": self.reviews_judged,
            "internal_review_outcomes": dict(self.review_outcomes),
        }


@dataclass(frozen=True)
class Responsiveness:
    as_of: dt.date
    requests: tuple[RequestResponsiveness, ...]  # in the order given
    campaign: Summary
    by_authority: Mapping[str, Summary]  # authority name -> its figures, names in order given

    def as_json(self) -> dict[str, Any]:
        """findings.json's ``responsiveness`` (docs/formats.md)."""
        return {
            "as_of": self.as_of.isoformat(),
            "campaign": self.campaign.as_json(),
            "by_authority": {name: s.as_json() for name, s in self.by_authority.items()},
            "requests": [r.as_record() for r in self.requests],
        }


@dataclass
class _OpenReview:
    requested_on: dt.date
    answered_on: dt.date | None = None
    outcome: str = "awaiting"


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _flag(value: bool | None) -> str | None:
    return None if value is None else ("true" if value else "false")


def request_responsiveness(history: RequestHistory, today: dt.date) -> RequestResponsiveness:
    """Replay the request's log up to ``today`` through the lifecycle's rules."""
    rules = rules_for(history.law)
    law = rules.law
    current = Derived(State.DRAFT, guess=False)
    received: dt.date | None = None
    extended = False
    answered: dt.date | None = None
    reviews: list[_OpenReview] = []
    for event in history.events:
        if event.day > today:
            continue  # not yet happened on the day the figures are for
        before = current.state
        try:
            current = apply(current, LoggedEvent(event.kind, event.state, event.guess))
        except TransitionError:
            continue  # the log was checked when written; an odd entry is not ours to judge
        after = current.state
        if event.kind is EventKind.SENT and answered is None:
            received = event.day  # an e-mail is received the day it is sent (FOIA s.8)
        elif event.kind is EventKind.CLARIFIED:
            # The clock starts afresh (FOIA s.10(6)(b), FOISA s.10(1)(b), EIR reg.9(4)).
            received, extended = event.day, False
        elif event.kind is EventKind.DUE_EXTENDED:
            extended = True
        elif event.kind is EventKind.INTERNAL_REVIEW_REQUESTED:
            reviews.append(_OpenReview(event.day))
        review = reviews[-1] if reviews else None
        if after in FINAL_STATES and before not in FINAL_STATES:
            in_review = before in (State.INTERNAL_REVIEW, State.APPEALED)
            if in_review and review is not None and review.answered_on is None:
                review.answered_on, review.outcome = event.day, after.value
            if answered is None:
                answered = event.day
        elif before in FINAL_STATES and after in _BEFORE_ANSWER and review is None:
            answered = None  # a reading corrected: that message was not the answer
        elif before in FINAL_STATES and after in FINAL_STATES and review and review.answered_on:
            review.outcome = after.value  # a review's outcome corrected
    state = current.state
    due_20 = due_date(law, received, rules.response_days).due if received else None
    limit = rules.extended_days if extended else rules.response_days
    due = due_date(law, received, limit).due if received else None
    working_days = within_20 = in_time = None
    if received is None:
        status = "withdrawn" if state is State.WITHDRAWN else "not_received"
    elif answered is not None:
        status = "answered"
        working_days = working_days_elapsed(law, received, answered)
        within_20 = answered <= due_20 if due_20 else None
        in_time = answered <= due if due else None
    elif state is State.WITHDRAWN:
        status = "withdrawn"
    elif state is State.CLARIFICATION_REQUESTED:
        status = "clock_stopped"
    else:
        assert due_20 is not None and due is not None
        status = "no_answer" if today > due_20 else "awaiting"
        within_20 = False if today > due_20 else None
        in_time = False if today > due else None
    results = []
    for item in reviews:
        review_due = due_date(law, item.requested_on, rules.review_days).due
        if item.answered_on is not None:
            review_in_time: bool | None = item.answered_on <= review_due
        else:
            review_in_time = False if today > review_due else None
        results.append(
            ReviewResult(
                item.requested_on, review_due, item.answered_on, item.outcome, review_in_time
            )
        )
    return RequestResponsiveness(
        reference=history.reference,
        authority=history.authority,
        law=law.value,
        status=status,
        received_on=received,
        due_20=due_20,
        due=due,
        extended=extended,
        answered_on=answered,
        working_days=working_days,
        within_20=within_20,
        in_time=in_time,
        reviews=tuple(results),
    )


def summarise(rows: Iterable[RequestResponsiveness]) -> Summary:
    counted = [row for row in rows if row.counted]
    judged = [row for row in counted if row.within_20 is not None]
    within = sum(1 for row in judged if row.within_20)
    days = [row.working_days for row in counted if row.working_days is not None]
    judged_in_time = [row for row in counted if row.in_time is not None]
    reviews = [review for row in counted for review in row.reviews]
    outcomes: dict[str, int] = {}
    for review in reviews:
        outcomes[review.outcome] = outcomes.get(review.outcome, 0) + 1
    median = statistics.median(days) if days else None
    return Summary(
        requests=len(counted),
        judged=len(judged),
        within_20=within,
        percent_within_20=percent_of(within, len(judged)),
        meets_ico_expectation=(
            Decimal(within) * 100 >= Decimal(ICO_EXPECTED_PERCENT) * len(judged) if judged else None
        ),
        answered=len(days),
        median_working_days=float(median) if median is not None else None,
        extended=sum(1 for row in counted if row.extended),
        in_time=sum(1 for row in judged_in_time if row.in_time),
        judged_in_time=len(judged_in_time),
        reviews_requested=len(reviews),
        reviews_answered=sum(1 for review in reviews if review.answered_on is not None),
        reviews_in_time=sum(1 for review in reviews if review.in_time),
        reviews_judged=sum(1 for review in reviews if review.in_time is not None),
        review_outcomes=dict(sorted(outcomes.items())),
    )


def compute_responsiveness(histories: Sequence[RequestHistory], today: dt.date) -> Responsiveness:
    """Every request's figures as they stood on ``today`` (events after it are left out), each
    authority's and the campaign's."""
    rows = tuple(request_responsiveness(history, today) for history in histories)
    by_authority: dict[str, list[RequestResponsiveness]] = {}
    for row in rows:
        by_authority.setdefault(row.authority, []).append(row)
    return Responsiveness(
        as_of=today,
        requests=rows,
        campaign=summarise(rows),
        by_authority={name: summarise(group) for name, group in by_authority.items()},
    )

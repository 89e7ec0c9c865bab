"""The life of one FOI request: its states, the events that move it, and the rules between them.

A request keeps an append-only log of events; its current state is
derived from that log by ``derive_state``, never edited in place. Every allowed move is in
``ALLOWED``, so the rules live in one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sightline.errors import SightlineError


class State(StrEnum):
    DRAFT = "draft"
    QUEUED = "queued"
    SENT = "sent"
    DELIVERY_FAILED = "delivery_failed"
    ACKNOWLEDGED = "acknowledged"
    CLARIFICATION_REQUESTED = "clarification_requested"
    ANSWERED = "answered"
    PARTIALLY_ANSWERED = "partially_answered"
    REFUSED = "refused"
    NOT_HELD = "not_held"
    WITHDRAWN = "withdrawn"
    INTERNAL_REVIEW = "internal_review"
    APPEALED = "appealed"


class EventKind(StrEnum):
    CREATED = "created"
    QUEUED = "queued"
    SENT = "sent"
    DELIVERY_FAILED = "delivery_failed"
    MESSAGE_RECEIVED = "message_received"
    STATE_SET = "state_set"  # by a person, or by a rule as a guess for a person to confirm
    FOLLOW_UP_SENT = "follow_up_sent"
    INTERNAL_REVIEW_REQUESTED = "internal_review_requested"
    REGULATOR_COMPLAINT = "regulator_complaint"  # ICO, or the Scottish Information Commissioner
    REFILED = "refiled"  # this request was replaced by a new one
    DUE_EXTENDED = "due_extended"
    # The requester answered a request for clarification: the clock starts again that day
    # (FOIA s.1(3) with s.10(6)(b), FOISA s.1(3) with s.10(1)(b), EIR/EISR reg.9(4)).
    CLARIFIED = "clarified"
    WITHDRAWN = "withdrawn"  # the requester withdrew the request
    NOTE = "note"


# States in which the authority has said something back.
REPLY_STATES = frozenset(
    {
        State.ACKNOWLEDGED,
        State.CLARIFICATION_REQUESTED,
        State.ANSWERED,
        State.PARTIALLY_ANSWERED,
        State.REFUSED,
        State.NOT_HELD,
    }
)
# Of those, a response to the request (the others are a holding letter and a question back).
RESPONSE_STATES = frozenset(
    {State.ANSWERED, State.PARTIALLY_ANSWERED, State.REFUSED, State.NOT_HELD}
)
# A reply's status, at import and in its facts, is the name of one of REPLY_STATES, or this when
# what it says points to none of them.
UNCLEAR_STATUS = "unclear"
STATUS_VALUES = (
    State.ANSWERED.value,
    State.PARTIALLY_ANSWERED.value,
    State.REFUSED.value,
    State.NOT_HELD.value,
    State.ACKNOWLEDGED.value,
    State.CLARIFICATION_REQUESTED.value,
    UNCLEAR_STATUS,
)
# States where the authority still owes its first answer, so the statutory clock runs. (A
# request for clarification stops it; an internal review has a clock of its own,
# sightline.law.review_status; a complaint to a regulator has none.)
AWAITING_STATES = frozenset({State.SENT, State.ACKNOWLEDGED})
# The outcomes a request can end in; a reply that finishes the exchange.
FINAL_STATES = frozenset({State.ANSWERED, State.PARTIALLY_ANSWERED, State.REFUSED, State.NOT_HELD})

ALLOWED: dict[State, frozenset[State]] = {
    State.DRAFT: frozenset({State.QUEUED, State.WITHDRAWN}),
    State.QUEUED: frozenset({State.SENT, State.DELIVERY_FAILED, State.DRAFT, State.WITHDRAWN}),
    State.SENT: REPLY_STATES
    | {State.DELIVERY_FAILED, State.INTERNAL_REVIEW, State.APPEALED, State.WITHDRAWN},
    State.DELIVERY_FAILED: frozenset({State.QUEUED, State.SENT, State.WITHDRAWN}),
    # A reply state may be corrected to another reply state (a rule's guess was wrong), and an
    # answer may be challenged by review (FOIA s.45 code, FOISA s.20) or complaint.
    **{
        state: (REPLY_STATES - {state})
        | {State.INTERNAL_REVIEW, State.APPEALED, State.WITHDRAWN, State.SENT}
        for state in REPLY_STATES
    },
    State.INTERNAL_REVIEW: REPLY_STATES | {State.APPEALED, State.WITHDRAWN},
    State.APPEALED: REPLY_STATES | {State.WITHDRAWN},
    State.WITHDRAWN: frozenset(),
}

# Events that move a request to a fixed state.
EVENT_TARGETS: dict[EventKind, State] = {
    EventKind.QUEUED: State.QUEUED,
    EventKind.SENT: State.SENT,
    EventKind.DELIVERY_FAILED: State.DELIVERY_FAILED,
    EventKind.INTERNAL_REVIEW_REQUESTED: State.INTERNAL_REVIEW,
    EventKind.REGULATOR_COMPLAINT: State.APPEALED,
    EventKind.CLARIFIED: State.SENT,
    EventKind.WITHDRAWN: State.WITHDRAWN,
}


class TransitionError(SightlineError, ValueError):
    pass


@dataclass(frozen=True)
class LoggedEvent:
    """What ``derive_state`` needs of a stored event."""

    kind: EventKind
    state: State | None = None  # the target of a STATE_SET event
    guess: bool = False  # set by a rule, awaiting a person's confirmation


@dataclass(frozen=True)
class NewEvent:
    """An event to record (``campaigns.service.record_events`` writes it): planned by the mail
    import, or given by a person. ``at`` None means now."""

    kind: EventKind
    state: State | None = None
    guess: bool = False
    actor: str = "system"
    note: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    at: datetime | None = None

    @property
    def logged(self) -> LoggedEvent:
        """The event as the rules of ``derive_state`` see it."""
        return LoggedEvent(self.kind, self.state, self.guess)


@dataclass(frozen=True)
class DerivedState:
    state: State
    guess: bool  # the state came from a rule and no person has confirmed it


def target_of(event: LoggedEvent) -> State | None:
    """The state an event moves to, or None when it leaves the state as it is."""
    if event.kind is EventKind.STATE_SET:
        if event.state is None:
            raise TransitionError("a state_set event needs a state")
        return event.state
    return EVENT_TARGETS.get(event.kind)


def check_transition(current: State, target: State) -> None:
    if target == current:
        return  # confirming a state (e.g. a person confirming a rule's guess) is always allowed
    if target not in ALLOWED[current]:
        raise TransitionError(f"a request cannot go from {current.value} to {target.value}")


def apply(current: DerivedState, event: LoggedEvent) -> DerivedState:
    target = target_of(event)
    if target is None:
        return current
    check_transition(current.state, target)
    return DerivedState(target, guess=event.guess and event.kind is EventKind.STATE_SET)


def derive_state(events: Iterable[LoggedEvent]) -> DerivedState:
    """The current state after every event of the log, in order, starting from draft."""
    state = DerivedState(State.DRAFT, guess=False)
    for event in events:
        state = apply(state, event)
    return state


# Follow-ups, and when each one fits the facts (the law's side is in sightline.law).


class FollowUp(StrEnum):
    REMINDER = "reminder"
    INTERNAL_REVIEW = "internal-review"
    COMPLAINT = "complaint"


# States in which the authority still owes its first answer.
FIRST_ANSWER_OWED = frozenset({State.SENT, State.ACKNOWLEDGED})
# Answers that may be challenged by an internal review (FOIA s.45 Code, EIR reg.11, FOISA s.20,
# EISR reg.16): a refusal, a partial answer, and a claim that nothing is held.
REVIEWABLE = frozenset({State.REFUSED, State.PARTIALLY_ANSWERED, State.NOT_HELD})


@dataclass(frozen=True)
class FollowUpFacts:
    """What the rules need to know of a request on the day a follow-up would go."""

    state: State
    overdue: bool  # the first answer is past its time limit
    review_requested: bool  # an internal review was asked for
    review_overdue: bool  # ...and its own time limit has passed with no answer


def follow_up_problem(kind: FollowUp, facts: FollowUpFacts) -> str | None:
    """Why ``kind`` does not fit the request now, or None when it does.

    - a reminder only while the first answer is owed and late;
    - an internal review after a refusal, a partial answer, a "not held", or a missed deadline;
    - a complaint to the regulator (FOIA s.50, FOISA s.47) only once an internal review was
      answered or is itself overdue.
    """
    state = facts.state
    if state is State.WITHDRAWN:
        return "the request was withdrawn"
    if state in (State.DRAFT, State.QUEUED, State.DELIVERY_FAILED):
        return f"the request has not reached the authority (it is {state.value})"
    if kind is FollowUp.REMINDER:
        if state not in FIRST_ANSWER_OWED:
            return f"a reminder is for a request still waiting for its answer, and this one is {state.value}"
        if not facts.overdue:
            return (
                "a reminder is for an overdue request, and this one is still within its time limit"
            )
        return None
    if kind is FollowUp.INTERNAL_REVIEW:
        if facts.review_requested:
            return "an internal review was already requested"
        if state in REVIEWABLE or (state in FIRST_ANSWER_OWED and facts.overdue):
            return None
        return (
            "an internal review is for a refusal, a partial answer, a 'not held' or a missed "
            f"deadline, and this request is {state.value}"
            + (" and within its time limit" if state in FIRST_ANSWER_OWED else "")
        )
    if state is State.APPEALED:
        return "a complaint to the regulator was already made"
    if not facts.review_requested:
        return "a complaint to the regulator comes after an internal review: request one first"
    if state is State.INTERNAL_REVIEW and not facts.review_overdue:
        return "the internal review is still within its time limit: wait for its answer"
    if state is State.ANSWERED:
        return "the request was answered in full: there is nothing to complain of"
    return None

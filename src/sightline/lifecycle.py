"""The life of one FOI request: its states, the events that move it, and the rules between them.

A request keeps an append-only log of events (DESIGN.md, request lifecycle); its current state is
derived from that log by ``derive_state``, never edited in place. Every allowed move is in
``ALLOWED``, so the rules live in one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

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
# States where the authority still owes an answer, so the statutory clock matters.
AWAITING_STATES = frozenset({State.SENT, State.ACKNOWLEDGED, State.INTERNAL_REVIEW, State.APPEALED})
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

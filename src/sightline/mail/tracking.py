"""What a received message does to its request's timeline (plain Python over the lifecycle rules).

Every message from the authority appends ``message_received``; a bounce appends
``delivery_failed``; a rule's reading of the reply appends a ``state_set`` marked as a guess for
a person to confirm. A guess never overrides a state a person set, and never moves a request back
(an acknowledgement after an answer changes nothing).
"""

from __future__ import annotations

from typing import Any

from sightline.lifecycle import (
    DerivedState,
    EventKind,
    LoggedEvent,
    NewEvent,
    State,
    TransitionError,
    apply,
)
from sightline.replies import Reply

# States a rule may move on from: the request is waiting for (more of) an answer.
GUESS_FROM = frozenset(
    {
        State.SENT,
        State.ACKNOWLEDGED,
        State.CLARIFICATION_REQUESTED,
        State.INTERNAL_REVIEW,
        State.APPEALED,
    }
)


def message_kind(mail: Reply) -> str:
    """reply, bounce, delay, auto_reply or out_of_office: the reader's one judgement."""
    return mail.kind


def guess_allowed(current: DerivedState, target: State) -> bool:
    if target is current.state:
        return False  # nothing new to record
    if current.state not in GUESS_FROM and not current.guess:
        return False  # a person decided the state; a rule does not overrule them
    if target is State.ACKNOWLEDGED and current.state is not State.SENT:
        return False  # an acknowledgement after anything else moves nothing back
    try:
        apply(current, LoggedEvent(EventKind.STATE_SET, target, True))
    except TransitionError:
        return False
    return True


def plan(
    mail: Reply,
    message_data: dict[str, Any],
    current: DerivedState,
    follow_up_bounced: bool = False,
) -> list[NewEvent]:
    """The events one received message adds to a request in state ``current``.

    ``follow_up_bounced``: the bounce returns a reminder or other follow-up, not the request
    itself, so the request was delivered and only a note is added."""
    if mail.bounce is not None:
        data = {
            **message_data,
            "status": mail.bounce.status,
            "diagnostic": mail.bounce.diagnostic,
            "recipients": list(mail.bounce.recipients),
        }
        if follow_up_bounced:
            return [NewEvent(EventKind.NOTE, note="a follow-up bounced", data=data)]
        failed = NewEvent(EventKind.DELIVERY_FAILED, data=data, note="bounce received")
        try:
            apply(current, failed.logged)
        except TransitionError as error:  # e.g. a bounce of a reminder to an answered request
            return [NewEvent(EventKind.NOTE, note=f"bounce received; {error}", data=data)]
        return [failed]
    events = [NewEvent(EventKind.MESSAGE_RECEIVED, data=message_data)]
    reading = mail.reading  # a delay notice or an automatic answer sets no state
    if reading.state is not None:
        target = reading.state
        if guess_allowed(current, target):
            events.append(
                NewEvent(
                    EventKind.STATE_SET,
                    state=target,
                    guess=True,
                    actor=f"rule:{reading.rule}",
                    data={"message": message_data.get("message")},
                )
            )
    return events

import pytest

from sightline.lifecycle import (
    ALLOWED,
    DerivedState,
    EventKind,
    LoggedEvent,
    State,
    TransitionError,
    derive_state,
)


def ev(kind, state=None, guess=False):
    return LoggedEvent(EventKind(kind), State(state) if state else None, guess)


def test_a_new_request_is_a_draft():
    assert derive_state([ev("created")]) == DerivedState(State.DRAFT, guess=False)


def test_sent_then_a_guessed_answer_then_confirmed():
    log = [ev("created"), ev("queued"), ev("sent"), ev("message_received")]
    assert derive_state(log) == DerivedState(State.SENT, guess=False)
    log.append(ev("state_set", "answered", guess=True))
    assert derive_state(log) == DerivedState(State.ANSWERED, guess=True)
    log.append(ev("state_set", "answered"))
    assert derive_state(log) == DerivedState(State.ANSWERED, guess=False)


def test_acknowledgement_is_a_state_of_its_own_and_answer_follows():
    log = [ev("queued"), ev("sent"), ev("state_set", "acknowledged"), ev("state_set", "refused")]
    assert derive_state(log).state is State.REFUSED


def test_review_and_complaint_after_refusal():
    log = [ev("queued"), ev("sent"), ev("state_set", "refused")]
    log += [ev("internal_review_requested"), ev("regulator_complaint")]
    assert derive_state(log).state is State.APPEALED
    log.append(ev("state_set", "answered"))
    assert derive_state(log).state is State.ANSWERED


def test_bounce_then_resend():
    log = [ev("queued"), ev("delivery_failed")]
    assert derive_state(log).state is State.DELIVERY_FAILED
    assert derive_state([*log, ev("queued"), ev("sent")]).state is State.SENT


@pytest.mark.parametrize(
    ("log", "message"),
    [
        ([ev("sent")], "a request cannot go from draft to sent"),
        ([ev("state_set", "answered")], "a request cannot go from draft to answered"),
        (
            [ev("queued"), ev("state_set", "withdrawn"), ev("queued")],
            "a request cannot go from withdrawn to queued",
        ),
        (
            [ev("queued"), ev("internal_review_requested")],
            "a request cannot go from queued to internal_review",
        ),
    ],
)
def test_forbidden_moves_are_refused(log, message):
    with pytest.raises(TransitionError) as error:
        derive_state(log)
    assert str(error.value) == message


def test_events_that_do_not_move_the_state():
    log = [ev("queued"), ev("sent"), ev("note"), ev("follow_up_sent"), ev("due_extended")]
    assert derive_state(log).state is State.SENT


def test_every_state_has_rules_and_withdrawn_is_final():
    assert set(ALLOWED) == set(State)
    assert ALLOWED[State.WITHDRAWN] == frozenset()

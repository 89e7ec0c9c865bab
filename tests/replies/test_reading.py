import pytest

from sightline.lifecycle import State
from sightline.replies.reading import read_text


@pytest.mark.parametrize(
    ("text", "attachments", "guess", "rule"),
    [
        (
            "We acknowledge receipt of your request.",
            False,
            State.ACKNOWLEDGED,
            "status.acknowledgement",
        ),
        (
            "Thank you for your request. We will respond within 20 working days.",
            False,
            State.ACKNOWLEDGED,
            "status.acknowledgement",
        ),
        (
            "Could you please clarify what you mean by CCTV?",
            False,
            State.CLARIFICATION_REQUESTED,
            "status.clarification",
        ),
        ("Please find attached our response.", True, State.ANSWERED, "status.attached"),
        ("See the attached spreadsheet.", True, State.ANSWERED, "status.attached"),
        (
            "The information is exempt under section 31 and is withheld.",
            False,
            State.REFUSED,
            "status.refused",
        ),
        (
            "To answer would exceed the appropriate limit (section 12).",
            False,
            State.REFUSED,
            "status.refused",
        ),
        (
            "Please find attached part; the rest is withheld under section 24.",
            True,
            State.PARTIALLY_ANSWERED,
            "status.partial",
        ),
        (
            "The council does not hold this information.",
            False,
            State.NOT_HELD,
            "status.not-held",
        ),
        # nothing said of the outcome: no state (the facts default "answered" rests on no quote)
        ("Our weekly bulletin.", False, None, "status.default-answered"),
        # promised and missing: unclear, no state
        ("Please find attached our response.", False, None, "status.missing-attachment"),
    ],
)
def test_rules(text, attachments, guess, rule):
    reading = read_text(text, attachments)
    assert (reading.state, reading.rule) == (guess, rule)


def test_the_quoted_request_is_not_read_as_the_reply():
    request = (
        "Under section 1 of the Freedom of Information Act 2000 please tell me which cameras\n"
        "you own. If you need clarification, please contact me.\n"
    )
    outlook = (
        "We acknowledge receipt of your request.\n\n"
        "-----Original Message-----\nFrom: Alex\nSent: 26 November 2026\n\n" + request
    )
    gmail = (
        "We acknowledge receipt of your request.\n\nOn Thu, 26 Nov 2026 at 10:00, Alex <a@x.org> wrote:\n"
        + "".join(f"> {line}\n" for line in request.splitlines())
    )
    for text in (outlook, gmail):
        assert read_text(text, False).state is State.ACKNOWLEDGED
    assert read_text(request, False).state is State.CLARIFICATION_REQUESTED


def test_an_acknowledging_phrase_before_a_stated_fact_is_an_answer():
    text = (
        "Thank you for your request. The Council can confirm that it operates twelve Hikvision "
        "cameras in its town centre system."
    )
    assert read_text(text, False).state is State.ANSWERED
    receipt = "Thank you for your request. We can confirm that we have received it."
    assert read_text(receipt, False).state is State.ACKNOWLEDGED

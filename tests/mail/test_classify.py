import pytest

from sightline.mail.classify import Guess, classify_reply


@pytest.mark.parametrize(
    ("subject", "text", "attachments", "guess", "rule"),
    [
        (
            "Acknowledgement",
            "We acknowledge receipt of your request.",
            False,
            Guess.ACKNOWLEDGEMENT,
            "acknowledgement",
        ),
        (
            "RE: FOI",
            "Thank you for your request. We will respond within 20 working days.",
            False,
            Guess.ACKNOWLEDGEMENT,
            "acknowledgement",
        ),
        (
            "Query",
            "Could you please clarify what you mean by CCTV?",
            False,
            Guess.CLARIFICATION,
            "clarification",
        ),
        ("Response", "Please find attached our response.", True, Guess.ANSWER, "answer"),
        ("Response", "See the attached spreadsheet.", True, Guess.ANSWER, "answer"),
        (
            "Response",
            "The information is exempt under section 31 and is withheld.",
            False,
            Guess.REFUSAL,
            "refusal",
        ),
        (
            "Response",
            "To answer would exceed the appropriate limit (section 12).",
            False,
            Guess.REFUSAL,
            "refusal",
        ),
        (
            "Response",
            "Please find attached part; the rest is withheld under section 24.",
            True,
            Guess.PARTIAL,
            "refusal+answer",
        ),
        (
            "Response",
            "The council does not hold this information.",
            False,
            Guess.NOT_HELD,
            "not_held",
        ),
        ("Hello", "Our weekly bulletin.", False, None, "none"),
    ],
)
def test_rules(subject, text, attachments, guess, rule):
    reading = classify_reply(subject, text, attachments)
    assert (reading.guess, reading.rule) == (guess, rule)

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
        assert classify_reply("RE: request", text, False).guess is Guess.ACKNOWLEDGEMENT
    assert classify_reply("RE: request", request, False).guess is Guess.CLARIFICATION

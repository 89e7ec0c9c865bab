"""Reply status (the extract-file JSON), each with a case that must not match."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

Facts = Callable[..., dict[str, Any]]


@pytest.mark.parametrize(
    ("text", "status"),
    [
        (
            "Thank you for your email. Your request has been logged under reference 2231 and "
            "you should receive a response by 14 March.",
            "acknowledgement",
        ),
        (
            "We are writing to extend the time for our reply while we consider the public "
            "interest. We now aim to respond by 3 June.",
            "acknowledgement",
        ),
        # a promise of a reply by a date, in two more wordings (rules.toml patterns only)
        (
            "Thank you for your e-mail about CCTV. We will get back to you by 12 April.",
            "acknowledgement",
        ),
        (
            "Thank you for your request. You will hear from us within 20 working days.",
            "acknowledgement",
        ),
        (
            "Before we can deal with your request, could you please clarify which buildings you "
            "mean by 'council premises'?",
            "clarification",
        ),
        (
            "1. How many Dahua cameras are there?\n14 cameras.\n\n2. Where are they?\n"
            "The locations are withheld under section 31(1)(a).",
            "partial",
        ),
        (
            "The force can neither confirm nor deny that it holds the information you asked for, "
            "under sections 24(2) and 31(3).",
            "refused",
        ),
        (
            "Complying with your request would exceed the appropriate limit of £450, so under "
            "section 12 we are not obliged to comply.",
            "refused",
        ),
        (
            "Your request is vexatious and is refused under section 14(1).",
            "refused",
        ),
        (
            "The college does not hold the information you asked for; the cameras belong to our "
            "landlord.",
            "not_held",
        ),
        (
            "The council has 20 Bosch cameras and no Hikvision or Dahua equipment.",
            "answered",
        ),
        ("Please find attached our response to your request.", "unclear"),
    ],
)
def test_status(facts: Facts, text: str, status: str) -> None:
    assert facts(text)["status"] == status


def test_a_refusal_of_further_information_beside_an_answer_is_answered(facts: Facts) -> None:
    text = "The council operates 6 Axis cameras. We hold no further information on this subject."
    assert facts(text)["status"] == "answered"


def test_a_holding_letter_naming_exemptions_that_may_apply_is_an_acknowledgement(
    facts: Facts,
) -> None:
    text = (
        "We have not yet completed our response. We consider that section 24(1) may apply to "
        "some of the information, and we need more time to consider the public interest."
    )
    result = facts(text)
    assert result["status"] == "acknowledgement"
    assert result["exemptions"] == ["FOIA s.24"]


def test_vendors_in_an_acknowledgement_stay_unstated(facts: Facts) -> None:
    text = (
        "We received your request about Hikvision and Dahua cameras on 3 May. We will respond "
        "by 31 May."
    )
    result = facts(text)
    assert result["status"] == "acknowledgement"
    assert {v: f["owned"] for v, f in result["vendors"].items()} == {
        "hikvision": "unstated",
        "dahua": "unstated",
    }


def test_a_response_said_to_be_attached_beside_a_refusal_is_partial(facts: Facts) -> None:
    text = (
        "Our answers are attached. Question 4 is refused under section 31(1)(a) because it "
        "would help offenders."
    )
    assert facts(text)["status"] == "partial"


def test_not_held_in_part_beside_an_answer_is_partial(facts: Facts) -> None:
    text = (
        "(a) The council owns 8 Hikvision cameras.\n(b) Purchase prices are not held because "
        "the cameras came with the building."
    )
    assert facts(text)["status"] == "partial"


def test_conditional_boilerplate_is_not_a_refusal(facts: Facts) -> None:
    text = (
        "The council has 4 Axis cameras. If information is withheld in future, we will tell "
        "you which exemption applies."
    )
    assert facts(text)["status"] == "answered"


def test_a_section_that_applies_to_part_is_partial(facts: Facts) -> None:
    text = (
        "Section 31(1)(a) and (b) applies to the camera locations. The rest is below: there "
        "are 41 cameras."
    )
    assert facts(text)["status"] == "partial"


def test_a_site_banner_does_not_decide_the_status(facts: Facts) -> None:
    text = (
        "The request was refused by Example Council.\n\nDear Mr Hale,\nThank you for your "
        "request. You will receive a response by 2 June."
    )
    assert facts(text)["status"] == "acknowledgement"


def test_one_sentence_answering_for_two_vendors_is_quoted_once():
    from sightline.documents.model import Block, Document, Location
    from sightline.facts import extract

    text = "The council's CCTV system includes equipment made by Hikvision and by Dahua."
    document = Document("reply", blocks=[Block(text, Location(part="body"))])
    status = extract(document).get("status")
    assert status is not None
    assert [(e.quote, e.location) for e in status.evidence] == [(text, "body")]


def test_other_wordings_of_acknowledgement_clarification_and_refusal(facts) -> None:
    assert (
        facts(
            "This is an automated acknowledgement. We have received your freedom of information"
            " request and will respond promptly and in any event within 20 working days."
        )["status"]
        == "acknowledgement"
    )
    assert (
        facts(
            "To help us answer your request, please could you tell us which buildings you are"
            " interested in?"
        )["status"]
        == "clarification"
    )
    repeated = facts(
        "The school considers this request about its Hikvision cameras to be a repeated request"
        " under section 14(2), and will not comply with it."
    )
    assert (repeated["status"], repeated["exemptions"]) == ("refused", ["FOIA s.14"])


# One judgement: what the mail import guesses and what extraction stores are the same state,
# for the same message (the import has only the text; extraction also its vendor answers).
@pytest.mark.parametrize(
    "body",
    [
        "Thank you for your request. The Council can confirm that it operates twelve Hikvision "
        "cameras in its town centre system.",
        "Thank you for your request. We will respond within 20 working days.",
        "Before we can answer, could you please clarify which sites you mean?",
        "The information you asked for is withheld under section 24(1).",
        "We have 14 cameras. Their locations are exempt under section 31(1)(a).",
        "The council does not hold this information.",
    ],
)
def test_the_import_and_extraction_judge_a_message_alike(body: str) -> None:
    from email.message import EmailMessage

    from sightline.documents import read_message
    from sightline.facts import extract
    from sightline.replies import read_reply

    message = EmailMessage()
    message["From"] = "foi@council.example"
    message["To"] = "requests@sightline.example"
    message["Subject"] = "RE: Freedom of Information request"
    message.set_content(body)
    raw = message.as_bytes()
    imported = read_reply(raw).reading
    status = extract(read_message(raw, cache=False)).get("status")
    assert status is not None and imported.state is not None
    assert (imported.state.value, imported.rule) == (status.value, status.rule)


def test_no_answers_beside_a_question_not_held_are_partial(facts: Facts) -> None:
    # numbered answers, two of them "no", the third not held: some of the request was answered
    text = (
        "Q1: The trust has no Hikvision cameras.\n"
        "Q2: The trust has no Dahua cameras.\n"
        "Q3 (costs): The trust does not hold this information.\n"
    )
    assert facts(text)["status"] == "partial"


def test_a_no_answer_said_by_the_not_held_sentence_itself_stays_not_held(facts: Facts) -> None:
    # the one sentence is both the "no" and the "not held": nothing else was answered
    text = "No information is held as the council has no Hikvision or Dahua cameras."
    found = facts(text)
    assert found["status"] == "not_held"
    assert [found["vendors"][v]["owned"] for v in ("hikvision", "dahua")] == ["no", "no"]


# The eighth development batch's wordings (tests/facts/replies/sources/n-eighth-dev-batch.txt),
# written again here in other words, each beside a case that must not match.
@pytest.mark.parametrize(
    ("text", "status"),
    [
        # a due date, and the FOIA s.10(1) deadline quoted: nothing answered
        ("Your reference is 26/114. A response is due by 9 February 2027.", "acknowledgement"),
        (
            "The Act requires us to reply no later than the twentieth working day after we "
            "received your request.",
            "acknowledgement",
        ),
        ("The response due on 9 February gives 12 Dahua cameras.", "answered"),
        # FOIA s.1(3): more detail needed to identify the information
        (
            "The trust requires further details in order to locate the records you want.",
            "clarification",
        ),
        ("Would you please narrow your request to a single site?", "clarification"),
        (
            "We needed more detail to find the cameras, and found 4 Axis cameras.",
            "answered",
        ),
        # "I attach" a response that is not there
        ("We enclose the council's reply to your request.", "unclear"),
        ("We enclose nothing further.", "answered"),
        # FOIA s.21: reasonably accessible to the requester
        (
            "These figures are reasonably accessible to you on our website, so we have not "
            "repeated them.",
            "refused",
        ),
        # a section said not to apply is not relied on
        (
            "Having reviewed the decision, section 31 does not apply. The school has 3 Hikvision "
            "cameras.",
            "answered",
        ),
        (
            "Section 31 applies to the locations. The school has 3 Hikvision cameras.",
            "partial",
        ),
    ],
)
def test_status_wordings_of_the_eighth_batch(facts: Facts, text: str, status: str) -> None:
    assert facts(text)["status"] == status


def test_a_no_explaining_the_not_held_beside_it_stays_not_held(facts: Facts) -> None:
    # one paragraph: the "no" says why nothing is held; it answers no other question
    text = (
        "Having searched its records, the trust does not hold the information you asked for. "
        "The trust does not use facial recognition and has no plans to do so."
    )
    found = facts(text)
    assert (found["status"], found["facial_recognition"]) == ("not_held", "no")

"""The redaction finder: what it proposes in a reply, and what it leaves alone.

People, numbers and addresses are invented; numbers are in Ofcom's drama ranges."""

from __future__ import annotations

from sightline.redaction import Context, find_personal_data

REPLY = """Dear Ms Okafor,

Thank you for your request under section 1(1) of the Freedom of Information Act 2000.
Please contact foi@camden.example or the switchboard: 020 7946 0000.

Yours sincerely,

Priya Raman
Information Governance Officer
Direct line: 020 7946 0321 | Mobile 07700 900123
priya.raman@camden.example
"""


def found(text: str, context: Context | None = None) -> list[tuple[str, str]]:
    return [(p.text, p.kind) for p in find_personal_data(text, context)]


def test_a_signed_reply() -> None:
    context = Context.of(keep=["foi@camden.example"])
    assert found(REPLY, context) == [
        ("priya.raman@camden.example", "email"),
        ("020 7946 0321", "phone"),
        ("07700 900123", "phone"),
        ("Okafor", "name"),
        ("Priya Raman", "name"),
    ]


def test_the_published_address_is_kept_only_when_the_registry_says_so() -> None:
    assert ("foi@camden.example", "email") not in found(REPLY)  # a shared mailbox all the same
    assert found("Write to j.smith@camden.example") == [("j.smith@camden.example", "email")]
    assert found("Write to Records.Team@camden.example or dpo@camden.example") == []


def test_offices_and_the_law_are_not_names() -> None:
    text = "Dear Sir or Madam,\n\nKind regards\n\nFOI Team\n\nDear Requester,\nRegards\nInformation Governance Unit\n"
    assert found(text) == []
    assert found("Section 10(1) of the Act, 2021-01-04, reference 0123456") == []


def test_a_switchboard_then_a_direct_line() -> None:
    text = "Switchboard: 020 7946 0000\nDirect line: 020 7946 0999\n"
    assert found(text) == [("020 7946 0999", "phone")]
    assert found("Main number +44 (0)20 7946 0000; mobile +44 7700 900456") == [
        ("+44 7700 900456", "phone")
    ]


def test_an_individuals_address_and_not_the_town_hall() -> None:
    home = "Alex Doe\n12 Acacia Avenue\nLeyton\nE10 5AB\n"
    assert found(home) == [("12 Acacia Avenue", "address"), ("E10 5AB", "address")]
    town_hall = "Camden Town Hall\nJudd Street\nLondon\nWC1H 9JE\n"
    assert found(town_hall) == []


def test_the_requester_wherever_named() -> None:
    context = Context.of(requester=["Alex Doe", "foi+cctv-0001-abc@replies.example"])
    text = "Response to ALEX   DOE\nReply to foi+cctv-0001-abc@replies.example"
    assert found(text, context) == [
        ("Alex Doe", "requester"),
        ("foi+cctv-0001-abc@replies.example", "requester"),
    ]


def test_a_quoted_from_line_and_a_salutation_by_first_name() -> None:
    text = "Hello Sam,\n\n-----Original Message-----\nFrom: Sam Taylor <sam.taylor@mail.example>\n"
    assert found(text) == [
        ("sam.taylor@mail.example", "email"),
        ("Sam", "name"),
        ("Sam Taylor", "name"),
    ]

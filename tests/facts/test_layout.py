"""Paragraphs, roles (request, question, response) and which question an answer belongs to."""

from __future__ import annotations

from sightline.documents.model import Block, Location
from sightline.facts.layout import (
    QUESTION,
    REQUEST,
    RESPONSE,
    clauses,
    markers_of,
    paragraphs,
    part_references,
    sentences,
)


def roles(text: str) -> list[tuple[str, str]]:
    return [(p.role, p.text) for p in paragraphs([Block(text, Location(part="body"))])]


def test_a_request_section_then_a_response_section() -> None:
    text = (
        "Request\n1. Do you own Hikvision cameras?\n2. How many?\n\nResponse\n1. Yes.\n2. Twelve."
    )
    items = paragraphs([Block(text, Location(part="body"))])
    assert [(p.role, p.markers, p.answers) for p in items] == [
        (REQUEST, (), []),
        (REQUEST, ("1",), []),
        (REQUEST, ("2",), []),
        (RESPONSE, (), []),
        (RESPONSE, ("1",), [1]),
        (RESPONSE, ("2",), [2]),
    ]


def test_interleaved_questions_are_linked_to_the_answers_below_them() -> None:
    items = paragraphs(
        [Block("Q1. Do you use Dahua?\nWe do not.\n\nQ2. Any plans?\nNone.", Location(part="body"))]
    )
    assert [(p.role, p.answers) for p in items] == [
        (QUESTION, []),
        (RESPONSE, [0]),
        (QUESTION, []),
        (RESPONSE, [2]),
    ]


def test_the_requesters_letter_and_a_quoted_original_are_request_text() -> None:
    text = (
        "Dear Mr Hale,\n\nWe do not hold this information.\n\n-----Original Message-----\n"
        "Dear Fenland Council,\nHow many Hikvision cameras do you have?\nYours faithfully,\nAl"
    )
    assert [role for role, _ in roles(text)] == [
        RESPONSE,
        RESPONSE,
        REQUEST,
        REQUEST,
        REQUEST,
        REQUEST,
        REQUEST,
    ]


def test_a_letter_to_the_authority_ends_after_the_signature() -> None:
    text = (
        "Dear Borough Council,\nPlease list your cameras.\nYours faithfully,\nA. Reader\n\n"
        "Dear A. Reader,\nThe list is attached."
    )
    assert [role for role, _ in roles(text)] == [
        REQUEST,
        REQUEST,
        REQUEST,
        REQUEST,
        RESPONSE,
        RESPONSE,
    ]


def test_an_inline_you_asked_lead_opens_the_request() -> None:
    text = "In your email you asked:\nWhich brands of camera do you use?\nThe brands are withheld."
    assert [role for role, _ in roles(text)] == [RESPONSE, REQUEST, RESPONSE]


def test_wrapped_lines_are_joined_and_short_lines_kept_apart() -> None:
    text = (
        "The council operates a number of closed circuit television cameras across its sites and\n"
        "they are all maintained by one contractor under a single agreement with the council.\n"
        "Reference: 42\nDate: 1 May"
    )
    assert [t for _, t in roles(text)] == [
        "The council operates a number of closed circuit television cameras across its sites and "
        "they are all maintained by one contractor under a single agreement with the council.",
        "Reference: 42",
        "Date: 1 May",
    ]


def test_markers() -> None:
    assert markers_of("1 and 2. Both answered below") == ("1", "2")
    assert markers_of("(b) Not held.") == ("b",)
    assert markers_of("Q3 Do you use PTZ cameras?") == ("3",)
    assert markers_of("2020 was the year") == ()


def test_part_references() -> None:
    assert part_references("The brands named in part 1 of your request") == ["1"]
    assert part_references("Questions 3 and 4 are refused") == ["3", "4"]
    assert part_references("see answer 1") == []


def test_sentences_do_not_end_at_abbreviations() -> None:
    assert sentences("It is exempt under s. 31 of the Act. No. 5 is refused.") == [
        "It is exempt under s. 31 of the Act.",
        "No. 5 is refused.",
    ]


def test_clauses_split_where_polarity_can_change() -> None:
    assert [c for _, c in clauses("We have no Hikvision cameras, but we do have Dahua ones")] == [
        "We have no Hikvision cameras",
        "we do have Dahua ones",
    ]


def test_an_outlook_style_quoted_request_is_request_text() -> None:
    text = (
        "We have no Dahua cameras.\n\nFrom: A. Reader\nSent: 2 May 2024 10:00\n"
        "Subject: FOI\n\nDo you have Dahua or Hikvision cameras?"
    )
    # the quoted message starts at its "From:" line (the mail reader's detector)
    assert [role for role, _ in roles(text)] == [RESPONSE, REQUEST, REQUEST, REQUEST, REQUEST]

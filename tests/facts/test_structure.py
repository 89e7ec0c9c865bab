"""Replies read as documents: numbered answers in any style, the question an answer sits under,
approximate counts, and equipment that belongs to someone else."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from sightline.documents.model import Block, Document, Location
from sightline.facts import extract

Facts = Callable[..., dict[str, Any]]


@pytest.mark.parametrize(
    "prefix", ["Q2. ", "Question 2: ", "2) ", "(b) ", "Response to part (b): ", "Part 2 - ", ""]
)
def test_a_numbered_answer_is_an_answer_in_any_numbering_style(facts: Facts, prefix: str) -> None:
    result = facts(f"{prefix}The council operates 25 Dahua cameras.")
    assert result["vendors"]["dahua"]["owned"] == "yes"
    assert result["vendors"]["dahua"]["count"] == 25


def test_q_numbered_question_and_answer_pairs(facts: Facts) -> None:
    result = facts(
        "Q1. Does the council operate any cameras made by Hikvision?\nQ1. Yes.\n\n"
        "Q3. Does the council operate any Dahua equipment?\nQ3. No."
    )
    assert result["vendors"]["hikvision"]["owned"] == "yes"
    assert result["vendors"]["dahua"]["owned"] == "no"
    assert result["vendors"]["dahua"]["evidence"] == [{"quote": "Q3. No.", "location": "body"}]


@pytest.mark.parametrize("answer", ["None.", "Nil", "0.", "Nil return."])
def test_a_nil_answer_under_a_vendor_question_is_a_no(facts: Facts, answer: str) -> None:
    result = facts(f"Question 5:\nHow many Hikvision cameras does the trust have?\n\n{answer}")
    assert result["vendors"]["hikvision"]["owned"] == "no"


def test_a_bare_number_under_a_how_many_question_is_the_count(facts: Facts) -> None:
    result = facts(
        "Question 4:\nPlease state how many Hikvision cameras the trust has.\nResponse:\n26."
    )
    assert result["vendors"]["hikvision"] == {
        "owned": "yes",
        "count": 26,
        "device_types": ["camera"],
        "evidence": [{"quote": "26.", "location": "body"}],
    }


def test_answers_above_a_quoted_request_answer_its_numbered_questions(facts: Facts) -> None:
    result = facts(
        "1) No\n2) Yes, 8 cameras\n\n-----Original Message-----\n"
        "1) Does the school have any Hikvision cameras?\n"
        "2) Does the school have any Dahua cameras? If so, how many?"
    )
    assert result["vendors"]["hikvision"]["owned"] == "no"
    assert (result["vendors"]["dahua"]["owned"], result["vendors"]["dahua"]["count"]) == ("yes", 8)


def test_a_bilingual_label_and_its_answer(facts: Facts) -> None:
    result = facts(
        "Cwestiwn 1 / Question 1: Nifer y camerau Hikvision / Number of Hikvision cameras\n"
        "Ateb / Answer: 25\n"
        "Cwestiwn 2 / Question 2: Nifer y camerau Dahua / Number of Dahua cameras\n"
        "Ateb / Answer: Dim / None"
    )
    assert result["vendors"]["hikvision"]["count"] == 25
    assert result["vendors"]["dahua"]["owned"] == "no"


def test_an_approximate_count_is_kept_and_marked_approximate() -> None:
    document = Document(
        "t", [Block("The council has approximately 40 Hikvision cameras in use.", Location())]
    )
    count = extract(document).get("count", "hikvision")
    assert count is not None and count.value == 40
    assert count.rule == "owned.count-approximate"
    assert [e.approximate for e in count.evidence] == [True]


@pytest.mark.parametrize("words", ["a handful of", "more than 70", "at least 12"])
def test_a_handful_or_a_bound_is_no_count(facts: Facts, words: str) -> None:
    result = facts(f"The council has {words} Hikvision cameras.")
    assert result["vendors"]["hikvision"]["owned"] == "yes"
    assert result["vendors"]["hikvision"]["count"] is None


@pytest.mark.parametrize(
    "text",
    [
        "The shopping centre operator, which runs Hikvision cameras, is a private company.",
        "The town centre cameras are owned and monitored by the police, who use Hikvision cameras.",
        "Our leisure centres are run by an independent leisure trust, which installed its own"
        " Hikvision cameras.",
        "The building's security systems, including the Hikvision cameras, are owned by the PFI"
        " company.",
        "The car park cameras, which are Hikvision, belong to the parking operator.",
        "The firing range is run by a contractor which uses its own Hikvision cameras.",
    ],
)
def test_someone_elses_equipment_is_never_a_yes(facts: Facts, text: str) -> None:
    assert facts(text)["vendors"]["hikvision"]["owned"] != "yes"


def test_someone_elses_equipment_beside_no_cctv_of_its_own_is_a_no(facts: Facts) -> None:
    result = facts(
        "The council does not own any CCTV cameras. Monitoring of the market is done under"
        " contract by Sentinel Ltd, whose cameras are Hikvision units."
    )
    assert result["vendors"]["hikvision"]["owned"] == "no"


def test_an_installing_contractor_does_not_make_cameras_someone_elses(facts: Facts) -> None:
    result = facts("All 12 cameras are Hikvision models, installed in 2020 by a local contractor.")
    assert result["vendors"]["hikvision"]["owned"] == "yes"


def test_the_authoritys_own_beside_someone_elses(facts: Facts) -> None:
    result = facts(
        "The town centre cameras are owned by the police, who use Hikvision cameras.\n\n"
        "The district council itself has 4 Hikvision cameras at the museum."
    )
    assert (result["vendors"]["hikvision"]["owned"], result["vendors"]["hikvision"]["count"]) == (
        "yes",
        4,
    )


@pytest.mark.parametrize(
    "text",
    [
        "The council no longer has any Hikvision cameras: the last 3 were taken out in 2025.",
        "The trust did have Hikvision cameras until 2022, when they were all replaced.",
        "The council previously had 11 Hikvision cameras.",
    ],
)
def test_past_ownership_is_not_ownership(facts: Facts, text: str) -> None:
    assert facts(text)["vendors"]["hikvision"]["owned"] != "yes"


def test_a_future_option_is_not_ownership(facts: Facts) -> None:
    result = facts("One of the options being considered is a Dahua system; nothing is decided.")
    assert result["vendors"]["dahua"]["owned"] == "unstated"


@pytest.mark.parametrize(
    ("text", "hikvision", "dahua"),
    [
        ("The 22 cameras break down as follows: Hikvision 18, Dahua 4.", 18, 4),
        ("At present 9 of our cameras are Hikvision.", 9, None),
        ("The only Hikvision products we hold are two digital video recorders.", 2, None),
        ("Hikvision cameras: 40 in the town centre, 12 in car parks (52 in total).", 52, None),
    ],
)
def test_counts_in_other_wordings(
    facts: Facts, text: str, hikvision: int | None, dahua: int | None
) -> None:
    result = facts(text)
    assert result["vendors"]["hikvision"]["count"] == hikvision
    assert result["vendors"]["dahua"]["count"] == dahua


def test_zero_at_the_end_of_a_sentence_is_a_no(facts: Facts) -> None:
    result = facts(
        "The number of Hikvision cameras is zero, and the number of Dahua cameras is zero."
    )
    assert (result["vendors"]["hikvision"]["owned"], result["vendors"]["dahua"]["owned"]) == (
        "no",
        "no",
    )


def test_yes_and_a_number_under_a_how_many_question(facts: Facts) -> None:
    result = facts(
        "1. Yes - seven.\n\n-----Original Message-----\n"
        "1. Does the council own Hikvision cameras, and if so how many?"
    )
    assert (result["vendors"]["hikvision"]["owned"], result["vendors"]["hikvision"]["count"]) == (
        "yes",
        7,
    )


def test_kinds_counted_line_by_line_under_a_topic_question_add_up(facts: Facts) -> None:
    result = facts("Question 2 - Hikvision equipment\nCameras: 38\nNVRs: 2")
    assert result["vendors"]["hikvision"]["count"] == 40
    assert result["vendors"]["hikvision"]["device_types"] == ["camera", "nvr"]


def test_a_lower_case_nil_after_a_dash(facts: Facts) -> None:
    assert facts("Hikvision - dim / none")["vendors"]["hikvision"]["owned"] == "no"


def test_a_vendor_heading_over_a_list(facts: Facts) -> None:
    result = facts("Hikvision\n- 56 cameras\n- 4 NVRs")
    assert (
        result["vendors"]["hikvision"]["count"],
        result["vendors"]["hikvision"]["device_types"],
    ) == (
        60,
        ["camera", "nvr"],
    )


@pytest.mark.parametrize(
    ("words", "number"), [("twenty-five", 25), ("a single", 1), ("forty two", 42)]
)
def test_numbers_in_words(facts: Facts, words: str, number: int) -> None:
    assert (
        facts(f"The council has {words} Hikvision cameras.")["vendors"]["hikvision"]["count"]
        == number
    )


def test_information_that_cannot_be_released_is_a_refusal(facts: Facts) -> None:
    result = facts(
        "The information about which manufacturers supply the force's CCTV cannot be released."
        " Sections 24(1) and 31(1) are engaged."
    )
    assert result["status"] == "refused"
    assert result["exemptions"] == ["FOIA s.24", "FOIA s.31"]


def test_the_maker_named_as_subject_and_a_count_by_a_vendor(facts: Facts) -> None:
    named = facts("Hikvision is the manufacturer of the cameras at the leisure centre.")
    assert named["vendors"]["hikvision"]["owned"] == "yes"
    counted = facts("We operate two cameras by Hikvision and none by Dahua.")
    assert counted["vendors"]["hikvision"]["count"] == 2
    assert counted["vendors"]["dahua"]["owned"] == "no"


def test_a_question_named_by_its_part_and_topic_is_answered_by_that_part(facts: Facts) -> None:
    result = facts(
        "Part (a) - Hikvision equipment held by the force\nResponse to part (a): Nil\n\n"
        "Part (b) - Dahua equipment held by the force\n"
        "Response to part (b): The force holds six Dahua network video recorders."
    )
    assert result["vendors"]["hikvision"]["owned"] == "no"
    assert result["vendors"]["hikvision"]["evidence"] == [
        {"quote": "Response to part (a): Nil", "location": "body"}
    ]
    dahua = result["vendors"]["dahua"]
    assert (dahua["owned"], dahua["count"], dahua["device_types"]) == ("yes", 6, ["nvr"])


def test_a_numbered_statement_with_a_part_label_is_not_a_question(facts: Facts) -> None:
    result = facts("Part 1: 20 Hikvision cameras at lock sites.\nPart 2: 4 Dahua cameras.")
    assert [result["vendors"][v]["count"] for v in ("hikvision", "dahua")] == [20, 4]


def test_an_answer_to_both_questions_answers_every_quoted_question(facts: Facts) -> None:
    result = facts(
        "Dear Requester,\n\nIn answer to both of your questions: the council has none.\n\n"
        "-----Original Message-----\nFrom: requests@sightline.example\nSent: 2 March 2026\n\n"
        "1. Does the council have any Hikvision cameras?\n"
        "2. Does the council have any Dahua cameras?"
    )
    assert [result["vendors"][v]["owned"] for v in ("hikvision", "dahua")] == ["no", "no"]


@pytest.mark.parametrize(
    "text",
    [
        "The police operate Hikvision cameras in the town centre; the council has none of its own.",
        "Our leisure trust partner, which runs the sports centres, uses Hikvision cameras.",
        "The shopping centre company has Hikvision cameras throughout the mall.",
    ],
)
def test_another_body_as_the_subject_is_not_the_authoritys_equipment(
    facts: Facts, text: str
) -> None:
    assert facts(text)["vendors"]["hikvision"]["owned"] != "yes"


def test_the_authoritys_own_clause_beside_another_bodys_is_its_own(facts: Facts) -> None:
    result = facts(
        "The council operates 12 Hikvision cameras; the police have their own Dahua system."
    )
    hikvision = result["vendors"]["hikvision"]
    assert (hikvision["owned"], hikvision["count"]) == ("yes", 12)
    assert result["vendors"]["dahua"]["owned"] != "yes"
    # a contractor's cameras that a later clause names stay the contractor's
    other = facts("Cameras at the depot are owned by a contractor, and they are Hikvision.")
    assert other["vendors"]["hikvision"]["owned"] != "yes"

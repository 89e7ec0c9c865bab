"""One test per phrasing of the counts, ownership and layout rules added as data in rules.toml
(count.approximate-after, count.approximate-before, count.shapes, count.stands-for-question, the
named-body branches of phrase.third-party) and the answer shapes the layout reads ("Our answer:",
"The answer is ...", a vendor label ending a paragraph). Every reply here is written for these
tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from sightline.documents.model import Block, Document, Location
from sightline.facts import extract
from sightline.facts.counts import cell_count, estimates_read

Facts = Callable[..., dict[str, Any]]


def vendor(result: dict[str, Any], name: str) -> tuple[str, int | None, list[str]]:
    facts = result["vendors"][name]
    return facts["owned"], facts["count"], facts["device_types"]


# --- estimates: count.approximate-after, count.approximate-before ------------------------------


@pytest.mark.parametrize(
    "words",
    [
        "40+ Hikvision cameras",  # count.approximate-after: a plus after the number
        "40-odd Hikvision cameras",  # count.approximate-after: "-odd"
        "40 or so Hikvision cameras",  # count.approximate-after: "or so"
        "in the region of 40 Hikvision cameras",  # count.approximate-before
        "of the order of 40 Hikvision cameras",  # count.approximate-before
    ],
)
def test_an_estimate_keeps_its_number_and_is_marked_approximate(words: str) -> None:
    document = Document("t", [Block(f"The trust has {words} at its hospitals.", Location())])
    count = extract(document).get("count", "hikvision")
    assert count is not None and count.value == 40
    assert count.rule == "owned.count-approximate"
    assert [e.approximate for e in count.evidence] == [True]


def test_estimates_are_read_as_approximately() -> None:
    assert estimates_read("40+ cameras, 12-odd NVRs and in the region of 9 domes") == (
        "approximately 40 cameras, approximately 12 NVRs and approximately 9 domes"
    )
    # a sum or a plus between numbers is no estimate
    assert estimates_read("3+4 cameras") == "3+4 cameras"


def test_an_estimated_answer_under_the_vendor_question_keeps_its_number(facts: Facts) -> None:
    result = facts(
        "Does the council operate any equipment made by Hikvision?\nYes - approximately 75 cameras."
    )
    assert vendor(result, "hikvision") == ("yes", 75, ["camera"])


# --- count.shapes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["Hikvision cameras x 27 (library).", "27 x Hikvision cameras at the library."]
)
def test_a_multiplied_count(facts: Facts, text: str) -> None:
    assert vendor(facts(text), "hikvision") == ("yes", 27, ["camera"])


# --- count.stands-for-question ------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer", ["The Council has 31 of them, mostly in parks.", "We operate 31 in total."]
)
def test_a_number_standing_for_the_question_devices(facts: Facts, answer: str) -> None:
    result = facts(f"Question 1\nHow many Hikvision cameras does the Council have?\n\n{answer}")
    assert vendor(result, "hikvision") == ("yes", 31, ["camera"])


def test_of_them_under_a_question_that_is_not_how_many_is_no_count(facts: Facts) -> None:
    result = facts(
        "Question 1\nDoes the Council have any Hikvision cameras?\n\nYes, and 3 of them are new."
    )
    assert vendor(result, "hikvision") == ("yes", None, ["camera"])


# --- phrase.third-party: named bodies -----------------------------------------------------------


@pytest.mark.parametrize(
    "other",
    [
        "Cameras on the estates are owned by Eastwick Homes, which uses Hikvision equipment.",
        "The car parks are run under contract by Parkwise Ltd, which owns the Hikvision cameras.",
        "The estates are patrolled by Wardens plc, which operates 12 Hikvision cameras there.",
        "The estates are looked after by Eastwick, a housing association, which uses Hikvision"
        " equipment.",
    ],
)
def test_a_named_body_equipment_is_not_the_authority(facts: Facts, other: str) -> None:
    result = facts(f"{other} The council has no CCTV of its own.")
    assert vendor(result, "hikvision")[0] == "no"


def test_the_authority_own_cameras_serviced_by_a_named_company_are_its_own(facts: Facts) -> None:
    result = facts(
        "Our maintenance contractor, Watchpoint Ltd, services the council's 40 Hikvision cameras."
    )
    assert vendor(result, "hikvision") == ("yes", 40, ["camera"])


def test_owned_by_the_authority_is_not_someone_else(facts: Facts) -> None:
    result = facts("The 14 Dahua cameras in the market are owned by the council.")
    assert vendor(result, "dahua") == ("yes", 14, ["camera"])


# --- answers and questions in the layout --------------------------------------------------------


def test_our_answer_no_under_the_vendor_question(facts: Facts) -> None:
    result = facts(
        "Your question: Does the council own any cameras made by Dahua?\n"
        "Our answer: No, the council does not own any."
    )
    assert vendor(result, "dahua")[0] == "no"


def test_the_answer_is_after_a_restated_question(facts: Facts) -> None:
    result = facts(
        "In question 1 you asked how many Hikvision cameras we have: the answer is 14.\n\n"
        "In question 2 you asked whether we have any Dahua cameras. The answer is no."
    )
    assert vendor(result, "hikvision") == ("yes", 14, ["camera"])
    assert vendor(result, "dahua")[0] == "no"


def test_a_restated_request_without_an_answer_opening_stays_a_statement(facts: Facts) -> None:
    result = facts("You asked about our cameras and we have 12 Hikvision cameras.")
    assert vendor(result, "hikvision")[0] == "unstated"  # a restated request gives nothing


def test_a_vendor_label_ending_a_paragraph_heads_the_next(facts: Facts) -> None:
    result = facts(
        "The council's Dahua recorders were disposed of last year. Hikvision:",
        "22 cameras remain in service.",
    )
    assert vendor(result, "hikvision") == ("yes", 22, ["camera"])
    assert vendor(result, "dahua")[0] == "no"


# --- table cells ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("12", (12, False)),
        ("approx. 60", (60, True)),
        ("c. 40", (40, True)),
        ("40+", (40, True)),
        ("about 7", (7, True)),
        ("Nil", (None, False)),
        ("not recorded", (None, False)),
        ("more than 40", (None, False)),
    ],
)
def test_a_table_cell_count(cell: str, expected: tuple[int | None, bool]) -> None:
    assert cell_count(cell) == expected


def test_an_estimate_in_a_table_is_a_count_and_a_bilingual_nil_is_no(facts: Facts) -> None:
    result = facts(
        "| Gwneuthurwr / Manufacturer | Nifer / Number |\n"
        "| Hikvision | approx. 60 |\n"
        "| Dahua | Dim / None |\n"
        "| Axis | not recorded |"
    )
    assert vendor(result, "hikvision") == ("yes", 60, ["camera"])
    assert vendor(result, "dahua")[0] == "no"
    assert result["vendors"].get("axis", {}).get("owned", "unstated") != "no"


# --- second round: rules.toml phrasings and the shapes they serve -------------------------------


def test_c_dot_without_a_space_is_an_estimate(facts: Facts) -> None:
    # count.approximate-before: "c.25"
    result = facts("The force estimates that c.25 of its cameras are Dahua.")
    assert vendor(result, "dahua") == ("yes", 25, ["camera"])


def test_a_count_in_brackets_after_the_vendor_clause_is_approximate() -> None:
    # count.shapes: "(approximately 30 cameras)"
    document = Document(
        "t", [Block("Hikvision equipment is still in use (approximately 30 cameras).", Location())]
    )
    count = extract(document).get("count", "hikvision")
    assert count is not None and count.value == 30
    assert [e.approximate for e in count.evidence] == [True]


def test_a_count_in_brackets_is_not_given_to_another_vendor(facts: Facts) -> None:
    result = facts(
        "Hikvision cameras are used at the depot and Dahua ones in the park (4 cameras)."
    )
    assert vendor(result, "hikvision")[1] is None


@pytest.mark.parametrize(
    "none", ["The council itself owns no cameras.", "The council has no CCTV of its own."]
)
def test_no_cctv_beside_another_authority_equipment(facts: Facts, none: str) -> None:
    # phrase.no-cctv ("owns no cameras") and phrase.third-party (another authority, "which owns")
    result = facts(
        "The CCTV partnership is hosted by the neighbouring borough, which owns the cameras "
        f"(Hikvision). {none}"
    )
    assert vendor(result, "hikvision")[0] == "no"


def test_the_authority_own_cameras_beside_a_students_union(facts: Facts) -> None:
    # phrase.own-subject: "the University's own cameras"
    result = facts(
        "The Students' Union operates its own Hikvision cameras in the union building; the "
        "University's own cameras are Axis."
    )
    assert vendor(result, "hikvision")[0] == "unstated"
    assert vendor(result, "axis")[0] == "yes"


def test_the_makers_you_list_beside_a_named_one(facts: Facts) -> None:
    # phrase.vendor-anaphora: "the makers you list", "other" leaves out the one named beside it
    result = facts(
        "We have 2 Hikvision NVRs and no other equipment from the makers you list.",
        "> Please tell me how much equipment made by Hikvision or Dahua the council has.",
    )
    assert vendor(result, "hikvision") == ("yes", 2, ["nvr"])
    assert vendor(result, "dahua")[0] == "no"


def test_work_a_refusal_would_take_names_the_makes_declined(facts: Facts) -> None:
    # phrase.declined-work
    result = facts(
        "Section 12 applies to your request as a whole, so we have not answered any part of it. "
        "Identifying which of our 600 cameras are Hikvision would alone take more than 18 hours."
    )
    assert result["status"] == "refused"
    assert vendor(result, "hikvision")[0] == "unknown"
    assert vendor(result, "dahua")[0] == "unknown"


@pytest.mark.parametrize(
    "text",
    [
        "Hikvision cameras were installed in 2019. These were replaced in 2024 by Axis cameras.",
        "The school used to have Hikvision cameras but these were all removed in 2023.",
    ],
)
def test_these_were_removed_takes_back_the_vendor_before(facts: Facts, text: str) -> None:
    result = facts(text)
    assert vendor(result, "hikvision")[0] == "no"


def test_the_replacement_is_held(facts: Facts) -> None:
    result = facts("Hikvision cameras were installed in 2019. These were replaced in 2024 by Axis.")
    assert vendor(result, "axis")[0] == "yes"


def test_they_were_replaced_with_the_same_make_keeps_it(facts: Facts) -> None:
    result = facts(
        "The council has 40 Hikvision cameras. These were replaced last year with newer "
        "Hikvision models."
    )
    assert vendor(result, "hikvision") == ("yes", 40, ["camera"])


@pytest.mark.parametrize("nil", ["N/A", "-", "Nil"])
def test_a_nil_under_a_how_many_question_is_no(facts: Facts, nil: str) -> None:
    result = facts(f"1. How many Hikvision cameras does the force operate?\n{nil}")
    assert vendor(result, "hikvision")[0] == "no"


def test_yes_a_number_and_where(facts: Facts) -> None:
    result = facts("Does the academy have any Hikvision cameras? Yes, six, at the entrances.")
    assert vendor(result, "hikvision") == ("yes", 6, ["camera"])


def test_a_label_block_heads_the_block_after_it() -> None:
    document = Document(
        "t",
        [
            Block("Question 1", Location(part="body")),
            Block("Number of Hikvision cameras owned by the council.", Location(part="body")),
            Block("Nil return.", Location(part="body")),
        ],
    )
    owned = extract(document).get("owned", "hikvision")
    assert owned is not None and owned.value == "no"


def test_a_question_number_is_not_a_count(facts: Facts) -> None:
    result = facts("Question 1 Number of Hikvision cameras owned by the council")
    assert vendor(result, "hikvision")[1] is None


def test_a_dash_list_is_summed_and_a_bilingual_repeat_is_not(facts: Facts) -> None:
    result = facts("i) Hikvision - 9 cameras and 1 NVR\nii) Dahua - 3 camera / 3 cameras")
    assert vendor(result, "hikvision") == ("yes", 10, ["camera", "nvr"])
    assert vendor(result, "dahua")[:2] == ("yes", 3)

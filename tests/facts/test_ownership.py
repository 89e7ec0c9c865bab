"""Per-vendor ownership, counts and device types from the authority's own words.

Every reply here is written for these tests; none copies a real or dev-set document.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

Facts = Callable[..., dict[str, Any]]
Owned = Callable[[str], dict[str, str]]


def vendor(result: dict[str, Any], name: str) -> tuple[str, int | None, list[str]]:
    facts = result["vendors"][name]
    return facts["owned"], facts["count"], facts["device_types"]


# --- yes -------------------------------------------------------------------------------------


def test_a_count_next_to_the_vendor_is_owned_with_that_count(facts: Facts) -> None:
    result = facts("Our leisure centres are watched by 18 Hikvision dome cameras.")
    assert vendor(result, "hikvision") == ("yes", 18, ["camera"])
    assert vendor(result, "dahua") == ("unstated", None, [])


def test_parts_of_one_statement_are_added_up(facts: Facts) -> None:
    result = facts(
        "At the depot we run 11 Dahua bullet cameras, which record to 2 Dahua network video "
        "recorders, and one Dahua XVR."
    )
    assert vendor(result, "dahua") == ("yes", 14, ["camera", "dvr", "nvr"])


def test_a_count_repeated_later_is_not_added_twice(facts: Facts) -> None:
    result = facts(
        "The council owns two Hikvision cameras at the crematorium.",
        "Both Hikvision cameras were fitted in 2019 and the two Hikvision cameras still work.",
    )
    assert vendor(result, "hikvision") == ("yes", 2, ["camera"])


@pytest.mark.parametrize(
    "text",
    [
        "The town centre scheme has 33 cameras manufactured by Hikvision.",
        "Hikvision: 33 cameras",
        "Number of Hikvision cameras: 33",
        "Of the 90 cameras we run, 33 are Hikvision.",
    ],
)
def test_count_layouts(facts: Facts, text: str) -> None:
    assert vendor(facts(text), "hikvision")[:2] == ("yes", 33)


def test_an_estimate_is_not_a_count(facts: Facts) -> None:
    result = facts("We have roughly 200 cameras, most of which are made by Dahua.")
    assert vendor(result, "dahua") == ("yes", None, ["camera"])


def test_years_and_money_are_not_counts(facts: Facts) -> None:
    result = facts("In 2017 Hikvision cameras were installed at the market for £4500.")
    assert vendor(result, "hikvision") == ("yes", None, ["camera"])


def test_a_sub_brand_counts_for_its_family_and_the_quote_shows_it(facts: Facts) -> None:
    result = facts("The parish hall has three HiWatch cameras on the outside walls.")
    assert vendor(result, "hikvision") == ("yes", 3, ["camera"])
    assert result["vendors"]["hikvision"]["evidence"] == [
        {
            "quote": "The parish hall has three HiWatch cameras on the outside walls.",
            "location": "body",
        }
    ]


def test_ocr_damaged_names_still_count(facts: Facts) -> None:
    result = facts("The car park is covered by 4 Hlkvision cameras and 1 DAHUA NVR.")
    assert vendor(result, "hikvision")[:2] == ("yes", 4)
    assert vendor(result, "dahua") == ("yes", 1, ["nvr"])


def test_thermal_cameras_are_their_own_type(facts: Facts) -> None:
    result = facts("We bought 5 Hikvision thermal imaging cameras for temperature screening.")
    assert vendor(result, "hikvision") == ("yes", 5, ["thermal"])


def test_the_count_in_the_next_sentence_belongs_to_the_vendor_just_named(facts: Facts) -> None:
    result = facts("Our cameras are all Bosch models. There are 41 cameras in total.")
    assert vendor(result, "bosch") == ("yes", 41, ["camera"])


# --- question and answer layouts ---------------------------------------------------------------


def test_a_bare_yes_and_count_under_a_question(facts: Facts) -> None:
    result = facts(
        "Q1. Do you have any CCTV cameras made by Dahua?\nYes, 9 cameras at the bus station.\n\n"
        "Q2. Do you have any CCTV cameras made by Hikvision?\nNo."
    )
    assert vendor(result, "dahua") == ("yes", 9, ["camera"])
    assert vendor(result, "hikvision") == ("no", None, [])


def test_numbered_answers_follow_numbered_questions(facts: Facts) -> None:
    result = facts(
        "Your request:\n1) How many Hikvision cameras does the authority operate?\n"
        "2) How many Dahua cameras does the authority operate?\n\nOur response:\n1) 27\n2) None"
    )
    assert vendor(result, "hikvision") == ("yes", 27, ["camera"])
    assert vendor(result, "dahua") == ("no", None, [])


def test_compact_question_and_answer_on_one_line(facts: Facts) -> None:
    result = facts("Does the trust use Hikvision cameras? No. Does it use Dahua cameras? Yes.")
    assert vendor(result, "hikvision")[0] == "no"
    assert vendor(result, "dahua")[0] == "yes"


def test_a_vendor_only_in_the_question_is_unstated(facts: Facts) -> None:
    result = facts(
        "You asked:\n1. Are any of your cameras made by Hikvision or Dahua?\n\n"
        "Response:\n1. The information will be sent to you shortly."
    )
    assert vendor(result, "hikvision")[0] == "unstated"
    assert vendor(result, "dahua")[0] == "unstated"


def test_a_reply_restating_the_request_does_not_own_anything(owned: Owned) -> None:
    assert owned(
        "Thank you for your request about Hikvision and Dahua cameras, received on 2 May."
    ) == {"hikvision": "unstated", "dahua": "unstated"}


# --- no ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The college does not have any cameras manufactured by Dahua.",
        "No Dahua equipment is installed anywhere on the estate.",
        "None of our recorders or cameras were made by Dahua.",
        "Dahua - None",
        "Dahua cameras are not used by the board.",
        "We can confirm that we hold no Dahua devices.",
        "The authority does not hold any Dahua cameras.",
    ],
)
def test_negations(owned: Owned, text: str) -> None:
    assert owned(text)["dahua"] == "no"


def test_negation_reaches_both_names_and_anaphora(owned: Owned) -> None:
    assert owned("There is neither Hikvision nor Dahua equipment in use.") == {
        "hikvision": "no",
        "dahua": "no",
    }
    result = owned(
        "We checked for cameras by Hikvision and Dahua. None of our equipment comes from "
        "either company."
    )
    assert result == {"hikvision": "no", "dahua": "no"}


def test_no_longer_a_supplier_is_not_a_no(owned: Owned) -> None:
    assert owned("Hikvision is no longer a supplier to the council.")["hikvision"] == "unstated"


def test_an_authority_without_cctv_has_none_of_the_vendors_asked_about(owned: Owned) -> None:
    text = (
        "You asked whether the council has Hikvision or Dahua cameras.\n\n"
        "The council does not operate any CCTV cameras."
    )
    assert owned(text) == {"hikvision": "no", "dahua": "no"}


def test_equipment_removed_in_the_past_is_no(owned: Owned) -> None:
    assert (
        owned("All Hikvision cameras were removed from the civic centre in 2022.")["hikvision"]
        == "no"
    )


# --- unknown -----------------------------------------------------------------------------------


def test_neither_confirm_nor_deny_about_named_vendors(owned: Owned) -> None:
    text = (
        "You asked whether the force uses Hikvision or Dahua cameras.\n\n"
        "The force can neither confirm nor deny that it holds information relevant to your "
        "request, by virtue of section 24(2) and section 31(3)."
    )
    assert owned(text) == {"hikvision": "unknown", "dahua": "unknown"}


def test_not_knowing_the_makes_is_unknown_for_both(owned: Owned) -> None:
    text = "The manufacturer of each camera is not recorded, so this information is not held."
    assert owned(text) == {"hikvision": "unknown", "dahua": "unknown"}


def test_a_withheld_answer_about_one_vendor_beats_a_partial_no(owned: Owned) -> None:
    text = (
        "2. How many Dahua cameras does the council have?\n"
        "None in the town centre. For schools, the cost of compliance would exceed the "
        "appropriate limit, so section 12 applies."
    )
    assert owned(text)["dahua"] == "unknown"


def test_a_general_refusal_does_not_override_a_clear_answer(owned: Owned) -> None:
    text = (
        "The council has 12 Bosch cameras and no Dahua cameras.\n\n"
        "We do not hold a breakdown of installation dates by manufacturer."
    )
    assert owned(text) == {"hikvision": "unknown", "dahua": "no", "bosch": "yes"}


# --- lumped, policy, plans -------------------------------------------------------------------


def test_hikvision_or_dahua_without_saying_which(facts: Facts) -> None:
    result = facts("The council confirms it has 14 cameras made by Hikvision or Dahua.")
    assert result["hikvision_or_dahua_unspecified"] is True
    assert vendor(result, "hikvision") == ("unknown", None, [])
    assert vendor(result, "dahua") == ("unknown", None, [])


def test_naming_both_separately_is_not_lumped(facts: Facts) -> None:
    result = facts("We have 3 Hikvision cameras and 2 Dahua cameras.")
    assert result["hikvision_or_dahua_unspecified"] is False
    assert vendor(result, "hikvision")[:2] == ("yes", 3)
    assert vendor(result, "dahua")[:2] == ("yes", 2)


def test_a_policy_alone_is_not_ownership(owned: Owned) -> None:
    assert owned("Council policy prohibits buying Hikvision or Dahua products.") == {
        "hikvision": "unstated",
        "dahua": "unstated",
    }


def test_a_policy_with_equipment_still_in_use_is_yes(owned: Owned) -> None:
    text = (
        "Our procurement policy bars Hikvision products. Two Hikvision cameras bought before "
        "the policy remain in use at the depot."
    )
    assert owned(text)["hikvision"] == "yes"


def test_a_future_supplier_is_not_owned(owned: Owned) -> None:
    assert (
        owned("The old analogue system will be replaced next year with cameras supplied by Dahua.")[
            "dahua"
        ]
        == "unstated"
    )
    assert owned("The contract for the new system has been awarded to Dahua.")["dahua"] == (
        "unstated"
    )


def test_the_future_supplier_already_installing_is_yes(owned: Owned) -> None:
    assert (
        owned("We are moving to Dahua: 12 Dahua cameras have already been installed.")["dahua"]
        == "yes"
    )


def test_talk_about_a_vendor_is_not_ownership(owned: Owned) -> None:
    assert owned("We are aware of concerns about Hikvision raised in Parliament.") == {
        "hikvision": "unstated",
        "dahua": "unstated",
    }


def test_other_vendors_appear_under_their_own_id(facts: Facts) -> None:
    result = facts("The station cameras are Axis and Avigilon models, recording to Genetec.")
    assert {v: f["owned"] for v, f in result["vendors"].items()} == {
        "hikvision": "unstated",
        "dahua": "unstated",
        "axis": "yes",
        "avigilon": "yes",
        "genetec": "yes",
    }


def test_plans_to_replace_a_vendors_cameras_do_not_deny_having_them(owned: Owned) -> None:
    text = "The council has no plans to replace its Hikvision cameras at present."
    assert owned(text)["hikvision"] == "yes"


def test_a_count_then_these_are_made_by(facts: Facts) -> None:
    result = facts("The library has 7 cameras. These are all made by Dahua.")
    assert vendor(result, "dahua")[:2] == ("yes", 7)


def test_one_or_both_of_the_two_named_makers_is_lumped(facts: Facts) -> None:
    text = (
        "You asked about Hikvision and Dahua.\n\n"
        "We can confirm that some of our equipment was made by one or both of these companies."
    )
    result = facts(text)
    assert result["hikvision_or_dahua_unspecified"] is True
    assert (vendor(result, "hikvision")[0], vendor(result, "dahua")[0]) == ("unknown", "unknown")


def test_counts_split_by_maker_in_one_sentence(facts: Facts) -> None:
    result = facts("Of our 60 cameras, 25 are manufactured by Hikvision and 10 by Dahua.")
    assert vendor(result, "hikvision")[:2] == ("yes", 25)
    assert vendor(result, "dahua")[:2] == ("yes", 10)


def test_a_list_of_counts_by_maker(facts: Facts) -> None:
    result = facts("There are 20 cameras in total: 12 Hikvision, 5 Dahua and 3 Bosch.")
    assert vendor(result, "hikvision")[:2] == ("yes", 12)
    assert vendor(result, "dahua")[:2] == ("yes", 5)
    assert vendor(result, "bosch")[:2] == ("yes", 3)


def test_no_chinese_made_cameras_is_no_for_both(owned: Owned) -> None:
    assert owned("The board does not use any Chinese-made cameras.") == {
        "hikvision": "no",
        "dahua": "no",
    }


@pytest.mark.parametrize(
    "text",
    [
        "Confirming that the force uses Hikvision equipment would allow criminals to target it.",
        "Revealing that Hikvision cameras guard the custody suite could help plan an attack.",
    ],
)
def test_public_interest_arguments_are_not_statements(owned: Owned, text: str) -> None:
    assert owned(text)["hikvision"] == "unstated"


def test_request_items_written_as_noun_phrases_with_bare_answers(facts: Facts) -> None:
    result = facts(
        "1. The number of Hikvision cameras owned by the council.\n0\n\n"
        "2. The number of Dahua cameras owned by the council.\n14"
    )
    assert vendor(result, "hikvision") == ("no", None, [])
    assert vendor(result, "dahua") == ("yes", 14, ["camera"])


@pytest.mark.parametrize(
    "text",
    [
        "The council operates 45 cameras; all are Hikvision.",
        "We run 3 x Hikvision NVRs and 42 x Hikvision cameras.",
        "Equipment: Hikvision cameras (45)",
    ],
)
def test_more_count_layouts(facts: Facts, text: str) -> None:
    assert vendor(facts(text), "hikvision")[:2] == ("yes", 45)


def test_counts_listed_after_labels(facts: Facts) -> None:
    result = facts("Our cameras are a mix of makes. Hikvision: 112, Dahua: 4, Axis: 7, Other: 23.")
    assert {v: (f["owned"], f["count"]) for v, f in result["vendors"].items()} == {
        "hikvision": ("yes", 112),
        "dahua": ("yes", 4),
        "axis": ("yes", 7),
    }


def test_information_about_a_vendor_that_is_withheld(facts: Facts) -> None:
    result = facts(
        "We hold information about Hikvision cameras, but it is exempt under section 24."
    )
    assert vendor(result, "hikvision") == ("unknown", None, [])
    assert result["status"] == "refused"


def test_not_held_because_there_are_none_is_no(owned: Owned) -> None:
    text = "The council holds no information on Dahua cameras as it does not have any."
    assert owned(text)["dahua"] == "no"

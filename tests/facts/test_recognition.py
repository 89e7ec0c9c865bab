"""Facial recognition: the authority's own use, now (yes), before (past), or not (no)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

Facts = Callable[..., dict[str, Any]]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The force uses live facial recognition at major events.", "yes"),
        (
            "Officers carry out retrospective facial recognition searches through the Police "
            "National Database.",
            "yes",
        ),
        ("In 2019 the council trialled facial recognition at the leisure centre.", "past"),
        ("A facial recognition pilot ran in 2020 and was discontinued.", "past"),
        ("The council has never used facial recognition technology.", "no"),
        ("Facial recognition is not used by the trust.", "no"),
        ("We do not operate any facial recognition cameras.", "no"),
        (
            "The force does not use live facial recognition, but it does use retrospective "
            "facial recognition through the PND.",
            "yes",
        ),
    ],
)
def test_statements(facts: Facts, text: str, value: str) -> None:
    assert facts(text)["facial_recognition"] == value


@pytest.mark.parametrize(
    "text",
    [
        "You asked whether the council uses facial recognition.",
        "Will the new cameras be capable of facial recognition?",
        "Our understanding is that the university's system does not use facial recognition.",
        "The capability question about facial recognition is withheld under section 31.",
        "We plan to use facial recognition from next year.",
        "Facial Recognition Use and Related Documentation",
    ],
)
def test_no_statement_about_own_use(facts: Facts, text: str) -> None:
    assert facts(text)["facial_recognition"] == "unstated"


def test_short_answers_follow_the_question(facts: Facts) -> None:
    assert facts("3. Does the council use facial recognition?\nNo.")["facial_recognition"] == "no"
    assert (
        facts("3. Has the council ever used facial recognition?\nYes, once, in 2018.")[
            "facial_recognition"
        ]
        == "past"
    )
    assert facts("3. Does the force use facial recognition?\nYes.")["facial_recognition"] == "yes"

"""Plans to replace equipment."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

Facts = Callable[..., dict[str, Any]]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The Hikvision cameras will be replaced during 2026.", "yes"),
        ("Old cameras are replaced as and when they fail.", "yes"),
        ("We are part way through a programme to replace the recorders.", "yes"),
        ("The Dahua units are being phased out.", "yes"),
        ("There are no plans to replace the cameras.", "no"),
        ("The council is not planning to replace this equipment.", "no"),
        ("The cameras were replaced in 2019.", "unstated"),
        ("The force has no plans to use facial recognition.", "unstated"),
        ("We plan to add 10 more cameras next year.", "unstated"),
    ],
)
def test_replacement_plan(facts: Facts, text: str, value: str) -> None:
    assert facts(text)["replacement_plan"] == value


def test_a_short_answer_to_a_replacement_question(facts: Facts) -> None:
    text = "4. Do you plan to replace the Hikvision cameras?\nNo."
    assert facts(text)["replacement_plan"] == "no"


def test_the_request_asking_about_plans_is_not_a_plan(facts: Facts) -> None:
    text = "You asked:\n1. Will you replace your cameras?\n\nResponse:\n1. The information is attached."
    assert facts(text)["replacement_plan"] == "unstated"


def test_an_upgrade_programme_is_a_plan(facts: Facts) -> None:
    assert facts("The recorders will be upgraded next year.")["replacement_plan"] == "yes"

"""Exemptions normalised to FOIA s.N, FOISA s.N and EIR reg.12(x)(y)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

Facts = Callable[..., dict[str, Any]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The locations are exempt under section 31(1)(a)(b).", ["FOIA s.31"]),
        ("We rely on S24 (1) and S31 (1) (a).", ["FOIA s.24", "FOIA s.31"]),
        ("Names are redacted under s.40(2).", ["FOIA s.40"]),
        ("Sec. 38 (health and safety) applies.", ["FOIA s.38"]),
        ("Sections 23(5), 24(2) and 30(3) apply.", ["FOIA s.23", "FOIA s.24", "FOIA s.30"]),
        ("Commercial details are withheld under section 43(2) of the FOIA.", ["FOIA s.43"]),
        (
            "We are withholding this under regulations 12(5)(a) and 12(5)(b) of the EIR.",
            ["EIR reg.12(5)(a)", "EIR reg.12(5)(b)"],
        ),
        ("This is excepted under R12(4)(b) as manifestly unreasonable.", ["EIR reg.12(4)(b)"]),
        (
            "Section 12 of the Freedom of Information (Scotland) Act 2002 applies, and section 17 "
            "notice is given that some information is not held.",
            ["FOISA s.12", "FOISA s.17"],
        ),
        ("Under the Freedom of Information Act 2000 section 14(1) applies.", ["FOIA s.14"]),
    ],
)
def test_citations(facts: Facts, text: str, expected: list[str]) -> None:
    assert facts(text)["exemptions"] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Under section 16 we offer advice and assistance.",
        "This letter is a refusal notice under section 17 of the Act.",
        "Section 10(3) allows us more time to consider the public interest.",
        "Under section 1(3) we need you to clarify the request.",
        "The duty in section 1(1)(a) does not apply.",
        "The exemption at section 14 may be engaged if you send many requests at once.",
        "Processing is lawful under section 8 of the Data Protection Act 2018.",
        "The EIR regulation 12(2) presumption in favour of disclosure applies.",
    ],
)
def test_procedure_and_boilerplate_are_not_exemptions(facts: Facts, text: str) -> None:
    assert facts(text)["exemptions"] == []


def test_a_section_named_only_as_not_already_exempt_is_not_cited(facts: Facts) -> None:
    text = (
        "Information is exempt under section 31(1) if it is not already exempt under "
        "section 30 and its release would harm the prevention of crime."
    )
    assert facts(text)["exemptions"] == ["FOIA s.31"]


def test_sections_in_the_request_are_ignored(facts: Facts) -> None:
    text = "Your request:\nPlease do not rely on section 43 to withhold prices.\n\nResponse:\nYes."
    assert facts(text)["exemptions"] == []


def test_a_scottish_reply_cites_foisa_throughout(facts: Facts) -> None:
    text = (
        "This response is made under the Freedom of Information (Scotland) Act 2002.\n\n"
        "The camera locations are exempt under section 35(1)(a)."
    )
    assert facts(text)["exemptions"] == ["FOISA s.35"]

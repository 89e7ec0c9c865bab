"""The vendor knowledge base and finding vendor names in text."""

from __future__ import annotations

import pytest

from sightline.facts.vendors import APPLIED_CONFIDENCE, knowledge_base, load_knowledge_base

REQUIRED = [
    "hikvision",
    "dahua",
    "huawei",
    "uniview",
    "axis",
    "bosch",
    "hanwha",
    "avigilon",
    "panasonic",
    "honeywell",
    "pelco",
    "genetec",
    "milestone",
    "vivotek",
]


def found(text: str) -> list[tuple[str, str, str | None]]:
    return [(m.vendor, m.written, m.brand) for m in knowledge_base().find(text)]


def test_knowledge_base_covers_the_required_vendors() -> None:
    assert set(REQUIRED) <= set(knowledge_base().vendors)


def test_every_brand_link_names_its_source_and_confidence() -> None:
    for vendor in knowledge_base().vendors.values():
        assert vendor.source, vendor.id
        for brand in vendor.brands:
            assert brand.source, brand.name
            assert brand.confidence in {"high", "medium", "low"}, brand.name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("two EZVIZ cameras", [("hikvision", "EZVIZ", "EZVIZ")]),
        ("a HiWatch recorder", [("hikvision", "HiWatch", "HiWatch")]),
        ("the Imou doorbell camera", [("dahua", "Imou", "Imou")]),
        ("Lorex cameras bought in 2019", [("dahua", "Lorex", "Lorex")]),
    ],
)
def test_sub_brands_count_for_their_family(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert found(text) == expected


def test_low_confidence_links_are_not_applied() -> None:
    amcrest = next(b for b in knowledge_base().vendors["dahua"].brands if b.name == "Amcrest")
    assert amcrest.confidence not in APPLIED_CONFIDENCE
    assert found("an Amcrest camera") == []


@pytest.mark.parametrize(
    ("text", "vendor", "written"),
    [
        ("three Hikvison domes", "hikvision", "Hikvison"),
        ("Hlkvision recorder", "hikvision", "Hlkvision"),
        ("H1kvision NVR", "hikvision", "H1kvision"),
        ("made by Dahau", "dahua", "Dahau"),
        ("the Gentech video management system", "genetec", "Gentech"),
        ("a Honywell MAXPRO system", "honeywell", "Honywell"),
        ("the Hikvisoin camera", "hikvision", "Hikvisoin"),
    ],
)
def test_misspellings_and_ocr_damage(text: str, vendor: str, written: str) -> None:
    assert found(text)[0][:2] == (vendor, written)


def test_ambiguous_names_need_their_capital() -> None:
    assert found("plotted on the x axis; a milestone for the project") == []
    assert [v for v, _, _ in found("Axis cameras and Milestone XProtect")] == [
        "axis",
        "milestone",
        "milestone",
    ]


def test_a_brand_that_needs_context_is_only_found_beside_a_device_word() -> None:
    assert found("officers carry Samsung phones") == []
    assert [v for v, _, _ in found("four Samsung dome cameras")] == ["hanwha"]


def test_longest_name_wins_at_one_place() -> None:
    assert found("Hanwha Vision Wisenet cameras") == [
        ("hanwha", "Hanwha Vision", None),
        ("hanwha", "Wisenet", None),
    ]


def test_a_knowledge_base_can_be_loaded_from_text() -> None:
    kb = load_knowledge_base(
        '[[vendor]]\nid = "acme"\ndisplay = "Acme"\nnames = ["Acme"]\nsource = "x"\n'
        '[[vendor.brand]]\nname = "Roadrunner"\nrelation = "r"\nsource = "s"\n'
        'confidence = "high"\n'
    )
    assert [(m.vendor, m.brand) for m in kb.find("Acme and Roadrunner cameras")] == [
        ("acme", None),
        ("acme", "Roadrunner"),
    ]
    assert kb.display("acme") == "Acme"

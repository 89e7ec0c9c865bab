"""The extract-file JSON shape, exactly, and the facts behind it."""

from __future__ import annotations

from sightline.documents.model import Block, Document, Location
from sightline.facts import contract_json, extract
from sightline.facts.model import OWNED, STATUS


def test_contract_json_of_a_reply_with_an_attachment() -> None:
    document = Document(
        source="reply.eml",
        blocks=[
            Block("Please see the attached letter.", Location(part="body")),
            Block(
                "2. Does the council own Dahua equipment?\nYes: 6 Dahua cameras and one Dahua NVR."
                "\n3. Facial recognition is not used by the council.\n"
                "4. The cameras are exempt from nothing; the prices are withheld under section 43.",
                Location(file="letter.pdf", page=2),
            ),
        ],
    )
    result = contract_json(extract(document), "reply.eml")
    assert result == {
        "file": "reply.eml",
        "status": "partial",
        "vendors": {
            "hikvision": {"owned": "unstated", "count": None, "device_types": [], "evidence": []},
            "dahua": {
                "owned": "yes",
                "count": 7,
                "device_types": ["camera", "nvr"],
                "evidence": [
                    {
                        "quote": "Yes: 6 Dahua cameras and one Dahua NVR.",
                        "location": "letter.pdf page 2",
                    }
                ],
            },
        },
        "hikvision_or_dahua_unspecified": False,
        "facial_recognition": "no",
        "exemptions": ["FOIA s.43"],
        "replacement_plan": "unstated",
    }


def test_facts_carry_rule_and_confidence() -> None:
    document = Document(source="x", blocks=[Block("We have no Dahua cameras.", Location(page=1))])
    extraction = extract(document)
    fact = extraction.get(OWNED, "dahua")
    assert fact is not None
    assert (fact.value, fact.rule, fact.evidence[0].location) == ("no", "owned.negation", "page 1")
    assert 0 < fact.confidence <= 1
    status = extraction.get(STATUS)
    assert status is not None and status.value == "answered"


def test_an_empty_document_has_every_field() -> None:
    result = contract_json(extract(Document(source="empty")), "empty.txt")
    assert result["status"] == "unclear"
    assert list(result) == [
        "file",
        "status",
        "vendors",
        "hikvision_or_dahua_unspecified",
        "facial_recognition",
        "exemptions",
        "replacement_plan",
    ]
    assert list(result["vendors"]) == ["hikvision", "dahua"]

"""Supplier names against the knowledge base: methods, scores, review decisions."""

from __future__ import annotations

from pathlib import Path

import pytest

from sightline.procurement.knowledge import (
    KnowledgeBaseError,
    load_knowledge_base,
    parse_knowledge_base,
)
from sightline.procurement.matching import SupplierMatcher, review_key
from sightline.procurement.names import canonical_name, core_name, loose_name

TEST_KB = """
[[family]]
id = "hikvision"
display = "Hikvision"

[[supplier]]
id = "hikvision-uk"
family = "hikvision"
role = "subsidiary"
names = ["Hikvision UK Limited"]
company_number = "1234567"
relation = "UK subsidiary"
source = "https://example.org/register"
confidence = "high"

[[supplier]]
id = "hikvision"
family = "hikvision"
role = "vendor"
names = ["Hikvision"]
relation = "maker"
source = "https://example.org/maker"
confidence = "high"
"""


def test_names_normalise_case_punctuation_legal_forms_and_ampersands() -> None:
    assert loose_name("Smith & Sons (U.K.) Ltd.") == "smith and sons uk ltd"
    assert canonical_name("HIKVISION UK LIMITED") == "hikvision uk ltd"
    assert core_name("The Hikvision UK Public Limited Company") == "hikvision uk"
    assert core_name("Smith and Sons Limited") == core_name("SMITH & SONS LTD")


def test_the_shipped_knowledge_base_cites_a_source_for_every_link() -> None:
    knowledge = load_knowledge_base()
    assert set(knowledge.families) == {"hikvision", "dahua"}
    assert all(s.source.startswith("https://") for s in knowledge.suppliers)
    assert {s.role for s in knowledge.suppliers} <= {"vendor", "subsidiary"}
    assert knowledge.supplier("hikvision-uk").confidence == "high"


def test_companies_house_number_joins_whatever_the_name() -> None:
    matcher = SupplierMatcher(parse_knowledge_base(TEST_KB, "test.toml"))
    match = matcher.match("HIK UK (TRADING AS SOMETHING ELSE)", "01234567")
    assert (match.known and match.known.id, match.method, match.score, match.certain) == (
        "hikvision-uk",
        "companies_house",
        100.0,
        True,
    )


def test_a_contradicting_company_number_stops_a_name_match() -> None:
    matcher = SupplierMatcher(parse_knowledge_base(TEST_KB, "test.toml"))
    match = matcher.match("Hikvision UK Limited", "09999999")
    assert (match.known, match.method) == (None, "")
    assert (
        match.note == "name like 'Hikvision UK Limited' but company number 09999999 is not 01234567"
    )


@pytest.mark.parametrize(
    ("name", "known", "method", "score", "certain"),
    [
        ("HIKVISION U.K. LTD.", "hikvision-uk", "exact_name", 100.0, True),
        ("Hikvision UK Limited", "hikvision-uk", "exact_name", 100.0, True),
        ("HIKVISION UK LIMI", "hikvision-uk", "truncated_name", 85.0, False),
        ("Hikvison UK Ltd", "hikvision-uk", "fuzzy_name", 95.7, True),
        ("Hikvisoin UK Limted", "hikvision-uk", "fuzzy_name", 92.3, False),
        ("Hikvision Installers of Slough", "hikvision", "contains_maker_name", 100.0, False),
        ("Dahlia Florists", None, "", 0.0, False),
    ],
)
def test_methods_and_scores(
    name: str, known: str | None, method: str, score: float, certain: bool
) -> None:
    matcher = SupplierMatcher(parse_knowledge_base(TEST_KB, "test.toml"))
    match = matcher.match(name)
    assert (match.known.id if match.known else None, match.method, match.score) == (
        known,
        method,
        score,
    )
    assert match.certain is certain


def test_review_decisions_apply_by_name_and_candidate() -> None:
    knowledge = parse_knowledge_base(TEST_KB, "test.toml")
    key = review_key("HIKVISION UK LIMI", "hikvision-uk")
    assert key == SupplierMatcher(knowledge).match("HIKVISION UK LIMI").key
    accepted = SupplierMatcher(knowledge, {key: "accepted"}).match("hikvision uk limi")
    assert (accepted.certain, accepted.review, accepted.needs_review) == (True, "accepted", False)
    rejected = SupplierMatcher(knowledge, {key: "rejected"}).match("HIKVISION UK LIMI")
    assert (rejected.certain, rejected.review, rejected.needs_review) == (False, "rejected", False)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (TEST_KB.replace('source = "https://example.org/maker"', ""),
         "kb.toml supplier 'hikvision': source is missing or empty"),
        (TEST_KB.replace('confidence = "high"\n', 'confidence = "sure"\n', 1),
         "kb.toml supplier 'hikvision-uk': confidence 'sure' is not one of high, medium, low"),
        (TEST_KB.replace('family = "hikvision"\nrole = "vendor"', 'family = "axis"\nrole = "vendor"'),
         "kb.toml supplier 'hikvision': family 'axis' is not a [[family]]"),
        (TEST_KB.replace('"1234567"', '"VAT123"'),
         "kb.toml supplier 'hikvision-uk': 'VAT123' is not a Companies House number"),
    ],
)  # fmt: skip
def test_knowledge_base_rules(text: str, message: str, tmp_path: Path) -> None:
    path = tmp_path / "kb.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as error:
        load_knowledge_base(path)
    assert str(error.value) == message.replace("kb.toml", str(path))

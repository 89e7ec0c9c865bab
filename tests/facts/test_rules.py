"""The rule registry: every rule a fact carries is registered once, with what it reads, its
polarity and its confidence; confidences and vendor names live in data, not in the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sightline.documents import read_file
from sightline.errors import SightlineError
from sightline.facts import extract
from sightline.facts.rules import READS, RuleError, registry, rule
from sightline.facts.vendors import CHINESE_FAMILIES, knowledge_base

FACTS = Path(__file__).resolve().parents[2] / "src" / "sightline" / "facts"
REPLIES = Path(__file__).resolve().parent / "replies" / "docs"


def test_every_rule_is_complete() -> None:
    for rule_id, entry in registry().items():
        assert entry.id == rule_id
        assert entry.reads in READS
        assert entry.structure and entry.polarity
        if entry.field:  # a rule that gives facts says how often it is right
            assert 0 < entry.confidence <= 1
        else:  # a phrasing other rules read: its patterns, and no confidence of its own
            assert entry.patterns and entry.confidence == 0
        assert (FACTS / f"{entry.module}.py").exists(), entry.module


def test_exemption_rules_name_their_statute() -> None:
    statutes = {r.id: r.statute for r in registry().values() if r.field == "exemption"}
    assert set(statutes) == {"exemption.foia", "exemption.foisa", "exemption.eir", "exemption.eisr"}
    assert all(statutes.values())


def test_an_unregistered_rule_is_a_sightline_error() -> None:
    with pytest.raises(RuleError) as caught:
        rule("owned.no-such-rule")
    assert isinstance(caught.value, SightlineError)
    assert str(caught.value) == "no facts rule is registered as 'owned.no-such-rule'"


def test_every_fact_of_every_sample_reply_has_a_registered_rule_and_evidence() -> None:
    documents = sorted(p for p in REPLIES.iterdir() if p.is_file())
    assert len(documents) >= 150
    for path in documents:
        for fact in extract(read_file(path)).facts:
            assert fact.confidence == registry()[fact.rule].confidence
            decided = fact.value not in ("unstated", None, [], False) and fact.rule not in (
                "status.default-answered",
                "status.empty",
            )
            if decided:
                assert fact.evidence, (path.name, fact.field, fact.vendor, fact.rule)
                assert all(e.quote and e.location for e in fact.evidence)


def test_no_confidence_and_no_vendor_name_is_written_in_the_rules_code() -> None:
    names = {n.lower() for v in knowledge_base().vendors.values() for n in v.names}
    for source in FACTS.glob("*.py"):
        code = "\n".join(
            line.split("#")[0] for line in source.read_text(encoding="utf-8").splitlines()
        )
        code = re.sub(r'"""[\s\S]*?"""', "", code)
        code = re.sub(r"\\[A-Za-z]", " ", code)  # "\bName\b" in a pattern is the name
        assert not re.search(r"confidence\s*=\s*0\.\d", code), source.name
        words = set(re.findall(r"[a-z]+", code.lower().replace("hikvision_or_dahua", "")))
        assert not words & names, (source.name, words & names)


def test_the_focus_families_come_from_the_knowledge_base() -> None:
    assert CHINESE_FAMILIES == ("hikvision", "dahua")


def test_a_phrasing_finds_what_its_pattern_finds() -> None:
    # ``Phrasing.search`` scouts in lower case without the leading word boundaries; on every
    # line of the sample replies it must find the same match as the plain pattern
    lines = {
        line
        for path in REPLIES.glob("*.txt")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    lines |= {"Nonexempt CCTV", "İstanbul: the information is exempt", "WITHHELD IN FULL"}
    lines |= {"the cameras ıs not held", "the information ſhall be withheld"}
    for entry in registry().values():
        if not entry.patterns:
            continue
        phrasing = entry.pattern
        for line in lines:
            fast, plain = phrasing.search(line), phrasing.full.search(line)
            assert (fast and fast.span()) == (plain and plain.span()), (entry.id, line)

"""Rules as data: a new phrasing is a change to ``rules.toml`` (or to the knowledge base), found
without a change to the code; a malformed entry is refused with an error that names it; the
families of rules run from one registry."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from typing import Any

import pytest

from sightline.documents.model import Block, Document, Location
from sightline.facts import contract_json, extract
from sightline.facts import rules as rules_module
from sightline.facts.devices import classify_type_cell
from sightline.facts.families import Families, Found, Reading
from sightline.facts.model import Fact
from sightline.facts.rules import RuleError, load_rules
from sightline.facts.vendors import load_knowledge_base

Facts = Callable[..., dict[str, Any]]
PACKAGED = resources.files("sightline.facts").joinpath("rules.toml").read_text(encoding="utf-8")
VENDORS = resources.files("sightline.facts").joinpath("vendors.toml").read_text(encoding="utf-8")


def _with_line(monkeypatch: pytest.MonkeyPatch, after: str, line: str) -> None:
    """The registry as ``rules.toml`` with ``line`` written after the line ``after``."""
    assert PACKAGED.count(after + "\n") == 1, after
    text = PACKAGED.replace(after + "\n", after + "\n" + line + "\n")
    changed = load_rules(text)
    monkeypatch.setattr(rules_module, "registry", lambda: changed)


def test_a_new_way_of_naming_the_scottish_act_is_a_line_of_data(
    facts: Facts, monkeypatch: pytest.MonkeyPatch
) -> None:
    reply = "We rely on section 30 of FOI(S)A for the locations."
    assert facts(reply)["exemptions"] == ["FOIA s.30"]
    _with_line(monkeypatch, "    'scottish information commissioner',", r"    '\bfoi\(s\)a\b',")
    assert facts(reply)["exemptions"] == ["FOISA s.30"]
    found = extract(Document("test", [Block(reply, Location(part="body"))]))
    (exemption,) = found.all("exemption")
    assert (exemption.rule, exemption.confidence) == ("exemption.foisa", 0.95)
    assert exemption.evidence[0].quote == reply


def test_a_new_word_before_a_section_is_a_line_of_data(
    facts: Facts, monkeypatch: pytest.MonkeyPatch
) -> None:
    reply = "The contract prices are withheld under clause 43(2) of the Act."
    assert facts(reply)["exemptions"] == []
    _with_line(monkeypatch, "    'sections?',", "    'clause',")
    assert facts(reply)["exemptions"] == ["FOIA s.43"]


def test_a_provision_a_statute_lists_is_data(facts: Facts, monkeypatch: pytest.MonkeyPatch) -> None:
    reply = "Details of staff are withheld under section 40(2)."
    assert facts(reply)["exemptions"] == ["FOIA s.40"]
    # with s.40 taken out of the FOIA provisions that count, its citation is left out
    text = PACKAGED.replace('"38", "39", "40", "41"', '"38", "39", "41"', 1)
    assert text != PACKAGED
    changed = load_rules(text)
    monkeypatch.setattr(rules_module, "registry", lambda: changed)
    assert facts(reply)["exemptions"] == []


def test_a_new_word_for_past_facial_recognition_is_a_line_of_data(
    facts: Facts, monkeypatch: pytest.MonkeyPatch
) -> None:
    reply = "The council retired its facial recognition system in 2021."
    assert facts(reply)["facial_recognition"] == "unstated"
    _with_line(monkeypatch, "    '\\bformerly\\b',", "    '\\bretired\\b',")
    assert facts(reply)["facial_recognition"] == "past"


def test_a_new_word_for_facial_recognition_is_a_line_of_data(
    facts: Facts, monkeypatch: pytest.MonkeyPatch
) -> None:
    reply = "The force uses biometric face identification at football matches."
    assert facts(reply)["facial_recognition"] == "unstated"
    _with_line(monkeypatch, "    '\\boifr\\b',", "    '\\bface identification\\b',")
    assert facts(reply)["facial_recognition"] == "yes"


def test_a_facial_recognition_product_comes_from_the_knowledge_base() -> None:
    # an invented product of an invented maker, added to the knowledge base only
    reply = Document(
        "test",
        [Block("The council uses Kestrel Sight at the civic centre.", Location(part="body"))],
    )
    assert contract_json(extract(reply), "r.txt")["facial_recognition"] == "unstated"
    kb = load_knowledge_base(
        VENDORS + '\n[[vendor]]\nid = "kestrel"\ndisplay = "Kestrel"\nnames = ["Kestrel Vision"]\n'
        'facial_recognition = ["Kestrel Sight"]\n'
    )
    found = contract_json(extract(reply, kb), "r.txt")
    assert found["facial_recognition"] == "yes"


def test_a_new_no_plan_phrasing_is_a_line_of_data(
    facts: Facts, monkeypatch: pytest.MonkeyPatch
) -> None:
    reply = "Replacing the cameras is not under consideration."
    assert facts(reply)["replacement_plan"] == "unstated"
    _with_line(
        monkeypatch,
        "    '\\bdo(?:es)? not (?:plan|intend)\\b',",
        "    '\\bnot under consideration\\b',",
    )
    assert facts(reply)["replacement_plan"] == "no"


def test_model_number_families_come_from_the_knowledge_base() -> None:
    assert classify_type_cell("DS-7608NI-K2") == "nvr"
    assert classify_type_cell("DS-2TD2617-10") == "thermal"
    assert classify_type_cell("IPC-HFW2431S-S") == "camera"
    assert classify_type_cell("XYZ-100") == "camera"  # a register row of unknown kind


_GOOD = """
[[rule]]
id = "test.rule"
field = "status"
module = "status"
reads = "sentence"
structure = "a test"
polarity = "value"
confidence = 0.5
"""


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ('polarity = "value"', 'polarity = "value"\ncolour = "red"'),
            "rules.toml: rule 'test.rule' has unknown keys: colour",
        ),
        (('polarity = "value"\n', ""), "rules.toml: rule 'test.rule' lacks polarity"),
        (('id = "test.rule"\n', ""), "rules.toml: rule 1 lacks id"),
        (
            ("confidence = 0.5", "confidence = 1.5"),
            "rules.toml: rule 'test.rule' gives 'status' and needs a confidence above 0, at most 1",
        ),
        (
            ("confidence = 0.5", 'confidence = "high"'),
            "rules.toml: rule 'test.rule': confidence must be a number",
        ),
        (
            ('reads = "sentence"', 'reads = "paragraph"'),
            "rules.toml: rule 'test.rule' reads 'paragraph', not one of answer, clause, document, "
            "nothing, sentence, table",
        ),
        (
            ("confidence = 0.5", "confidence = 0.5\npatterns = '\\bwithheld\\b'"),
            "rules.toml: rule 'test.rule': patterns must be a list of non-empty strings",
        ),
        (
            ("confidence = 0.5", "confidence = 0.5\npatterns = ['(?:exempt']"),
            "rules.toml: rule 'test.rule': pattern '(?:exempt' is not valid: missing ), "
            "unterminated subpattern at position 0",
        ),
        (
            ('field = "status"\n', ""),
            "rules.toml: rule 'test.rule' gives no field: it needs patterns and no confidence",
        ),
        (
            ('module = "status"', "module = 3"),
            "rules.toml: rule 'test.rule': module must be a string",
        ),
        (("[[rule]]", "[[rule]]\n[[rule"), "rules.toml: not valid TOML: "),
    ],
)
def test_a_malformed_entry_is_refused_with_its_name(change: tuple[str, str], message: str) -> None:
    text = _GOOD.replace(*change, 1)
    assert text != _GOOD
    with pytest.raises(RuleError) as caught:
        load_rules(text)
    assert str(caught.value).startswith(message), str(caught.value)


def test_a_rule_listed_twice_is_refused() -> None:
    with pytest.raises(RuleError) as caught:
        load_rules(_GOOD + _GOOD)
    assert str(caught.value) == "rules.toml: rule 'test.rule' is listed twice"


def test_the_packaged_registry_loads_as_it_is() -> None:
    assert load_rules(PACKAGED) == rules_module.registry()


def _reading() -> Reading:
    from sightline.facts.extract import read

    return read(Document("test", [Block("Thank you.", Location(part="body"))]))


def _gives(value: str) -> Callable[[Reading, dict[str, Found]], Found]:
    def run(reading: Reading, found: dict[str, Found]) -> Found:
        seen = ",".join(str(f.facts[0].value) for f in found.values() if f.facts)
        return Found([Fact("status", f"{value}<{seen}>", rule="status.empty")])

    return run


def test_families_run_after_what_they_read_and_give_facts_in_registry_order() -> None:
    families = Families()
    families.register("first", ("paragraphs", "second"), _gives("a"))
    families.register("second", ("text",), _gives("b"))
    values = [f.value for f in families.extract(_reading())]
    assert values == ["a<b<>>", "b<>"]


def test_a_family_that_reads_what_no_one_gives_is_refused() -> None:
    families = Families()
    families.register("first", ("paragraphs", "tea leaves"), _gives("a"))
    with pytest.raises(RuleError) as caught:
        families.extract(_reading())
    assert str(caught.value) == (
        "facts family 'first' reads 'tea leaves', which is neither part of a reading nor a family"
    )


def test_families_that_read_each_other_are_refused() -> None:
    families = Families()
    families.register("first", ("second",), _gives("a"))
    families.register("second", ("first",), _gives("b"))
    with pytest.raises(RuleError) as caught:
        families.extract(_reading())
    assert str(caught.value) == "facts families read each other: first -> second -> first"
    with pytest.raises(RuleError) as caught:
        families.register("first", (), _gives("c"))
    assert str(caught.value) == "facts family 'first' is registered twice"

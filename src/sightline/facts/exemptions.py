"""Exemptions and refusal provisions cited by the authority, normalised for the extract-file JSON:
``FOIA s.N``, ``FOISA s.N``, ``EIR reg.12(4)(x)`` / ``EIR reg.12(5)(x)``, subsections dropped.

The laws are rules in ``rules.toml`` (``exemption.foia``, ``.foisa``, ``.eir``, ``.eisr``): each
names its statute, the words that mark a sentence or a reply as under it, and the provisions that
count (FOIA 2000: s.12, s.14 and the Part II exemptions, not the procedure of s.1, s.10, s.16 or
s.17; FOISA 2002: s.12, 14, 17, 18 and Part 2; EIR 2004: reg.12(4)(a)-(e), 12(5)(a)-(g) and 13;
EISR 2004: reg.10(4), 10(5) and 11). The words before a citation and the sentences that only
describe or condition an exemption are rules there too; the grammar of a citation (a number, its
subsections, more numbers joined by "and") is here."""

from __future__ import annotations

import re
from functools import cache

from sightline.facts.families import Found, fact
from sightline.facts.layout import REQUEST, Paragraph, sentences
from sightline.facts.model import EXEMPTION, Evidence
from sightline.facts.rules import Rule, pattern, rule
from sightline.facts.signals import quote

# the laws, by their rules: sections are cited under FOIA or FOISA, regulations under EIR or EISR
SECTION_LAWS = ("exemption.foisa", "exemption.foia")  # the first whose words a sentence holds
REGULATION_LAWS = ("exemption.eisr", "exemption.eir")  # the first whose words the reply holds

# the grammar of a citation: a number, its subsections, and more numbers joined by "and" or ","
_ITEM = r"(\d{1,2}[A-Z]?)(?!\d|\.\d|[A-Za-z])(?:\s*\(\s*\d{1,2}\s*\))?(?:\s*\(\s*[a-z]{1,3}\s*\))*"
_REG_ITEM = r"(\d{1,2})(?!\d)\s*(?:\(\s*(\d)\s*\))?\s*(?:\(\s*([a-g])\s*\))?"


@cache
def _section(words: Rule) -> re.Pattern[str]:
    """A section citation introduced by one of ``words``' phrasings ("sections 23 and 24")."""
    return re.compile(
        rf"\b(?:{words.pattern.pattern})\s*"
        + _ITEM
        + r"((?:(?:\s*\([^()]{3,40}\))?\s*(?:,|and|or|&)\s*"
        + _ITEM
        + r")*)",
        re.IGNORECASE,
    )


@cache
def _regulation(words: Rule) -> re.Pattern[str]:
    """A regulation citation introduced by one of ``words``' phrasings ("reg. 12(5)(a)")."""
    return re.compile(
        rf"\b(?:{words.pattern.pattern})\s*"
        + _REG_ITEM
        + r"((?:\s*(?:,|and|or|&)\s*(?:regulation\s+)?"
        + _REG_ITEM
        + r")*)",
        re.IGNORECASE,
    )


def _section_numbers(match: re.Match[str]) -> list[str]:
    numbers = [match.group(1)]
    rest = match.group(2) or ""
    numbers.extend(re.findall(r"(?:^|,|and|or|&)\s*(\d{1,2}[A-Z]?)", rest, re.IGNORECASE))
    return [n.upper() for n in numbers]


def _regulations(match: re.Match[str], law: Rule) -> list[str]:
    """The provisions of ``law`` a regulation citation names: with its paragraph and letter
    where those are listed ("12(5)(a)"), else the regulation alone ("13")."""
    found: list[str] = []
    items = [(match.group(1), match.group(2), match.group(3))]
    items.extend(re.findall(_REG_ITEM, match.group(4) or "", re.IGNORECASE))
    for number, paragraph, letter in items:
        full = f"{number}({paragraph})({letter.lower()})" if paragraph and letter else ""
        for provision in (full, number):
            if provision and provision in law.sections:
                found.append(f"{law.value} reg.{provision}")
                break
    return found


def _law_of(text: str, laws: list[Rule], default: Rule | None = None) -> Rule:
    """The first of ``laws`` whose words ``text`` holds; else ``default``, or the last law."""
    return next((law for law in laws if law.pattern.search(text)), default or laws[-1])


def find_exemptions(items: list[Paragraph], full_text: str) -> Found:
    """Every exemption relied on, normalised, each with the first quote citing it from the
    authority's own words, in the order of their names."""
    found: dict[str, tuple[Evidence, str]] = {}
    section_laws = [rule(rule_id) for rule_id in SECTION_LAWS]
    default_law = _law_of(full_text, section_laws)
    regulation_law = _law_of(full_text, [rule(rule_id) for rule_id in REGULATION_LAWS])
    section = _section(rule("exemption.section-word"))
    regulation = _regulation(rule("exemption.regulation-word"))
    conditional, condition = pattern("exemption.conditional"), pattern("exemption.condition-word")
    considered, not_exempt = pattern("exemption.considered"), pattern("exemption.not-exempt")
    other_act = pattern("exemption.other-act").full
    for p in items:
        if p.role == REQUEST:
            continue
        for sentence in sentences(p.text):
            if (
                conditional.search(sentence)
                and condition.search(sentence)
                and not considered.search(sentence)
            ):
                continue  # "the exemption at section 14 may be engaged if ..." is boilerplate
            law = _law_of(sentence, section_laws, default_law)
            evidence = Evidence(quote(sentence), p.location)
            for match in section.finditer(sentence):
                if not_exempt.search(sentence[: match.start()]):
                    continue
                if other_act.match(sentence[match.end() :]):
                    continue
                for number in _section_numbers(match):
                    if number in law.sections:
                        found.setdefault(f"{law.value} s.{number}", (evidence, law.id))
            for match in regulation.finditer(sentence):
                for name in _regulations(match, regulation_law):
                    found.setdefault(name, (evidence, regulation_law.id))
    return Found(
        [
            fact(EXEMPTION, name, [evidence], rule_id)
            for name, (evidence, rule_id) in sorted(found.items())
        ]
    )

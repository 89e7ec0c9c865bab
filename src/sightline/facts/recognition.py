"""Facial recognition by the responding authority itself: yes (uses it now), past (used or
trialled it before), no (says it does not use it), or unstated.

Retrospective searches through the Police National Database count as current use when the
authority says it carries them out. A statement about somebody else's system ("our
understanding is that the council's technology does not use facial recognition") says nothing
about the authority's own use, nor does a withheld answer or a plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from sightline.facts.families import Found, fact
from sightline.facts.layout import QUESTION, REQUEST, Paragraph, clauses, sentences
from sightline.facts.model import FACIAL_RECOGNITION, Evidence
from sightline.facts.rules import Phrasing, pattern, rule
from sightline.facts.signals import NO, REQUEST_REFERENCE, YES, is_title, quote, short_answer
from sightline.facts.vendors import KnowledgeBase

PAST = "past"
UNSTATED = "unstated"

_RANK = {YES: 3, PAST: 2, NO: 1}


@cache
def _phrasing(patterns: tuple[str, ...]) -> Phrasing:
    return Phrasing(patterns)


def terms(kb: KnowledgeBase) -> Phrasing:
    """The words for facial recognition (``fr.term``) and the facial recognition products the
    knowledge base names, as written anywhere (case ignored)."""
    products = sorted({name for v in kb.vendors.values() for name in v.facial_recognition})
    return _phrasing(
        rule("fr.term").patterns + tuple(rf"\b{re.escape(name.lower())}\b" for name in products)
    )


@dataclass(frozen=True)
class _Rules:
    """The phrasings the family reads, looked up once per reply."""

    term: Phrasing
    negated: Phrasing
    no_longer: Phrasing
    past: Phrasing
    present: Phrasing
    others: Phrasing
    plans: Phrasing
    used: Phrasing
    past_question: Phrasing


def facial_recognition(items: list[Paragraph], kb: KnowledgeBase) -> Found:
    """The authority's own use of facial recognition: one fact, and its quotes for the status
    (a no is a negative answer, a yes or past use a positive one)."""
    value, rule_id = UNSTATED, "fr.none"
    evidence: list[Evidence] = []
    for said, quoted, by in _statements(items, kb):
        if _RANK[said] > _RANK.get(value, 0):
            value, evidence, rule_id = said, [quoted], by
        elif said == value:
            evidence.append(quoted)
    found = Found([fact(FACIAL_RECOGNITION, value, evidence, rule_id)])
    if value != UNSTATED:
        (found.negative if value == NO else found.positive).extend(evidence)
    return found


def _statements(items: list[Paragraph], kb: KnowledgeBase) -> list[tuple[str, Evidence, str]]:
    rules = _Rules(
        term=terms(kb),
        negated=pattern("fr.negated"),
        no_longer=pattern("fr.no-longer"),
        past=pattern("fr.past"),
        present=pattern("fr.present"),
        others=pattern("fr.others"),
        plans=pattern("fr.plans"),
        used=pattern("fr.used"),
        past_question=pattern("fr.past-question"),
    )
    found: list[tuple[str, Evidence, str]] = []
    for p in items:
        if p.role in (REQUEST, QUESTION):
            continue
        answer = short_answer(p.body)
        question = " ".join(items[i].text for i in p.answers)
        if answer and rules.term.search(question):
            first = sentences(p.text)[0]
            past_question = bool(rules.past_question.search(question))
            value = (
                NO if answer == NO else rule("fr.past-question").polarity if past_question else YES
            )
            found.append((value, Evidence(quote(first), p.location), "fr.short-answer"))
        for sentence in sentences(p.text):
            if (
                sentence.rstrip().endswith("?")
                or rules.others.search(sentence)
                or REQUEST_REFERENCE.search(sentence)
                or is_title(sentence)
            ):
                continue
            values = [v for _, clause in clauses(sentence) if (v := _clause_value(clause, rules))]
            if not values and len(clauses(sentence)) > 1:
                # "does not currently use, and has no plans to use, facial recognition"
                values = [v] if (v := _clause_value(sentence, rules)) else []
            for said in values:
                found.append((said, Evidence(quote(sentence), p.location), "fr.statement"))
    return found


def _clause_value(clause: str, rules: _Rules) -> str | None:
    """The polarity of the first of ``fr.negated``, ``fr.past`` and ``fr.present`` that a clause
    about facial recognition holds (a plan alone says nothing)."""
    rest = rules.plans.sub(" ", clause)
    if not rules.term.search(clause) or (
        rules.plans.search(clause)
        and not rules.present.search(rest)
        # "has not deployed facial recognition and does not intend to"
        and not (rules.negated.search(rest) and rules.used.search(rest))
    ):
        return None
    if rules.negated.search(clause) and not rules.no_longer.search(clause):
        return rule("fr.negated").polarity
    if rules.past.search(clause):
        return rule("fr.past").polarity
    if rules.present.search(clause):
        return rule("fr.present").polarity
    return None

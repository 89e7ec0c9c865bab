"""Facial recognition by the responding authority itself: yes (uses it now), past (used or
trialled it before), no (says it does not use it), or unstated.

Retrospective searches through the Police National Database count as current use when the
authority says it carries them out. A statement about somebody else's system ("our
understanding is that the council's technology does not use facial recognition") says nothing
about the authority's own use, nor does a withheld answer or a plan.
"""

from __future__ import annotations

import re

from sightline.facts.layout import QUESTION, REQUEST, Paragraph, clauses, sentences
from sightline.facts.model import Evidence
from sightline.facts.signals import NO, REQUEST_REFERENCE, YES, is_title, quote, short_answer

PAST = "past"
UNSTATED = "unstated"

FR_TERM = re.compile(
    r"\bfac(?:ial|e)[- ]?(?:recognition|matching|search(?:es|ing)?|biometrics?)\b|\bLFR\b|\bRFR\b"
    r"|\bOIFR\b|\bNeoFace\b|\bface[- ]?match\w*",
    re.IGNORECASE,
)
_NEGATED = re.compile(r"\b(?:not|never|no)\b|n't\b", re.IGNORECASE)
_PAST = re.compile(
    r"\b(?:trial(?:led|ed|s)?|pilot(?:ed|ted)?|tested|previously|formerly|in the past"
    r"|(?:has|have|had) (?:been )?used|(?:was|were) used|used (?:it )?(?:before|previously)"
    r"|ran|ended|discontinued|stopped using|no longer uses?|switched off|turned off|disabled"
    r"|deactivated|decommissioned|(?:was|were) deployed)\b",
    re.IGNORECASE,
)
_PRESENT = re.compile(
    r"\b(?:uses|use|using|deploys?|deploying|operates?|operating|carries out|carry out|runs"
    r"|is used|are used|employs?|(?:is|are) deployed|in use)\b",
    re.IGNORECASE,
)
_OTHERS = re.compile(
    r"\bunderstand\w*|\bbelieve\b|\bother (?:forces|councils|authorities|organisations|bodies)"
    r"|\bthird[- ]part|\bsupplier'?s\b|\bwhether\b",
    re.IGNORECASE,
)
_PLANS = re.compile(
    r"\bplans? to(?: \w+)?\b|\bintend\w*\b|\bwill (?:be )?(?:use|introduc|deploy)\w*", re.I
)
_USED = re.compile(r"\b(?:used|deployed|trialled|operated)\b", re.IGNORECASE)
_PAST_QUESTION = re.compile(r"\bever\b|\b(?:has|have|did)\b.{0,60}\bused\b|\bpreviously\b", re.I)

_RANK = {YES: 3, PAST: 2, NO: 1}


def facial_recognition(items: list[Paragraph]) -> tuple[str, list[Evidence], str]:
    """(value, evidence, rule) for the authority's own use of facial recognition."""
    best: tuple[str, list[Evidence], str] = (UNSTATED, [], "")
    for value, evidence, rule in _statements(items):
        if _RANK[value] > _RANK.get(best[0], 0):
            best = (value, [evidence], rule)
        elif value == best[0]:
            best[1].append(evidence)
    return best


def _statements(items: list[Paragraph]) -> list[tuple[str, Evidence, str]]:
    found: list[tuple[str, Evidence, str]] = []
    for p in items:
        if p.role in (REQUEST, QUESTION):
            continue
        answer = short_answer(p.body)
        question = " ".join(items[i].text for i in p.answers)
        if answer and FR_TERM.search(question):
            first = sentences(p.text)[0]
            past_question = bool(_PAST_QUESTION.search(question))
            value = NO if answer == NO else PAST if past_question else YES
            found.append((value, Evidence(quote(first), p.location), "fr.short-answer"))
        for sentence in sentences(p.text):
            if (
                sentence.rstrip().endswith("?")
                or _OTHERS.search(sentence)
                or REQUEST_REFERENCE.search(sentence)
                or is_title(sentence)
            ):
                continue
            values = [v for _, clause in clauses(sentence) if (v := _clause_value(clause))]
            if not values and len(clauses(sentence)) > 1:
                # "does not currently use, and has no plans to use, facial recognition"
                values = [v] if (v := _clause_value(sentence)) else []
            for said in values:
                found.append((said, Evidence(quote(sentence), p.location), "fr.statement"))
    return found


def _clause_value(clause: str) -> str | None:
    rest = _PLANS.sub(" ", clause)
    if not FR_TERM.search(clause) or (
        _PLANS.search(clause)
        and not _PRESENT.search(rest)
        # "has not deployed facial recognition and does not intend to"
        and not (_NEGATED.search(rest) and _USED.search(rest))
    ):
        return None
    negated = bool(_NEGATED.search(clause)) and not re.search(r"\bno longer\b", clause, re.I)
    if negated:
        return NO
    if _PAST.search(clause):
        return PAST
    if _PRESENT.search(clause):
        return YES
    return None

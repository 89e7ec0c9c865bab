"""Plans to replace equipment: ``yes`` when the reply states a plan or work in progress to replace
(including a general refresh, or "will be replaced as and when necessary"); ``no`` only when it
says there are no such plans; otherwise ``unstated``. Expanding a system is not replacing it.
"""

from __future__ import annotations

import re

from sightline.facts.layout import QUESTION, REQUEST, Paragraph, clauses, sentences
from sightline.facts.model import Evidence
from sightline.facts.signals import NO, REQUEST_REFERENCE, YES, quote, short_answer

UNSTATED = "unstated"

_REPLACE = re.compile(
    r"\b(?:scheduled|due|planned|earmarked) for (?:removal|replacement|decommissioning)\b"
    r"|\breplac\w*|\brefresh\w*|\bupgrad(?:e|ed|es|ing)\b|\bphas(?:e|ed|ing) out\b|\bswap(?:ped|ping)? out\b|\brip(?:ped)? out\b"
    r"|\b(?:will|to|are to|is to) be (?:removed|decommissioned|phased out|retired)\b"
    r"|\bremov(?:e|ed|al|ing) (?:of )?(?:all |the |these |this |our )?(?:\w+ )?(?:cameras?|equipment"
    r"|devices?|units?)",
    re.IGNORECASE,
)
_PLANNED = re.compile(
    r"\b(?:will|shall|to be|scheduled|schedule|plan\w*|intend\w*|programme|program|being|are"
    r" replacing|is replacing|part way through|due to be|going to|in the process of|budget"
    r"|as and when|over the (?:next|coming)|by (?:the end of |march |april |\d{4}))",
    re.IGNORECASE,
)
_NO_PLAN = re.compile(
    r"\bno (?:current |immediate |present |further |specific )?(?:plans?|intention|proposals?)\b"
    r"|\bnot (?:currently )?(?:planning|intending|proposing)\b|\bdo(?:es)? not (?:plan|intend)\b",
    re.IGNORECASE,
)
_PAST_ONLY = re.compile(r"\b(?:was|were|have been|has been|had been) replaced\b", re.IGNORECASE)


def replacement_plan(items: list[Paragraph]) -> tuple[str, list[Evidence], str]:
    """(value, evidence, rule) for plans to replace equipment."""
    yes: list[Evidence] = []
    no: list[Evidence] = []
    for p in items:
        if p.role in (REQUEST, QUESTION):
            continue
        answer = short_answer(p.body)
        question = " ".join(items[i].text for i in p.answers)
        if answer and _REPLACE.search(question):
            (yes if answer == YES else no).append(Evidence(quote(sentences(p.text)[0]), p.location))
        for sentence in sentences(p.text):
            if sentence.rstrip().endswith("?") or REQUEST_REFERENCE.search(sentence):
                continue
            for _, clause in clauses(sentence):
                if not _REPLACE.search(clause):
                    continue
                evidence = Evidence(quote(sentence), p.location)
                if _NO_PLAN.search(clause):
                    no.append(evidence)
                elif (
                    _PLANNED.search(clause)
                    and not _PAST_ONLY.search(clause)
                    and not re.search(r"\b(?:not|never)\b", clause, re.IGNORECASE)
                ):
                    yes.append(evidence)
    if yes:
        return YES, yes[:2], "replacement.plan"
    if no:
        return NO, no[:2], "replacement.no-plan"
    return UNSTATED, [], ""

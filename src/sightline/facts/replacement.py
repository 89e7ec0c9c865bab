"""Plans to replace equipment: ``yes`` when the reply states a plan or work in progress to replace
(including a general refresh, or "will be replaced as and when necessary"); ``no`` only when it
says there are no such plans; otherwise ``unstated``. Expanding a system is not replacing it.
"""

from __future__ import annotations

from sightline.facts.families import Found, fact
from sightline.facts.layout import QUESTION, REQUEST, Paragraph, clauses, sentences
from sightline.facts.model import REPLACEMENT_PLAN, Evidence
from sightline.facts.rules import pattern, rule
from sightline.facts.signals import REQUEST_REFERENCE, YES, quote, short_answer

UNSTATED = "unstated"


def replacement_plan(items: list[Paragraph]) -> Found:
    """Plans to replace equipment: one fact, whose quotes are answers for the status."""
    subject, past_only = pattern("replacement.subject"), pattern("replacement.past-only")
    plan, no_plan, negated = (
        rule("replacement.plan"),
        rule("replacement.no-plan"),
        pattern("replacement.negated"),
    )
    yes: list[Evidence] = []
    no: list[Evidence] = []
    for p in items:
        if p.role in (REQUEST, QUESTION):
            continue
        answer = short_answer(p.body)
        question = " ".join(items[i].text for i in p.answers)
        if answer and subject.search(question):
            (yes if answer == YES else no).append(Evidence(quote(sentences(p.text)[0]), p.location))
        for sentence in sentences(p.text):
            if sentence.rstrip().endswith("?") or REQUEST_REFERENCE.search(sentence):
                continue
            for _, clause in clauses(sentence):
                if not subject.search(clause):
                    continue
                evidence = Evidence(quote(sentence), p.location)
                if no_plan.pattern.search(clause):
                    no.append(evidence)
                elif (
                    plan.pattern.search(clause)
                    and not past_only.search(clause)
                    and not negated.search(clause)
                ):
                    yes.append(evidence)
    if yes:
        return _found(plan.polarity, yes[:2], plan.id)
    if no:
        return _found(no_plan.polarity, no[:2], no_plan.id)
    return _found(UNSTATED, [], "replacement.none")


def _found(value: str, evidence: list[Evidence], rule_id: str) -> Found:
    # a plan, or no plan, answers the question without being a yes about equipment
    negative = evidence if value != UNSTATED else []
    return Found([fact(REPLACEMENT_PLAN, value, evidence, rule_id)], negative=list(negative))

"""The status of a reply as a whole (the extract-file JSON).

``clarification`` asks the requester to clarify; ``acknowledgement`` only confirms receipt or
extends the time (even when it names exemptions that "may apply"); ``refused`` withholds
everything (exemption, cost limit, neither confirm nor deny, vexatious); ``not_held`` says none
of it is held; ``partial`` answers some and withholds or does not hold the rest; ``answered``
gives everything asked; ``unclear`` is a covering note whose promised attachment is missing.
A refusal of only "any further information" beside an answer is not a refusal of the request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sightline.facts.layout import REQUEST, Paragraph, sentences
from sightline.facts.model import Evidence
from sightline.facts.signals import (
    NOT_HELD,
    NOT_KNOWN,
    THIRD_PARTY,
    WITHHELD,
    is_residual,
    quote,
    short_answer,
)

ANSWERED = "answered"
PARTIAL = "partial"
REFUSED = "refused"
NOT_HELD_STATUS = "not_held"
ACKNOWLEDGEMENT = "acknowledgement"
CLARIFICATION = "clarification"
UNCLEAR = "unclear"

_CLARIFY = re.compile(
    r"(?:you|your request|we need|grateful if).{0,60}\bclarif\w*|\bclarif\w*.{0,40}"
    r"(?:your request|what you|which|whether|this question)|before we can (?:process|deal with"
    r"|respond|answer)"
    r"|\bto help us (?:answer|deal with|find|locate)\b[^.?]{0,80}\b(?:could|would|can) you\b"
    r"|\b(?:please )?(?:could|would|can) you (?:please )?(?:tell us|confirm|specify|let us know)"
    r" which\b",
    re.IGNORECASE,
)
_ACK = re.compile(
    r"\b(?:will|should|can expect to) (?:receive|get|have) (?:a|our|the) (?:reply|response)"
    r"|\baim to (?:respond|reply)|\b(?:respond|reply) (?:to you )?(?:by|within|no later than) "
    r"|\blogged (?:under|with) (?:the )?reference|\bhas been logged\b"
    r"|\b(?:need|require) (?:more|further|additional) time|\bextension of time|\bextend the time"
    r"|\bnot yet (?:completed|finished|been able)|\backnowledge (?:receipt|your)"
    r"|\b(?:we are|is being) (?:currently )?(?:dealing with|processing|considering|handled)"
    r"|\bwill (?:respond|reply|be in touch|write to you) (?:to you )?(?:by|within|as soon)"
    r"|\bbeing (?:dealt with|handled|processed)\b"
    r"|\bwill (?:respond|reply)\b[^.]{0,40}\bwithin \d+ working days|\bautomated acknowledgement"
    r"|\b(?:we have|we've) received your (?:freedom of information |foi |information )?request\b",
    re.IGNORECASE,
)
_ATTACHED = re.compile(
    r"\b(?:responses?|answers?|repl(?:y|ies)|information|correspondence|details)\b[^.]{0,40}\b(?:is|are)"
    r" (?:attached|enclosed|annexed)|\bplease (?:find|see) (?:attached|enclosed)|\bsupplied in\b"
    r"|\bannexed to this letter|\bsee (?:the )?attached",
    re.IGNORECASE,
)
_DESCRIPTIVE = re.compile(
    r"\b(?:is|are|was|were) not (?:being )?(?:withheld|refused)\b|\bnot (?:already )?exempt\b|\bexempts?\b(?=[^.]{0,80}\bif\b)|\bexempts\b",
    re.I,
)
_MAY = re.compile(
    r"\b(?:may|might|could|would|can) (?:have to )?(?:be )?(?:refuse|refused|apply|engaged|withh\w+"
    r"|exempt)|^\s*(?:if|where|should|unless)\b",
    re.I,
)
_BOILERPLATE = re.compile(
    r"internal review|dissatisfied|not satisfied|unhappy|information commissioner|right to"
    r"|complain|re-use|copyright"
    # request-tracking site banners: only the authority's own reply decides the status
    r"|^(?:the |this )?request (?:was|has been|is) (?:refused|partially successful|successful"
    r"|rejected|withdrawn|closed|long overdue|overdue)|^(?:refused|partially successful"
    r"|successful|awaiting classification|long overdue)\.?$",
    re.IGNORECASE,
)
_ANSWER_NUMBER = re.compile(
    r"\bthere (?:are|is|were) (?:currently |now )?\d|(?<![\d/-])\b\d{1,3}(?:,\d{3})*\s+(?:[\w-]+\s+){0,2}(?:cameras?"
    r"|sites?|devices?|units?|systems?|recorders?|nvrs?|dvrs?|drones?|vehicles?)\b",
    re.IGNORECASE,
)
_REASONING = re.compile(
    r"\bwould\b|\bestimat\w*|\bcost\b|\binspect\w*|\bvisit\w*|\bexceed\w*|\bover\b|\bmore than\b",
    re.IGNORECASE,
)


# Messages the mail reader (``sightline.replies``) judged not to be anyone's answer: a bounce, a
# delivery delay notice, an out-of-office note. What they say is not the authority's reply.
NOT_A_REPLY = frozenset({"bounce", "delay", "out_of_office"})
MESSAGE_KIND = "message kind"  # the Document.meta key the documents reader records it under


def kind_status(kind: str) -> tuple[str, list[Evidence], str] | None:
    """The status of a message whose kind alone settles it, else None (read the words)."""
    if kind in NOT_A_REPLY:
        return UNCLEAR, [], f"status.{kind.replace('_', '-')}"
    return None


_BACK = re.compile(r"\b(?:their|them|those|these|its|they)\b", re.IGNORECASE)


def _pieces(text: str) -> list[str]:
    """Sentences, and the parts of a sentence either side of a semicolon ("we operate 30
    cameras; the manufacturer is not recorded" answers one part and not the other)."""
    return [part for sentence in sentences(text) for part in sentence.split(";") if part.strip()]


@dataclass
class StatusFindings:
    clarification: list[Evidence] = field(default_factory=list)
    acknowledgement: list[Evidence] = field(default_factory=list)
    withheld: list[Evidence] = field(default_factory=list)
    not_held: list[Evidence] = field(default_factory=list)
    attached: list[Evidence] = field(default_factory=list)
    answers: list[Evidence] = field(default_factory=list)
    any_text: bool = False  # the authority wrote something


def scan(items: list[Paragraph]) -> StatusFindings:
    """Statements about the reply as a whole, from the authority's own paragraphs."""
    found = StatusFindings()
    for p in items:
        if p.role == REQUEST:
            continue
        found.any_text = True
        if short_answer(p.body) and p.answers:
            found.answers.append(Evidence(quote(p.text), p.location))
        reasoning = bool(_REASONING.search(p.text))
        someone_else = False
        for sentence in _pieces(p.text):
            # "... are owned by the bus operators, and we do not hold information about them":
            # not holding what belongs to someone else leaves the request answered
            about_others = someone_else and bool(_BACK.search(sentence))
            someone_else = bool(THIRD_PARTY.search(sentence))
            if (someone_else or about_others) and (
                NOT_HELD.search(sentence) or NOT_KNOWN.search(sentence)
            ):
                continue
            evidence = Evidence(quote(sentence), p.location)
            cleaned = _DESCRIPTIVE.sub(" ", sentence)
            residual = is_residual(cleaned)
            if _BOILERPLATE.search(sentence):
                continue
            if _CLARIFY.search(sentence):
                found.clarification.append(evidence)
            if _ACK.search(sentence):
                found.acknowledgement.append(evidence)
            if _ATTACHED.search(sentence):
                found.attached.append(evidence)
            if residual or _MAY.search(sentence):
                continue
            if NOT_HELD.search(cleaned):
                found.not_held.append(evidence)
            elif WITHHELD.search(cleaned):
                found.withheld.append(evidence)
            elif NOT_KNOWN.search(cleaned):
                found.not_held.append(evidence)
            elif p.role != "question" and not reasoning and _ANSWER_NUMBER.search(sentence):
                found.answers.append(evidence)
    return found


def decide(
    found: StatusFindings, positive: list[Evidence], negative: list[Evidence], has_attachment: bool
) -> tuple[str, list[Evidence], str]:
    """(status, evidence, rule) from the scan and the facts already extracted: ``positive``
    are yes-answers and counts, ``negative`` are no-answers."""
    # one sentence often answers for several vendors: quote it once
    answers = list(dict.fromkeys(positive + negative + found.answers))
    if found.clarification:
        return CLARIFICATION, found.clarification[:2], "status.clarification"
    if found.acknowledgement and not answers and not found.withheld and not found.not_held:
        return ACKNOWLEDGEMENT, found.acknowledgement[:2], "status.acknowledgement"
    if found.withheld:
        if answers or found.attached:
            return PARTIAL, (answers + found.attached)[:1] + found.withheld[:1], "status.partial"
        return REFUSED, found.withheld[:2], "status.refused"
    if found.not_held:
        if positive or found.answers or found.attached:
            return PARTIAL, (positive + found.answers)[:1] + found.not_held[:1], "status.partial"
        return NOT_HELD_STATUS, found.not_held[:2], "status.not-held"
    if found.attached and not answers and not has_attachment:
        return UNCLEAR, found.attached[:1], "status.missing-attachment"
    if answers:
        return ANSWERED, answers[:2], "status.answered"
    if not found.any_text:
        return UNCLEAR, [], "status.empty"
    return ANSWERED, [], "status.default-answered"

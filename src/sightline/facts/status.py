"""The one judgement of what a reply says, in the request lifecycle's own state names.

Both the mail import (a guess at the request's new state, for a person to confirm) and fact
extraction (the ``status`` fact) ask this module; extraction also gives it the vendor answers it
found, the import only the message's own text.

``clarification_requested`` asks the requester to clarify; ``acknowledged`` only confirms
receipt or extends the time (even when it names exemptions that "may apply"); ``refused``
withholds everything (exemption, cost limit, neither confirm nor deny, vexatious); ``not_held``
says none of it is held; ``partially_answered`` answers some and withholds or does not hold the
rest; ``answered`` gives everything asked. A judgement without a state is ``unclear``: a covering
note whose promised attachment is missing, a message with no words of the authority's own, or a
bounce, delay notice or out-of-office note. A refusal of only "any further information" beside
an answer is not a refusal of the request. The phrasings are the status rules' in ``rules.toml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sightline.documents.model import Block, Location
from sightline.facts.devices import DEVICE, NUMBER
from sightline.facts.layout import REQUEST, Paragraph, paragraphs, sentences
from sightline.facts.model import Evidence
from sightline.facts.rules import Phrasing, Words, fold, pattern
from sightline.facts.signals import (
    DESCRIPTIVE,
    NOT_HELD,
    NOT_KNOWN,
    RESIDUAL,
    THIRD_PARTY,
    WITHHELD,
    is_residual,
    quote,
    short_answer,
)
from sightline.lifecycle import UNCLEAR_STATUS as UNCLEAR
from sightline.lifecycle import State

_CLARIFY = pattern("status.clarification")
_ACK = pattern("status.acknowledgement")
_ATTACHED = pattern("status.missing-attachment")
_ANSWER_NUMBER = pattern("status.answered")
_MAY = pattern("status.conditional")
_BOILERPLATE = pattern("status.boilerplate")
_REASONING = pattern("status.reasoning")
_RESPONSE = pattern("status.response")
# a number of devices written in words or digits ("twelve Hikvision cameras", "3 NVRs")
_DEVICE_COUNT = Phrasing((rf"\b{NUMBER}\s+(?:[\w-]+\s+){{0,2}}?{DEVICE}\b",))


@dataclass(frozen=True)
class Judgement:
    """What a reply says: the state it points the request to (None: unclear), the quotes it
    rests on, and the rule that decided."""

    state: State | None
    evidence: list[Evidence]
    rule: str

    @property
    def value(self) -> str:
        """The ``status`` fact's value: the state's name, or ``unclear``."""
        return self.state.value if self.state is not None else UNCLEAR


# Messages the mail reader (``sightline.replies``) judged not to be anyone's answer: a bounce, a
# delivery delay notice, an out-of-office note. What they say is not the authority's reply.
NOT_A_REPLY = frozenset({"bounce", "delay", "out_of_office"})
MESSAGE_KIND = "message kind"  # the Document.meta key the documents reader records it under


def kind_status(kind: str) -> Judgement | None:
    """The judgement of a message whose kind alone settles it, else None (read the words)."""
    if kind in NOT_A_REPLY:
        return Judgement(None, [], f"status.{kind.replace('_', '-')}")
    return None


MAX_TEXT = 20_000  # what a message says about its outcome comes early; attachments come later


def judge_text(text: str, has_attachment: bool) -> Judgement:
    """The judgement of a message from its text alone (what the mail import has)."""
    items = paragraphs([Block(text[:MAX_TEXT], Location(part="body"))])
    return decide(scan(items), [], [], has_attachment)


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
    not_held_in: list[str] = field(default_factory=list)  # the paragraphs that say so
    attached: list[Evidence] = field(default_factory=list)
    answers: list[Evidence] = field(default_factory=list)
    response: list[Evidence] = field(default_factory=list)  # the reply calls itself a response
    any_text: bool = False  # the authority wrote something


class _Gate:
    """Which phrasings a reply can hold: a part of the reply's own words is only searched for
    the branches of a phrasing whose literals occur in those words (``Phrasing.branches_in``);
    any other text is searched for the whole phrasing."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.words = Words(fold(text))
        self._branches: dict[int, tuple[Phrasing, ...]] = {}
        self._inside: dict[str, bool] = {}

    def has(self, phrasing: Phrasing, part: str) -> bool:
        """Whether ``phrasing`` occurs in ``part``."""
        inside = self._inside.get(part)
        if inside is None:
            inside = self._inside[part] = _starts_a_word_in(part, self.text)
        if not inside:
            return phrasing.search(part) is not None
        key = id(phrasing)
        branches = self._branches.get(key)
        if branches is None:
            branches = self._branches[key] = phrasing.branches_in(self.words)
        return any(branch.search(part) is not None for branch in branches)


def _starts_a_word_in(part: str, text: str) -> bool:
    """``part`` is a piece of ``text`` that does not start inside one of its words."""
    at = text.find(part)
    if at < 0:
        return False
    return at == 0 or not _word_character(part[:1]) or not _word_character(text[at - 1])


def _word_character(char: str) -> bool:
    return char.isalnum() or char == "_"  # what ``\\w`` and ``\\b`` take for a word's


def scan(items: list[Paragraph]) -> StatusFindings:
    """Statements about the reply as a whole, from the authority's own paragraphs."""
    found = StatusFindings()
    own = "\n".join(p.text for p in items if p.role != REQUEST)
    gate = _Gate(own)
    for p in items:
        if p.role == REQUEST:
            continue
        found.any_text = True
        if short_answer(p.body) and p.answers:
            found.answers.append(Evidence(quote(p.text), p.location))
        reasoning = gate.has(_REASONING, p.text)
        someone_else = False
        for sentence in _pieces(p.text):
            # "... are owned by the bus operators, and we do not hold information about them":
            # not holding what belongs to someone else leaves the request answered
            about_others = someone_else and bool(_BACK.search(sentence))
            someone_else = gate.has(THIRD_PARTY, sentence)
            if (someone_else or about_others) and (
                gate.has(NOT_HELD, sentence) or gate.has(NOT_KNOWN, sentence)
            ):
                continue
            evidence = Evidence(quote(sentence), p.location)
            cleaned = (
                DESCRIPTIVE.sub(" ", sentence) if gate.has(DESCRIPTIVE, sentence) else sentence
            )
            residual = gate.has(RESIDUAL, cleaned) and is_residual(cleaned)
            if gate.has(_BOILERPLATE, sentence):
                continue
            if gate.has(_CLARIFY, sentence):
                found.clarification.append(evidence)
            if gate.has(_ACK, sentence):
                found.acknowledgement.append(evidence)
            if gate.has(_ATTACHED, sentence):
                found.attached.append(evidence)
            if gate.has(_RESPONSE, sentence):
                found.response.append(evidence)
            if residual or gate.has(_MAY, sentence):
                continue
            if gate.has(NOT_HELD, cleaned) or (
                not gate.has(WITHHELD, cleaned) and gate.has(NOT_KNOWN, cleaned)
            ):
                found.not_held.append(evidence)
                found.not_held_in.append(" ".join(p.text.split()))
            elif gate.has(WITHHELD, cleaned):
                found.withheld.append(evidence)
            elif (
                p.role != "question"
                and not reasoning
                and (gate.has(_ANSWER_NUMBER, sentence) or gate.has(_DEVICE_COUNT, sentence))
            ):
                found.answers.append(evidence)
    return found


def _said_in(evidence: Evidence, texts: list[str]) -> bool:
    """Whether ``evidence`` quotes words of one of ``texts`` (paragraphs, spaces collapsed)."""
    quote = evidence.quote.removesuffix("...")
    return any(quote in text for text in texts)


def decide(
    found: StatusFindings, positive: list[Evidence], negative: list[Evidence], has_attachment: bool
) -> Judgement:
    """The judgement from the scan and the facts already extracted: ``positive`` are yes-answers
    and counts, ``negative`` are no-answers (the import has neither)."""
    # one sentence often answers for several vendors: quote it once
    answers = list(dict.fromkeys(positive + negative + found.answers))
    if found.clarification:
        return Judgement(
            State.CLARIFICATION_REQUESTED, found.clarification[:2], "status.clarification"
        )
    if found.acknowledgement and not answers and not found.withheld and not found.not_held:
        return Judgement(State.ACKNOWLEDGED, found.acknowledgement[:2], "status.acknowledgement")
    if found.withheld:
        if answers or found.attached:
            return Judgement(
                State.PARTIALLY_ANSWERED,
                (answers + found.attached)[:1] + found.withheld[:1],
                "status.partial",
            )
        return Judgement(State.REFUSED, found.withheld[:2], "status.refused")
    if found.not_held:
        # A no-answer counts as an answer beside "not held" only where it is said in another
        # paragraph (an answer to another question): "No information is held as we have no
        # Hikvision cameras", or a "no" explaining the "not held" beside it, is not held alone.
        apart = [e for e in negative if not _said_in(e, found.not_held_in)]
        if positive or found.answers or found.attached or apart:
            return Judgement(
                State.PARTIALLY_ANSWERED,
                (positive + found.answers + apart)[:1] + found.not_held[:1],
                "status.partial",
            )
        return Judgement(State.NOT_HELD, found.not_held[:2], "status.not-held")
    if found.attached and not answers and not has_attachment:
        return Judgement(None, found.attached[:1], "status.missing-attachment")
    if answers:
        return Judgement(State.ANSWERED, answers[:2], "status.answered")
    if found.attached:
        return Judgement(State.ANSWERED, found.attached[:1], "status.attached")
    if found.response:
        return Judgement(State.ANSWERED, found.response[:1], "status.response")
    if not found.any_text:
        return Judgement(None, [], "status.empty")
    return Judgement(State.ANSWERED, [], "status.default-answered")

"""Shared pieces of the rules: what one rule firing says, and the phrase lists rules use."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sightline.facts.model import Evidence
from sightline.facts.rules import confidence, pattern, rule

YES = "yes"
NO = "no"
UNKNOWN = "unknown"  # the authority declined or does not know, about this vendor
WEAK_UNKNOWN = "weak-unknown"  # declined a general "which makes?" question; fills only silence
LUMPED = "lumped"  # confirmed "Hikvision or Dahua" without saying which


@dataclass
class Signal:
    """One rule firing on one vendor: what it says and the quote it rests on."""

    vendor: str
    kind: str
    rule: str
    evidence: Evidence
    count: int | None = None
    types: tuple[str, ...] = ()
    confidence: float = 0.0  # from the rule registry (``rules.toml``)

    def __post_init__(self) -> None:
        self.confidence = confidence(self.rule)


MAX_QUOTE = 320

# equipment that belongs to someone else: a contractor's, the police's, a private operator's,
# an independent trust's or a PFI company's cameras are not the authority's own
THIRD_PARTY = pattern("phrase.third-party")
OWN_SUBJECT = pattern("phrase.own-subject")


def quote(text: str) -> str:
    """A quote short enough to show beside a fact, cut at a word."""
    text = " ".join(text.split())
    if len(text) <= MAX_QUOTE:
        return text
    return text[: MAX_QUOTE - 3].rsplit(" ", 1)[0] + "..."


# declining, not holding or not knowing: the answer is "unknown" for what the sentence is about
WITHHELD = pattern("phrase.withheld")
NOT_HELD = pattern("phrase.not-held")
NOT_KNOWN = pattern("phrase.not-known")
# "any further information", "any other information": the residual part of a reply
RESIDUAL = pattern("phrase.residual")
HYPOTHETICAL = pattern("phrase.hypothetical")
REQUEST_REFERENCE = pattern("phrase.request-reference")
MAKE_WORDS = pattern("phrase.make-words")
# an answer label before the answer ("A1 ", "Answer 2:", "Response -"), then the answer words
# of ``answer.yes``, ``answer.no`` and ``answer.not-applicable``, alone or before a new sentence
SHORT_ANSWER = re.compile(
    r"^\s*(?:(?:a|answer|response|reply)\s*\d*\s*[:.\-]\s*|a\d+\s+|answer\s+\d+\s+)?"
    rf"(?:(?P<yes>{pattern('answer.yes').pattern})\b(?!-)"
    rf"|(?P<word>{pattern('answer.no').pattern}|(?P<na>{pattern('answer.not-applicable').pattern}))\b"
    r"(?:\s*[.,;:!/\-]|\s*$|\s+(?=(?:we|the|it|there|this|our)\b)))",
    re.IGNORECASE,
)


def short_answer(text: str) -> str | None:
    """ "yes" or "no" (the polarities of ``answer.yes`` and ``answer.no``) when a paragraph
    opens with a bare Yes / No / None; None for Not applicable, or no short answer."""
    match = SHORT_ANSWER.match(text)
    if not match or match.group("na"):
        return None
    return rule("answer.yes" if match.group("yes") else "answer.no").polarity


# legal description, not a decision: "information not already exempt under section 30 is exempt
# if disclosing it would ...", "section 31(1) exempts information whose disclosure ..."
DESCRIPTIVE = pattern("phrase.descriptive")
NAMES_A_PART = pattern("phrase.names-a-part")


def is_residual(text: str) -> bool:
    """Only "any further/other information" is declined, beside the real answer."""
    return bool(RESIDUAL.search(text)) and not NAMES_A_PART.search(text)


def is_title(text: str) -> bool:
    """A heading or title line ("Facial Recognition Use and Related Documentation")."""
    stripped = text.strip()
    if re.search(r"[.!?:;]$", stripped):
        return False
    words = re.findall(r"[A-Za-z][\w'-]*", stripped)
    if not words or len(words) > 12:
        return False
    capitals = sum(1 for word in words if word[0].isupper())
    return capitals / len(words) >= 0.6


def declines(text: str) -> bool:
    """The text withholds, does not hold or does not know (not only further information)."""
    cleaned = DESCRIPTIVE.sub(" ", text)
    if is_residual(cleaned):
        return False
    return bool(WITHHELD.search(cleaned) or NOT_HELD.search(cleaned) or NOT_KNOWN.search(cleaned))

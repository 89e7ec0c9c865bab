"""A first, rule-based guess at what a reply says: acknowledgement, clarification, answer...

Only a guess for a person to confirm (recorded with ``guess=True``); the facts extraction reads
replies more closely. Rules are ordered: the first that fires wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Guess(StrEnum):
    ACKNOWLEDGEMENT = "acknowledged"
    CLARIFICATION = "clarification_requested"
    ANSWER = "answered"
    PARTIAL = "partially_answered"
    REFUSAL = "refused"
    NOT_HELD = "not_held"


def _words(*patterns: str) -> re.Pattern[str]:
    # Matched against lower-cased text; no pattern starts with \b, so the engine can skip to the
    # possible first letters (the word boundary before a match is checked in ``phrases``).
    return re.compile("|".join(p.removeprefix(r"\b") for p in patterns))


# FOIA s.12 / FOISA s.12 cost limit, s.14 vexatious, neither confirm nor deny (FOIA s.2(1)(a) and
# the exemptions' own NCND clauses), and an exemption relied on (Part II of FOIA, Part 2 of FOISA,
# EIR reg.12).
REFUSAL = _words(
    r"exceed(?:s|ed)? the (?:appropriate|cost|prescribed) limit",
    r"neither confirm nor deny",
    r"\bvexatious\b",
    r"\brefus(?:e|ed|al)\b",
    r"\bwithh(?:e|o)ld(?:ing)?\b",
    r"\bexempt(?:ion)? (?:under|by virtue of)\b",
    r"\bis exempt\b",
    r"regulation 12\(\d\)",
)
NOT_HELD = _words(
    r"\bdoes not hold\b",
    r"\bdo not hold\b",
    r"\binformation (?:is )?not held\b",
    r"\bholds? no (?:recorded )?information\b",
)
ANSWER = _words(
    r"please find (?:attached|below|enclosed)",
    r"\bour response\b",
    r"\bin response to your request\b",
    r"\bresponse to your (?:freedom of information|foi|eir|environmental information) request\b",
    r"\bthe information (?:you requested|requested) is\b",
    r"\bwe (?:can|are able to) confirm\b",
    r"\bhas been answered\b",
)
CLARIFICATION = _words(
    r"\bclarif(?:y|ication)\b",
    r"\bplease (?:confirm|specify) (?:what|which|whether)\b",
    r"\bfurther (?:details|information) (?:to|in order to) (?:identify|locate)\b",
    r"section 1\(3\)",  # FOIA s.1(3): the clock stops until the requester clarifies
)
ACKNOWLEDGEMENT = _words(
    r"\backnowledge(?:s|d)? (?:the )?receipt\b",
    r"\bwe have received your (?:request|e-?mail)\b",
    r"\bthank you for your (?:request|e-?mail|freedom of information request|foi request)\b",
    r"\bwill (?:respond|reply|receive a response) (?:to you )?(?:within|by|no later)\b",
    r"\b20 working days\b",
    r"\btwenty working days\b",
    r"\bhas been logged\b",
)


MAX_TEXT = 20_000  # what a reply says about its outcome comes early; attachments come later

# Where a reply's own words end and the message it answers begins (Outlook, Gmail/Thunderbird,
# Apple Mail separators); quoted lines start with ">". Our request is usually quoted below a
# reply, and its wording ("if you need clarification...") must not be read as the authority's.
_QUOTE_START = re.compile(
    r"^(?:-{2,}\s*original message\s*-{2,}|_{5,}\s*$|from:\s.*\n(?:sent|date):\s"
    r"|on\s.{0,200}\bwrote:\s*$)",
    re.IGNORECASE | re.MULTILINE,
)


def own_words(text: str) -> str:
    """The part of a reply its sender wrote: without the quoted message it answers."""
    found = _QUOTE_START.search(text)
    if found:
        text = text[: found.start()]
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(">"))


@dataclass(frozen=True)
class Classification:
    guess: Guess | None
    rule: str  # which rule fired, for the event log


CATEGORIES = (
    ("refusal", REFUSAL),
    ("not_held", NOT_HELD),
    ("answer", ANSWER),
    ("clarification", CLARIFICATION),
    ("acknowledgement", ACKNOWLEDGEMENT),
)
# One pass over the text finds every kind of phrase (plain alternation: named groups would stop
# the engine skipping ahead to possible first letters).
_ALL = re.compile("|".join(pattern.pattern for _, pattern in CATEGORIES))


def phrases(text: str) -> set[str]:
    """Which kinds of phrase occur in ``text`` (lower-cased)."""
    found = set()
    for match in _ALL.finditer(text):
        if match.start() and text[match.start() - 1].isalnum():
            continue  # inside a word
        for name, pattern in CATEGORIES:
            if pattern.fullmatch(match.group()):
                found.add(name)
                break
    return found


def classify_reply(subject: str, text: str, has_attachments: bool) -> Classification:
    """Guess what a reply from an authority says, from its subject, text and attachments."""
    found = phrases(f"{subject}\n{own_words(text[:MAX_TEXT])}".lower())
    refusal = "refusal" in found
    answer = "answer" in found or has_attachments
    if "not_held" in found and not answer:
        return Classification(Guess.NOT_HELD, "not_held")
    if refusal and answer:
        return Classification(Guess.PARTIAL, "refusal+answer")
    if refusal:
        return Classification(Guess.REFUSAL, "refusal")
    if "clarification" in found and not answer:
        return Classification(Guess.CLARIFICATION, "clarification")
    if answer:
        return Classification(Guess.ANSWER, "answer")
    if "acknowledgement" in found:
        return Classification(Guess.ACKNOWLEDGEMENT, "acknowledgement")
    return Classification(None, "none")

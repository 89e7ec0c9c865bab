"""The registry of facts rules (``rules.toml``): every rule id a fact can carry, what it reads,
the structure it matches, the phrasings it fires on (``patterns``), the value it gives, how
often it is right, and the statute it applies. Confidences and phrasings live here and nowhere
else, so that calibrating a rule or teaching it a new phrasing is a data change.

An entry without a ``field`` is a phrasing that several rules read (what declining, not holding
or a third party's equipment sounds like), or, of polarity ``none``, one that takes a sentence
out of a reading (a review-rights paragraph is not a refusal): it gives no fact by itself, so it
has phrasings and no confidence.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from sightline.errors import SightlineError


class RuleError(SightlineError, KeyError):
    """A rule id that the registry does not hold, or a registry that cannot be read."""


@dataclass(frozen=True)
class Rule:
    id: str
    module: str
    reads: str
    structure: str
    polarity: str
    field: str = ""  # empty: a phrasing other rules read, which gives no fact by itself
    confidence: float = 0.0
    statute: str = ""
    patterns: tuple[str, ...] = ()

    @property
    def pattern(self) -> re.Pattern[str]:
        """The rule's phrasings as one case-insensitive pattern (any of them matches)."""
        return _compiled(self.patterns)


READS = frozenset({"sentence", "clause", "answer", "table", "document", "nothing"})


@cache
def registry() -> dict[str, Rule]:
    """Every rule, by id, as ``rules.toml`` lists them."""
    text = resources.files("sightline.facts").joinpath("rules.toml").read_text(encoding="utf-8")
    rules: dict[str, Rule] = {}
    for entry in tomllib.loads(text)["rule"]:
        rule = Rule(**{**entry, "patterns": tuple(entry.get("patterns", ()))})
        gives_facts = bool(rule.field)
        if (
            rule.id in rules
            or rule.reads not in READS
            or (gives_facts and not 0 < rule.confidence <= 1)
            or (not gives_facts and (rule.confidence or not rule.patterns))
        ):
            raise RuleError(f"rules.toml: rule {rule.id!r} is listed twice or malformed")
        try:
            _compiled(rule.patterns)
        except re.error:
            raise RuleError(f"rules.toml: a pattern of rule {rule.id!r} is not valid") from None
        rules[rule.id] = rule
    return rules


@cache
def _compiled(patterns: tuple[str, ...]) -> re.Pattern[str]:
    # an empty list matches nothing
    return re.compile("|".join(f"(?:{p})" for p in patterns) or r"(?!)", re.IGNORECASE)


def pattern(rule_id: str) -> re.Pattern[str]:
    """The phrasings of the registered rule ``rule_id``, compiled."""
    return rule(rule_id).pattern


def rule(rule_id: str) -> Rule:
    """The registered rule ``rule_id``; an unregistered id is a programming error."""
    try:
        return registry()[rule_id]
    except KeyError:
        raise RuleError(f"no facts rule is registered as {rule_id!r}") from None


def confidence(rule_id: str) -> float:
    return rule(rule_id).confidence


__all__ = ["READS", "Rule", "RuleError", "confidence", "pattern", "registry", "rule"]

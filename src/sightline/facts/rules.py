"""The registry of facts rules (``rules.toml``): every rule id a fact can carry, what it reads,
the structure it matches, the value it gives, how often it is right, and the statute it
applies. Confidences live here and nowhere else, so that calibrating them is a data change.
"""

from __future__ import annotations

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
    field: str
    module: str
    reads: str
    structure: str
    polarity: str
    confidence: float
    statute: str = ""


READS = frozenset({"sentence", "clause", "answer", "table", "document", "nothing"})


@cache
def registry() -> dict[str, Rule]:
    """Every rule, by id, as ``rules.toml`` lists them."""
    text = resources.files("sightline.facts").joinpath("rules.toml").read_text(encoding="utf-8")
    rules: dict[str, Rule] = {}
    for entry in tomllib.loads(text)["rule"]:
        rule = Rule(**entry)
        if rule.id in rules or rule.reads not in READS or not 0 < rule.confidence <= 1:
            raise RuleError(f"rules.toml: rule {rule.id!r} is listed twice or malformed")
        rules[rule.id] = rule
    return rules


def rule(rule_id: str) -> Rule:
    """The registered rule ``rule_id``; an unregistered id is a programming error."""
    try:
        return registry()[rule_id]
    except KeyError:
        raise RuleError(f"no facts rule is registered as {rule_id!r}") from None


def confidence(rule_id: str) -> float:
    return rule(rule_id).confidence


__all__ = ["READS", "Rule", "RuleError", "confidence", "registry", "rule"]

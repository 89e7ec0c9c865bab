"""What extraction produces: facts about one document, each with its evidence and its rule.

Plain dataclasses, so that the Django side can store them as they are (one row per ``Fact``,
one per ``Evidence``) and the command line can print them as extract-file JSON.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

# the contract's field names for facts (the extract-file JSON)
STATUS = "status"
OWNED = "owned"
COUNT = "count"
DEVICE_TYPES = "device_types"
UNSPECIFIED = "hikvision_or_dahua_unspecified"
FACIAL_RECOGNITION = "facial_recognition"
EXEMPTION = "exemption"
REPLACEMENT_PLAN = "replacement_plan"

FactValue = str | int | bool | list[str] | None


@dataclass(frozen=True)
class Evidence:
    """A quote from the document and where it sits (``str(Location)``: "body", "page 2"...)."""

    quote: str
    location: str
    approximate: bool = False  # the quote gives the number as an estimate ("about 40")


@dataclass
class Fact:
    """One thing the document says. ``vendor`` is set for per-vendor fields only.

    ``rule`` names the extraction rule that produced the value (e.g. ``owned.negation``) and
    ``confidence`` is the rule's own estimate, 0..1, for ordering a reviewer's queue.
    """

    field: str
    value: FactValue
    evidence: list[Evidence] = dataclasses.field(default_factory=list)
    rule: str = ""
    confidence: float = 1.0
    vendor: str | None = None


@dataclass
class Extraction:
    """All facts about one document, in the order the rules produced them."""

    source: str
    facts: list[Fact] = dataclasses.field(default_factory=list)

    def get(self, name: str, vendor: str | None = None) -> Fact | None:
        """The fact for ``name`` (and ``vendor``), or None when no rule set it."""
        for fact in self.facts:
            if fact.field == name and fact.vendor == vendor:
                return fact
        return None

    def all(self, name: str) -> list[Fact]:
        return [fact for fact in self.facts if fact.field == name]

    def vendors(self) -> list[str]:
        """Vendor ids that have facts, in first-seen order."""
        seen: dict[str, None] = {}
        for fact in self.facts:
            if fact.vendor is not None:
                seen.setdefault(fact.vendor, None)
        return list(seen)

"""The families of facts rules and what they share: one reading of a reply that every family
reads (``Reading``), the result every family gives (``Found``), and the registry that runs them
(``Families``). Which families there are, and what each reads, is registered in ``extract``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from sightline.documents.model import Block, Document
from sightline.facts.layout import Paragraph
from sightline.facts.model import Evidence, Fact, FactValue
from sightline.facts.ownership import Context
from sightline.facts.rules import RuleError, confidence
from sightline.facts.signals import Signal
from sightline.facts.vendors import KnowledgeBase


def fact(
    name: str, value: FactValue, evidence: list[Evidence], rule_id: str, vendor: str | None = None
) -> Fact:
    """A fact with the confidence its rule has in the registry (``rules.toml``)."""
    return Fact(name, value, evidence, rule_id, confidence(rule_id), vendor)


@dataclass
class Found:
    """What one family found in a reply: its facts, in order, and the quotes that tell the status
    what was answered (``positive``: a yes or a count; ``negative``: a no, or an answer that is
    neither, such as a replacement plan)."""

    facts: list[Fact] = field(default_factory=list)
    positive: list[Evidence] = field(default_factory=list)
    negative: list[Evidence] = field(default_factory=list)


@dataclass(frozen=True)
class Reading:
    """One reading of a document, which every family reads: its blocks (tables read, and the
    rows they consumed left out), its paragraphs with their roles, the vendor context and every
    vendor statement the tables and sentences make."""

    document: Document
    kb: KnowledgeBase
    blocks: list[Block]
    paragraphs: list[Paragraph]
    context: Context
    signals: list[Signal]
    has_attachment: bool

    @property
    def text(self) -> str:
        """The reply's text, block after block."""
        return "\n".join(block.text for block in self.blocks)


# the parts of a reading a family may read, beside the results of the families it names
INPUTS = frozenset(
    {"document", "knowledge base", "blocks", "paragraphs", "context", "signals", "text"}
)

# a family's rules: the reading, and the results of the families it reads (in its order)
Run = Callable[[Reading, dict[str, Found]], Found]


@dataclass(frozen=True)
class Family:
    """A family of rules: its name, what it reads (parts of the reading, and other families'
    results), and the function that runs its rules."""

    name: str
    reads: tuple[str, ...]
    run: Run


class Families:
    """The registry of families, in the order their facts are given. Each runs after the
    families it reads, whatever their place; what a family reads must be part of a reading or a
    registered family, and no family may come to read its own result."""

    def __init__(self) -> None:
        self._families: dict[str, Family] = {}
        self._order: list[Family] | None = None

    def register(self, name: str, reads: tuple[str, ...], run: Run) -> None:
        if name in self._families or name in INPUTS:
            raise RuleError(f"facts family {name!r} is registered twice")
        self._families[name] = Family(name, reads, run)
        self._order = None

    def __iter__(self) -> Iterator[Family]:
        return iter(self._families.values())

    def run_order(self) -> list[Family]:
        """The families, each after the families it reads."""
        if self._order is None:
            order: list[Family] = []
            for family in self._families.values():
                self._visit(family, order, ())
            self._order = order
        return self._order

    def _visit(self, family: Family, order: list[Family], path: tuple[str, ...]) -> None:
        if family in order:
            return
        if family.name in path:
            cycle = " -> ".join((*path, family.name))
            raise RuleError(f"facts families read each other: {cycle}")
        for name in family.reads:
            if name in INPUTS:
                continue
            if name not in self._families:
                raise RuleError(
                    f"facts family {family.name!r} reads {name!r}, "
                    "which is neither part of a reading nor a family"
                )
            self._visit(self._families[name], order, (*path, family.name))
        order.append(family)

    def extract(self, reading: Reading) -> list[Fact]:
        """Every family's facts about ``reading``, family after family in registry order."""
        found: dict[str, Found] = {}
        for family in self.run_order():
            given = {name: found[name] for name in family.reads if name in found}
            found[family.name] = family.run(reading, given)
        return [item for family in self for item in found[family.name].facts]

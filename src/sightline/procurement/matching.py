"""Matching the supplier names in spending data to the knowledge base.

In order of strength: the Companies House number; the name, once legal forms and punctuation are
set aside; a name cut short by a finance system (a prefix of a known name); a fuzzy match
(rapidfuzz token-sort ratio) above a threshold; the bare maker's name inside a longer name. Every
match records its method and score. Truncated, contained and middling fuzzy matches are uncertain
and wait for a person (``sightline spend review``); a person's decision is keyed by the name as
written and the known supplier, so it applies to every row with that name.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz

from sightline.procurement.knowledge import KnowledgeBase, KnownSupplier
from sightline.procurement.names import canonical_name, core_name, loose_name

FUZZY_CERTAIN = 95.0  # at or above: the same name with a typo or a word order change
FUZZY_REVIEW = 85.0  # at or above (and below certain): a person decides
TRUNCATED_MIN_LENGTH = 10  # shorter prefixes match too much ("hik" is not a supplier)

COMPANIES_HOUSE = "companies_house"
EXACT_NAME = "exact_name"
TRUNCATED_NAME = "truncated_name"
FUZZY_NAME = "fuzzy_name"
CONTAINS_MAKER = "contains_maker_name"
ACCEPTED = "accepted"
REJECTED = "rejected"


@dataclass(frozen=True)
class SupplierMatch:
    supplier: str  # the name as written in the data
    known: KnownSupplier | None
    method: str  # "" when nothing matched
    score: float  # 0-100
    certain: bool  # needs no person (or a person accepted it)
    review: str = ""  # "", ACCEPTED or REJECTED
    note: str = ""

    @property
    def key(self) -> str:
        """Stable id of this name-to-supplier pairing, for review decisions."""
        return review_key(self.supplier, self.known.id if self.known else "")

    @property
    def needs_review(self) -> bool:
        return self.known is not None and not self.certain and not self.review


def review_key(supplier: str, known_id: str) -> str:
    digest = hashlib.sha256(f"{loose_name(supplier)}|{known_id}".encode()).hexdigest()
    return digest[:10]


@dataclass(frozen=True)
class _Alias:
    supplier: KnownSupplier
    loose: str
    canonical: str
    core: str


class SupplierMatcher:
    """Matches names against a knowledge base, with people's review decisions applied."""

    def __init__(self, knowledge: KnowledgeBase, decisions: Mapping[str, str] | None = None):
        self.knowledge = knowledge
        self.decisions = dict(decisions or {})
        self._aliases = [
            _Alias(supplier, loose_name(name), canonical_name(name), core_name(name))
            for supplier in knowledge.suppliers
            for name in supplier.names
        ]
        self._by_number = {s.company_number: s for s in knowledge.suppliers if s.company_number}
        makers = {s.family: s for s in knowledge.suppliers if s.role == "vendor"}
        self._maker_words = [
            (re.compile(rf"\b{re.escape(family.casefold())}\b"), supplier)
            for family, supplier in makers.items()
        ]
        self._cache: dict[tuple[str, str], SupplierMatch] = {}

    def match(self, supplier: str, number: str = "") -> SupplierMatch:
        cache_key = (supplier, number)
        if cache_key not in self._cache:
            self._cache[cache_key] = self._decided(self._match(supplier, number))
        return self._cache[cache_key]

    def _decided(self, match: SupplierMatch) -> SupplierMatch:
        if match.known is None or match.certain:
            return match
        decision = self.decisions.get(match.key)
        if decision == ACCEPTED:
            return SupplierMatch(
                match.supplier, match.known, match.method, match.score, True, ACCEPTED, match.note
            )
        if decision == REJECTED:
            return SupplierMatch(
                match.supplier, match.known, match.method, match.score, False, REJECTED, match.note
            )
        return match

    def _match(self, supplier: str, number: str) -> SupplierMatch:
        if number and number in self._by_number:
            return SupplierMatch(supplier, self._by_number[number], COMPANIES_HOUSE, 100.0, True)
        loose, canonical, core = loose_name(supplier), canonical_name(supplier), core_name(supplier)
        if not core:
            return SupplierMatch(supplier, None, "", 0.0, False)
        for alias in self._aliases:
            if canonical == alias.canonical or core == alias.core:
                return self._checked(supplier, number, alias.supplier, EXACT_NAME, 100.0, True)
        if len(loose) >= TRUNCATED_MIN_LENGTH:
            prefixes = [a for a in self._aliases if a.loose.startswith(loose) and a.loose != loose]
            if prefixes:
                alias = min(prefixes, key=lambda a: len(a.loose))
                score = round(100.0 * len(loose) / len(alias.loose), 1)
                note = f"looks cut short from {alias.supplier.names[0]!r}"
                return self._checked(
                    supplier, number, alias.supplier, TRUNCATED_NAME, score, False, note
                )
        best: tuple[float, _Alias] | None = None
        for alias in self._aliases:
            score = max(
                float(fuzz.ratio(core, alias.core)),
                float(fuzz.token_sort_ratio(core, alias.core)),
                float(fuzz.ratio(loose, alias.loose)),  # misspelt legal forms ("Limted")
            )
            if best is None or score > best[0]:
                best = (score, alias)
        if best is not None and best[0] >= FUZZY_REVIEW:
            score = round(best[0], 1)
            return self._checked(
                supplier, number, best[1].supplier, FUZZY_NAME, score, score >= FUZZY_CERTAIN
            )
        for pattern, maker in self._maker_words:
            if pattern.search(loose):
                score = round(float(fuzz.partial_ratio(maker.names[-1].casefold(), loose)), 1)
                note = f"names the maker {maker.names[-1]!r} but is not a known supplier"
                return SupplierMatch(supplier, maker, CONTAINS_MAKER, score, False, "", note)
        return SupplierMatch(supplier, None, "", 0.0, False)

    def _checked(
        self,
        supplier: str,
        number: str,
        known: KnownSupplier,
        method: str,
        score: float,
        certain: bool,
        note: str = "",
    ) -> SupplierMatch:
        """A name match that the Companies House numbers contradict is no match."""
        if number and known.company_number and number != known.company_number:
            note = (
                f"name like {known.name!r} but company number {number}"
                f" is not {known.company_number}"
            )
            return SupplierMatch(supplier, None, "", 0.0, False, "", note)
        return SupplierMatch(supplier, known, method, score, certain, "", note)

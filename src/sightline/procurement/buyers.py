"""Putting each release of a national OCDS file on its buyer: the buyer matched to the registry.

Strongest first: an organisation identifier the registry knows (org-id.guide schemes: ``GB-LAE``
Local Authorities for England, ``GB-LAS`` Scotland, ``GB-PLA`` Wales, ``GB-LANI`` Northern
Ireland, all keyed by the three-letter local authority code, as in Find a Tender's
``GB-LAE-HAV`` for Havering; ``GB-GOR`` the Government Organisation Register; or a nine-character
GSS code under any scheme); then the name, once case, punctuation and the words that differ
between an authority's official and everyday names ("London Borough of", "Council") are set
aside; then a fuzzy name (rapidfuzz ratio). Every match keeps its method and score. A fuzzy
match, or a name that fits several authorities, waits for a person (``sightline spend buyers``);
the decision is keyed by the buyer's name and the authority, and applies to every release.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz

from sightline.procurement.names import loose_name

IDENTIFIER = "identifier"
NAME = "name"
SHORT_NAME = "short_name"
FUZZY = "fuzzy_name"
ACCEPTED = "accepted"
REJECTED = "rejected"

FUZZY_CERTAIN = 97.0  # authority names are short: only a typo's difference is certain
FUZZY_REVIEW = 88.0
# org-id.guide schemes whose identifiers are mySociety's three-letter local authority codes.
COUNCIL_SCHEMES = {
    "England": "GB-LAE",
    "Scotland": "GB-LAS",
    "Wales": "GB-PLA",
    "Northern Ireland": "GB-LANI",
}
GOVERNMENT_REGISTER = "GB-GOR"
GSS_CODE = re.compile(r"(?:^|-)([ENSWK]\d{8})$")
# Words that differ between an authority's official and everyday names.
AUTHORITY_WORDS = frozenset(
    [
        "london",
        "royal",
        "borough",
        "city",
        "county",
        "council",
        "metropolitan",
        "district",
        "of",
        "the",
        "and",
    ]
)


@dataclass(frozen=True)
class RegistryEntry:
    """An authority buyers can be matched to: its GSS code, names and org-ids."""

    code: str
    name: str
    short_name: str = ""
    identifiers: tuple[str, ...] = ()


@dataclass(frozen=True)
class BuyerMatch:
    buyer: str  # the buyer's name as published
    entry: RegistryEntry | None
    method: str  # "" when nothing matched
    score: float
    certain: bool
    review: str = ""  # "", ACCEPTED or REJECTED
    note: str = ""

    @property
    def key(self) -> str:
        return buyer_review_key(self.buyer, self.entry.code if self.entry else "")

    @property
    def attributed(self) -> RegistryEntry | None:
        """The authority the buyer's releases go to (certain or not), unless rejected."""
        return self.entry if self.entry is not None and self.review != REJECTED else None

    @property
    def needs_review(self) -> bool:
        return self.entry is not None and not self.certain and not self.review


def buyer_review_key(buyer: str, code: str) -> str:
    digest = hashlib.sha256(f"buyer|{loose_name(buyer)}|{code}".encode()).hexdigest()
    return "b" + digest[:9]


def name_keys(name: str) -> tuple[str, str]:
    """(the name with punctuation and case set aside, the same without the council words)."""
    loose = loose_name(name)
    short = " ".join(word for word in loose.split() if word not in AUTHORITY_WORDS)
    return loose, short


def registry_entries(records: Iterable[object]) -> list[RegistryEntry]:
    """Entries from authority records (``AuthorityRecord`` or the database model): the GSS code
    and, where the record has one, the three-letter code under its nation's org-id scheme."""
    entries: list[RegistryEntry] = []
    for record in records:
        code = str(getattr(record, "gss_code", "") or "")
        register = str(getattr(record, "register_code", "") or "").strip().upper()
        scheme = COUNCIL_SCHEMES.get(str(getattr(record, "nation", "") or ""))
        identifiers = [code]
        if register and scheme:
            identifiers.append(f"{scheme}-{register}")
        entries.append(
            RegistryEntry(
                code=code,
                name=str(getattr(record, "name", "") or ""),
                short_name=str(getattr(record, "short_name", "") or ""),
                identifiers=tuple(identifiers),
            )
        )
    return entries


class BuyerMatcher:
    """Matches buyers to registry entries, with people's review decisions applied."""

    def __init__(
        self, entries: Iterable[RegistryEntry], decisions: Mapping[str, str] | None = None
    ) -> None:
        self.entries = list(entries)
        self.decisions = dict(decisions or {})
        self._by_identifier: dict[str, RegistryEntry] = {}
        self._by_loose: dict[str, list[RegistryEntry]] = {}
        self._by_short: dict[str, list[RegistryEntry]] = {}
        for entry in self.entries:
            for identifier in entry.identifiers:
                self._by_identifier[identifier.upper()] = entry
            for name in (entry.name, entry.short_name):
                if not name:
                    continue
                loose, short = name_keys(name)
                _add(self._by_loose, loose, entry)
                if short:
                    _add(self._by_short, short, entry)
        self._cache: dict[tuple[str, tuple[str, ...]], BuyerMatch] = {}

    def match(self, buyer: str, identifiers: tuple[str, ...] = ()) -> BuyerMatch:
        cache_key = (buyer, identifiers)
        if cache_key not in self._cache:
            self._cache[cache_key] = self._decided(self._match(buyer, identifiers))
        return self._cache[cache_key]

    def _decided(self, match: BuyerMatch) -> BuyerMatch:
        if match.entry is None or match.certain:
            return match
        decision = self.decisions.get(match.key)
        if decision in (ACCEPTED, REJECTED):
            return BuyerMatch(
                match.buyer,
                match.entry,
                match.method,
                match.score,
                decision == ACCEPTED,
                decision,
                match.note,
            )
        return match

    def _match(self, buyer: str, identifiers: tuple[str, ...]) -> BuyerMatch:
        for identifier in identifiers:
            text = identifier.strip().upper()
            entry = self._by_identifier.get(text)
            if entry is None:
                gss = GSS_CODE.search(text)
                entry = self._by_identifier.get(gss.group(1)) if gss else None
            if entry is None and text.startswith(GOVERNMENT_REGISTER + "-"):
                # a central body held in the registry under its Government Organisation code
                entry = self._by_identifier.get(text[len(GOVERNMENT_REGISTER) + 1 :])
            if entry is not None:
                return BuyerMatch(buyer, entry, IDENTIFIER, 100.0, True, note=identifier)
        loose, short = name_keys(buyer)
        if not loose:
            return BuyerMatch(buyer, None, "", 0.0, False, note="the buyer has no name")
        for method, key, table in (
            (NAME, loose, self._by_loose),
            (SHORT_NAME, short, self._by_short),
        ):
            found = _distinct(table.get(key, []))
            if len(found) == 1:
                return BuyerMatch(buyer, found[0], method, 100.0, True)
            if len(found) > 1:
                names = "; ".join(entry.name for entry in found)
                return BuyerMatch(
                    buyer, found[0], method, 100.0, False, note=f"the name fits {names}"
                )
        if not short:
            return BuyerMatch(buyer, None, "", 0.0, False)
        best: tuple[float, RegistryEntry] | None = None
        for candidate, entries in self._by_short.items():
            score = float(fuzz.ratio(short, candidate))
            if best is None or score > best[0]:
                best = (score, entries[0])
        if best is not None and best[0] >= FUZZY_REVIEW:
            score = round(best[0], 1)
            return BuyerMatch(buyer, best[1], FUZZY, score, score >= FUZZY_CERTAIN)
        return BuyerMatch(buyer, None, "", 0.0, False)


def _add(table: dict[str, list[RegistryEntry]], key: str, entry: RegistryEntry) -> None:
    entries = table.setdefault(key, [])
    if entry not in entries:
        entries.append(entry)


def _distinct(entries: list[RegistryEntry]) -> list[RegistryEntry]:
    seen: dict[str, RegistryEntry] = {}
    for entry in entries:
        seen.setdefault(entry.code, entry)
    return list(seen.values())

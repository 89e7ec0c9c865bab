"""The vendor knowledge base (``vendors.toml``) and finding vendor names in text.

Names, sub-brands and known misspellings become one regular expression per knowledge base;
long names that are still not found get a fuzzy second look (rapidfuzz) so that OCR damage
("Hikvisoin", "Honeywel1") is still recognised. Sub-brands report their parent family but keep
the brand as written, so evidence shows what the authority actually said.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from rapidfuzz import fuzz

APPLIED_CONFIDENCE = frozenset({"high", "medium"})  # weaker brand links are kept for reviewers
_FUZZY_MIN_LENGTH = 8  # shorter names are matched through listed variants only
_FUZZY_THRESHOLD = 88.0  # one transposition in a nine-letter name still passes
_DEVICE_AFTER = re.compile(
    r"^\W{0,3}(?:[\w-]+\s+){0,3}?(?:cctv|cameras?|nvrs?|dvrs?|domes?|recorders?|devices?|models?)\b",
    re.IGNORECASE,
)
_OCR_DIGITS = str.maketrans({"0": "o", "1": "i", "5": "s", "|": "l", "!": "i"})


@dataclass(frozen=True)
class BrandLink:
    """A sub-brand or OEM label that counts for a vendor family, and why we believe so."""

    name: str
    relation: str
    source: str
    confidence: str
    variants: tuple[str, ...] = ()
    context: bool = False
    valid_until: str | None = None


@dataclass(frozen=True)
class Vendor:
    id: str
    display: str
    names: tuple[str, ...]
    variants: tuple[str, ...] = ()
    brands: tuple[BrandLink, ...] = ()
    source: str = ""
    country: str = ""
    ambiguous: bool = False
    case_sensitive: bool = False
    context: bool = False
    facial_recognition: tuple[str, ...] = ()  # its names that are facial recognition products
    models: tuple[tuple[str, str], ...] = ()  # (model-number pattern, the device type it names)


@dataclass(frozen=True)
class Mention:
    """A vendor named in text: ``start``/``end`` index the text searched; ``written`` is as found."""

    vendor: str
    start: int
    end: int
    written: str
    brand: str | None = None  # the sub-brand, when the text names one
    how: str = "name"  # name | variant | brand | fuzzy


@dataclass
class _Pattern:
    vendor: str
    how: str
    brand: str | None
    context: bool
    regex: re.Pattern[str]


@dataclass
class KnowledgeBase:
    vendors: dict[str, Vendor]
    _patterns: list[_Pattern] = field(default_factory=list)
    _fuzzy: list[tuple[str, str]] = field(default_factory=list)  # (lower-case name, vendor id)
    _cache: dict[str, list[Mention]] = field(default_factory=dict)  # text -> mentions

    def __post_init__(self) -> None:
        for vendor in self.vendors.values():
            sensitive = vendor.ambiguous or vendor.case_sensitive
            for name in vendor.names:
                self._add(vendor.id, "name", None, name, sensitive, vendor.context)
                if not sensitive and len(name) >= _FUZZY_MIN_LENGTH and " " not in name:
                    self._fuzzy.append((name.lower(), vendor.id))
            for name in vendor.variants:
                self._add(vendor.id, "variant", None, name, sensitive, vendor.context)
            for brand in vendor.brands:
                if brand.confidence not in APPLIED_CONFIDENCE:
                    continue
                for name in (brand.name, *brand.variants):
                    self._add(vendor.id, "brand", brand.name, name, False, brand.context)
        # longest names first so "Hanwha Vision" wins over "Hanwha" at the same place
        self._patterns.sort(key=lambda p: -len(p.regex.pattern))

    def _add(
        self, vendor: str, how: str, brand: str | None, name: str, sensitive: bool, context: bool
    ) -> None:
        parts = [re.escape(part) for part in re.split(r"[\s-]+", name.strip()) if part]
        body = r"[\s-]?".join(parts)
        flags = 0 if sensitive else re.IGNORECASE
        if sensitive:
            alternatives = {body, r"[\s-]?".join(re.escape(p.upper()) for p in name.split())}
            body = "(?:" + "|".join(sorted(alternatives)) + ")"
        regex = re.compile(r"(?<![A-Za-z0-9])" + body + r"(?:'s)?(?![A-Za-z0-9])", flags)
        self._patterns.append(_Pattern(vendor, how, brand, context, regex))

    def find(self, text: str) -> list[Mention]:
        """Every vendor mention in ``text``, left to right, overlaps resolved longest-first."""
        cached = self._cache.get(text)
        if cached is None:
            cached = self._find(text)
            if len(self._cache) > 4096:
                self._cache.clear()
            self._cache[text] = cached
        return list(cached)

    def _find(self, text: str) -> list[Mention]:
        found: list[Mention] = []
        taken: list[tuple[int, int]] = []
        for pattern in self._patterns:
            for match in pattern.regex.finditer(text):
                start, end = match.span()
                if any(start < t_end and t_start < end for t_start, t_end in taken):
                    continue
                if pattern.context and not _DEVICE_AFTER.match(text[end:]):
                    continue
                taken.append((start, end))
                found.append(
                    Mention(pattern.vendor, start, end, match.group(0), pattern.brand, pattern.how)
                )
        for match in re.finditer(rf"[A-Za-z0-9|!]{{{_FUZZY_MIN_LENGTH},}}", text):
            start, end = match.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            word = match.group(0).translate(_OCR_DIGITS).lower()
            for name, vendor in self._fuzzy:
                if word[0] == name[0] and fuzz.ratio(word, name) >= _FUZZY_THRESHOLD:
                    taken.append((start, end))
                    found.append(Mention(vendor, start, end, match.group(0), None, "fuzzy"))
                    break
        found.sort(key=lambda m: m.start)
        return found

    def display(self, vendor_id: str) -> str:
        vendor = self.vendors.get(vendor_id)
        return vendor.display if vendor else vendor_id


def _vendor(entry: dict[str, object]) -> Vendor:
    brands = tuple(
        BrandLink(
            name=str(b["name"]),
            relation=str(b.get("relation", "")),
            source=str(b.get("source", "")),
            confidence=str(b.get("confidence", "low")),
            variants=tuple(str(v) for v in b.get("variants", [])),
            context=bool(b.get("context", False)),
            valid_until=str(b["valid_until"]) if "valid_until" in b else None,
        )
        for b in entry.get("brand", [])  # type: ignore[attr-defined]
    )
    return Vendor(
        id=str(entry["id"]),
        display=str(entry.get("display", entry["id"])),
        names=tuple(str(n) for n in entry.get("names", [])),  # type: ignore[attr-defined]
        variants=tuple(str(n) for n in entry.get("variants", [])),  # type: ignore[attr-defined]
        brands=brands,
        source=str(entry.get("source", "")),
        country=str(entry.get("country", "")),
        ambiguous=bool(entry.get("ambiguous", False)),
        case_sensitive=bool(entry.get("case_sensitive", False)),
        context=bool(entry.get("context", False)),
        facial_recognition=tuple(str(n) for n in entry.get("facial_recognition", [])),  # type: ignore[attr-defined]
        models=tuple(
            (str(m["pattern"]), str(m["type"]))
            for m in entry.get("models", [])  # type: ignore[attr-defined]
        ),
    )


def _focus(text: str) -> tuple[str, ...]:
    """The ids marked ``focus = true``: the families every reply is coded for."""
    return tuple(
        str(entry["id"]) for entry in tomllib.loads(text).get("vendor", []) if entry.get("focus")
    )


def load_knowledge_base(text: str) -> KnowledgeBase:
    """A knowledge base from TOML text in the ``vendors.toml`` layout."""
    data = tomllib.loads(text)
    vendors = [_vendor(entry) for entry in data.get("vendor", [])]
    return KnowledgeBase({vendor.id: vendor for vendor in vendors})


@cache
def knowledge_base() -> KnowledgeBase:
    """The knowledge base shipped with Sightline."""
    text = resources.files("sightline.facts").joinpath("vendors.toml").read_text("utf-8")
    return load_knowledge_base(text)


# the families every reply is coded for, from the knowledge base (Hikvision and Dahua today)
CHINESE_FAMILIES: tuple[str, ...] = _focus(
    resources.files("sightline.facts").joinpath("vendors.toml").read_text("utf-8")
)

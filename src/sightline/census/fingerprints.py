"""Fingerprint rules: the data file ``fingerprints.toml`` loaded into typed rules.

A rule reads one field of a scanned service and names the vendor a match points to. Port numbers
are not a field: a port alone never identifies a vendor (docs/census.md).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sightline.errors import SightlineError

VENDORS = ("hikvision", "dahua")
DEVICE_TYPES = ("camera", "dvr", "nvr", "unknown")
MATCH_KINDS = ("exact", "regex", "literal")

#: every field a rule may read; readers fill these from each scan format
FIELDS = (
    "http.server",
    "http.www_authenticate",
    "http.title",
    "http.body",
    "http.headers_raw",
    "http.favicon.md5",
    "http.favicon.mmh3",
    "tls.subject_dn",
    "tls.issuer_dn",
    "rtsp.server",
    "rtsp.www_authenticate",
    "telnet.banner",
    "banner.raw",
    "dhip.realm",
    "scanner.product",
    "auth.realm",
)

#: fields compared without regard to case (exact rules on them are lower-cased on loading)
CASELESS_FIELDS = frozenset({"auth.realm"})

#: a vendor is attributed when the confidences of its signals add up to at least this
ATTRIBUTION_THRESHOLD = 0.5


class RuleError(SightlineError, ValueError):
    """The fingerprint file is invalid (names the rule and what is wrong)."""


@dataclass(frozen=True, slots=True)
class Brand:
    name: str
    vendor: str
    source: str
    until: str | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    vendor: str
    device_type: str
    fields: tuple[str, ...]
    match: str
    patterns: tuple[str, ...]
    confidence: float
    source: str
    brand: str | None = None
    product: str | None = None
    needles: tuple[str, ...] = ()
    caseless: bool = True


@dataclass(frozen=True, slots=True)
class Extractor:
    """Where a banner states a device's model or firmware: a pattern with named groups."""

    field: str
    pattern: str
    source: str


@dataclass(frozen=True, slots=True)
class RuleSet:
    rules: tuple[Rule, ...]
    brands: dict[str, Brand]
    extractors: tuple[Extractor, ...] = ()

    def by_id(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


def _strings(value: Any, what: str, rule_id: str) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(item, str) and item for item in items):
        raise RuleError(f"rule {rule_id}: {what} must be a non-empty string or list of strings")
    return tuple(items)


def _decode_pattern(pattern: str, encoding: str | None, rule_id: str) -> str:
    if encoding is None:
        return pattern
    if encoding != "hex":
        raise RuleError(f"rule {rule_id}: unknown encoding {encoding!r}")
    try:
        # raw bytes of a binary reply, held as latin-1 text so each byte is one character
        return bytes.fromhex(pattern).decode("latin-1")
    except ValueError as exc:
        raise RuleError(f"rule {rule_id}: pattern is not hex", detail=str(exc)) from exc


def _parse_rule(raw: dict[str, Any], brands: dict[str, Brand]) -> Rule:
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not rule_id:
        raise RuleError(f"a rule has no id: {raw!r}")
    vendor = raw.get("vendor")
    brand = raw.get("brand")
    if brand is not None:
        if brand not in brands:
            raise RuleError(f"rule {rule_id}: unknown brand {brand!r}")
        if vendor is None:
            vendor = brands[brand].vendor
        elif vendor != brands[brand].vendor:
            raise RuleError(f"rule {rule_id}: brand {brand} belongs to {brands[brand].vendor}")
    if vendor not in VENDORS:
        raise RuleError(f"rule {rule_id}: vendor must be one of {', '.join(VENDORS)}")
    device_type = raw.get("device_type", "unknown")
    if device_type not in DEVICE_TYPES:
        raise RuleError(f"rule {rule_id}: device_type must be one of {', '.join(DEVICE_TYPES)}")
    fields = _strings(raw.get("field"), "field", rule_id)
    for field in fields:
        if field not in FIELDS:
            raise RuleError(f"rule {rule_id}: unknown field {field!r}")
    match = raw.get("match")
    if match not in MATCH_KINDS:
        raise RuleError(f"rule {rule_id}: match must be one of {', '.join(MATCH_KINDS)}")
    encoding = raw.get("encoding")
    patterns = tuple(
        _decode_pattern(p, encoding, rule_id)
        for p in _strings(raw.get("pattern"), "pattern", rule_id)
    )
    if match == "exact" and set(fields) & CASELESS_FIELDS:
        if not set(fields) <= CASELESS_FIELDS:
            raise RuleError(f"rule {rule_id}: a realm rule reads realms only")
        patterns = tuple(p.lower() for p in patterns)
    case = raw.get("case", "sensitive" if encoding == "hex" else "insensitive")
    if case not in ("insensitive", "sensitive"):
        raise RuleError(f"rule {rule_id}: case must be insensitive or sensitive")
    if case == "sensitive" and match == "exact":
        raise RuleError(f"rule {rule_id}: exact values are always compared without regard to case")
    confidence = raw.get("confidence")
    if not isinstance(confidence, int | float) or not 0 < confidence <= 1:
        raise RuleError(f"rule {rule_id}: confidence must be a number in (0, 1]")
    source = raw.get("source")
    if not isinstance(source, str) or not source:
        raise RuleError(f"rule {rule_id}: every rule cites its public source")
    needles: tuple[str, ...] = ()
    if "needles" in raw:
        needles = _strings(raw["needles"], "needles", rule_id)
        for needle in needles:
            # a case-sensitive rule's needles are sought as written; the others' in any case
            lower = case == "sensitive" or needle == needle.lower()
            if not lower or not needle.isascii() or any(c in needle for c in '"\\'):
                raise RuleError(f"rule {rule_id}: needle {needle!r} must be lower-case ASCII")
    return Rule(
        id=rule_id,
        vendor=vendor,
        device_type=device_type,
        fields=fields,
        match=match,
        patterns=patterns,
        confidence=float(confidence),
        source=source,
        brand=brand,
        product=raw.get("product"),
        needles=needles,
        caseless=case == "insensitive",
    )


def parse_rules(data: dict[str, Any]) -> RuleSet:
    """Build a rule set from the decoded TOML document."""
    brands: dict[str, Brand] = {}
    for name, raw in data.get("brands", {}).items():
        if raw.get("vendor") not in VENDORS or not raw.get("source"):
            raise RuleError(f"brand {name}: needs a vendor ({', '.join(VENDORS)}) and a source")
        brands[name] = Brand(name, raw["vendor"], raw["source"], raw.get("until"))
    rules = tuple(_parse_rule(raw, brands) for raw in data.get("rule", []))
    extractors = tuple(_parse_extractor(raw) for raw in data.get("extract", []))
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise RuleError(f"rule id {rule.id} is used twice")
        seen.add(rule.id)
    return RuleSet(rules, brands, extractors)


def _parse_extractor(raw: dict[str, Any]) -> Extractor:
    import re

    field, pattern, source = raw.get("field"), raw.get("pattern"), raw.get("source")
    if field not in FIELDS:
        raise RuleError(f"an extract entry reads an unknown field {field!r}")
    if not isinstance(source, str) or not source:
        raise RuleError(f"the extract entry for {field} cites no source")
    try:
        groups = re.compile(pattern).groupindex if isinstance(pattern, str) else {}
    except re.error as exc:
        message = f"the extract entry for {field} is not a valid pattern"
        raise RuleError(message, detail=str(exc)) from exc
    if not set(groups) & {"model", "firmware"}:
        raise RuleError(f"the extract entry for {field} names no model or firmware group")
    return Extractor(field, str(pattern), source)


def _toml_where(exc: tomllib.TOMLDecodeError) -> str:
    """`` (line L, column C)`` from the parser's position, when it gives one."""
    line, column = getattr(exc, "lineno", None), getattr(exc, "colno", None)
    if isinstance(line, int) and isinstance(column, int):
        return f" (line {line}, column {column})"
    import re

    found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
    return f" (line {found.group(1)}, column {found.group(2)})" if found else ""


def load_rules(path: Path | None = None) -> RuleSet:
    """Load the packaged fingerprint file, or another file in the same format."""
    if path is None:
        text = (Path(__file__).parent / "fingerprints.toml").read_text("utf-8")
    else:
        text = path.read_text("utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = _toml_where(exc)
        raise RuleError(f"fingerprint file is not valid TOML{where}", detail=str(exc)) from exc
    return parse_rules(data)

"""Match scan records against the fingerprint rules.

Exact values (Server headers, favicon hashes, titles) are plain dictionary lookups. Patterns are
compiled per field into one hyperscan database, so a raw banner or page body is scanned once for
all of them; Python's ``re`` is the fallback engine (and the reference the tests compare with).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sightline.census.fingerprints import ATTRIBUTION_THRESHOLD, Rule, RuleSet
from sightline.census.records import ScanRecord, Service

try:
    import hyperscan

    HAVE_HYPERSCAN = True
except ImportError:  # pragma: no cover - hyperscan is a dependency; re keeps things working
    HAVE_HYPERSCAN = False

_INLINE_FLAGS = re.compile(r"^\(\?([imsx]+)\)")

#: fields that hold a WWW-Authenticate challenge, HTTP or RTSP alike
AUTH_FIELDS = frozenset({"http.www_authenticate", "rtsp.www_authenticate"})
# realm="..." (quoted, with \" escapes) or realm=token, in any case (RFC 7235 section 2.2);
# the quoted string as runs of plain characters between escapes (one alternation per
# character made this the slowest step of matching a challenge)
_REALM = re.compile(r'(?i)\brealm\s*=\s*(?:"([^"\\]*(?:\\.[^"\\]*)*)"|([^\s,]+))')


def _literal_hint(pattern: str) -> str:
    """The literal text a pattern starts with (up to its first special character): any match
    contains it, so a value without it need not be searched. Empty when that cannot be told
    (an alternation, inline flags)."""
    if "|" in pattern:
        return ""
    out: list[str] = []
    for char in pattern:
        if char in "*+?{":  # the character before is optional or repeated
            return "".join(out[:-1])
        if char in ".^$}[]\\()":
            break
        out.append(char)
    return "".join(out)


def exact_key(value: str) -> str:
    """How exact values are compared: without regard to case or surrounding blanks (a Server
    header is the same header in any case, as a realm is)."""
    return value.strip().lower()


def realms(challenge: str) -> list[str]:
    """Every realm a WWW-Authenticate value names, lower-cased (a realm is a realm whatever
    the protocol, scheme, case or quoting)."""
    if "ealm" not in challenge and "EALM" not in challenge:
        return []
    out: list[str] = []
    for quoted, token in _REALM.findall(challenge):
        value = (quoted.replace('\\"', '"') if quoted else token).strip().lower()
        if value not in out:
            out.append(value)
    return out


def _as_regex(rule: Rule, pattern: str) -> str:
    if rule.match == "regex":
        return pattern
    # literal: escape every ASCII non-alphanumeric as \xNN so NUL bytes survive hyperscan's C API
    return "".join(c if c.isalnum() or ord(c) > 127 else f"\\x{ord(c):02x}" for c in pattern)


@dataclass(frozen=True, slots=True)
class Verdict:
    vendor: str | None
    device_type: str | None
    signals: tuple[str, ...]
    port: int | None
    brand: str | None = None
    confidence: float = 0.0
    model: str | None = None
    firmware: str | None = None


class _PatternScanner:
    """All pattern rules for one field; ``scan`` returns the indexes of the rules that match."""

    def __init__(self, rules: list[Rule], engine: str) -> None:
        self.rules = rules
        regexes = [
            (i, _as_regex(rule, p), rule.caseless)
            for i, rule in enumerate(rules)
            for p in rule.patterns
        ]
        self.engine = engine
        if engine == "hyperscan":
            from sightline.census.hsdb import compile_database

            flag = hyperscan.HS_FLAG_SINGLEMATCH | hyperscan.HS_FLAG_UTF8
            caseless = hyperscan.HS_FLAG_CASELESS
            self._db = compile_database(
                [r.encode("utf-8") for _, r, _ in regexes],
                [i for i, _, _ in regexes],
                [flag | caseless if nocase else flag for _, _, nocase in regexes],
            )
            self._hits: set[int] = set()
            self._on_match: Callable[..., None] = lambda i, *_: self._hits.add(i)
        else:
            self._compiled = [
                (i, re.compile(r, re.IGNORECASE if nocase else 0)) for i, r, nocase in regexes
            ]

    def scan(self, text: str) -> Iterable[Rule]:
        if self.engine == "hyperscan":
            self._hits.clear()
            self._db.scan(text.encode("utf-8", "surrogatepass"), match_event_handler=self._on_match)
            if not self._hits:
                return ()
            return [self.rules[i] for i in sorted(self._hits)]
        hit = sorted({i for i, rx in self._compiled if rx.search(text)})
        return [self.rules[i] for i in hit]


_MEMO_VALUE_LENGTH = 256  # pattern results are remembered for values up to this long
_MEMO_SIZE = 65536


class Matcher:
    """Fires rules on services and turns the fired rules into a verdict for a record."""

    def __init__(self, ruleset: RuleSet, engine: str = "auto") -> None:
        if engine == "auto":
            engine = "hyperscan" if HAVE_HYPERSCAN else "re"
        if engine not in ("hyperscan", "re"):
            raise ValueError(f"unknown matching engine {engine!r}")
        self.engine = engine
        self.ruleset = ruleset
        self._order = {rule.id: n for n, rule in enumerate(ruleset.rules)}
        self._exact: dict[str, dict[str, list[Rule]]] = {}
        by_field: dict[str, list[Rule]] = {}
        for rule in ruleset.rules:
            for field in rule.fields:
                if rule.match == "exact":
                    table = self._exact.setdefault(field, {})
                    for pattern in rule.patterns:
                        table.setdefault(exact_key(pattern), []).append(rule)
                else:
                    by_field.setdefault(field, []).append(rule)
        self._scanners = {f: _PatternScanner(rules, engine) for f, rules in by_field.items()}
        self._realm_table = self._exact.get("auth.realm", {})
        self._realm_scanner = self._scanners.get("auth.realm")
        self._memo: dict[tuple[str, str], tuple[Rule, ...]] = {}
        self._outcomes: dict[
            frozenset[str],
            tuple[tuple[str, ...], str | None, str | None, str | None, float, str | None],
        ] = {}
        # per field: (a literal the pattern needs, the pattern); the literal is a cheap test first
        self._extractors: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
        for extractor in ruleset.extractors:
            self._extractors.setdefault(extractor.field, []).append(
                (_literal_hint(extractor.pattern), re.compile(extractor.pattern))
            )

    def fire(self, service: Service) -> list[Rule]:
        """Every rule that matches one of the service's fields."""
        fired: list[Rule] = []
        exact = self._exact
        scanners = self._scanners
        scan = self._scan
        for field, value in service.fields.items():
            table = exact.get(field)
            if table is not None:
                hit = table.get(exact_key(value))
                if hit:
                    fired.extend(hit)
            scanner = scanners.get(field)
            if scanner is not None:
                fired.extend(scan(scanner, field, value))
            if field in AUTH_FIELDS:
                self._fire_realms(value, fired)
        return fired

    def _fire_realms(self, challenge: str, fired: list[Rule]) -> None:
        found = realms(challenge)
        if not found:
            return
        table = self._realm_table
        scanner = self._realm_scanner
        # rules are told apart by identity: rule ids are unique in a rule set, and comparing
        # the dataclasses field by field cost more than the rest of this method
        known = {id(rule) for rule in fired}
        for realm in found:
            for rule in table.get(realm, ()):
                if id(rule) not in known:
                    fired.append(rule)
                    known.add(id(rule))
            if scanner is not None:
                for rule in self._scan(scanner, "auth.realm", realm):
                    if id(rule) not in known:
                        fired.append(rule)
                        known.add(id(rule))

    def _scan(self, scanner: _PatternScanner, field: str, value: str) -> Iterable[Rule]:
        """The pattern rules of one field that match a value (remembered for short values)."""
        if len(value) > _MEMO_VALUE_LENGTH:
            return scanner.scan(value)
        memo = self._memo
        key = (field, value)
        found = memo.get(key)
        if found is None:
            if len(memo) >= _MEMO_SIZE:
                memo.clear()
            found = memo[key] = tuple(scanner.scan(value))
        return found

    def describe(self, record: ScanRecord) -> tuple[str | None, str | None]:
        """The model and firmware the record's banners state, if any (first found wins)."""
        model = firmware = None
        extractors = self._extractors
        for service in record.services:
            fields = service.fields
            for field, value in fields.items():
                found_here = extractors.get(field)
                if found_here is None:
                    continue
                for hint, pattern in found_here:
                    if hint not in value:
                        continue
                    found = pattern.search(value)
                    if found is None:
                        continue
                    groups = found.groupdict()
                    model = model or (groups.get("model") or "").strip() or None
                    firmware = firmware or (groups.get("firmware") or "").strip() or None
            if "device.model" in fields or "device.firmware" in fields:
                model = model or fields.get("device.model")
                firmware = firmware or fields.get("device.firmware")
        return model, firmware

    def classify(self, record: ScanRecord) -> Verdict:
        """Vendor, device type and the rules that fired for one record."""
        fired: dict[str, tuple[Rule, int | None]] = {}
        for service in record.services:
            for rule in self.fire(service):
                if rule.id not in fired:
                    fired[rule.id] = (rule, service.port)
        if not fired:
            first_port = record.services[0].port if record.services else None
            return Verdict(None, None, (), first_port)
        outcome = self._outcomes.get(key := frozenset(fired))
        if outcome is None:
            if len(self._outcomes) >= _MEMO_SIZE:
                self._outcomes.clear()
            outcome = self._outcomes[key] = self._outcome(fired)
        signals, vendor, device_type, brand, confidence, strongest = outcome
        if vendor is None:
            first_port = record.services[0].port if record.services else None
            return Verdict(None, None, signals, first_port)
        model, firmware = self.describe(record)
        port = fired[strongest][1] if strongest is not None else None
        return Verdict(vendor, device_type, signals, port, brand, confidence, model, firmware)

    def _outcome(
        self, fired: dict[str, tuple[Rule, int | None]]
    ) -> tuple[tuple[str, ...], str | None, str | None, str | None, float, str | None]:
        """What a set of fired rules decides: the signals in rule order, the vendor (None below
        the threshold), device type, brand, confidence and the strongest rule's id."""
        order = self._order
        signals = tuple(sorted(fired, key=order.__getitem__))
        totals: dict[str, float] = {}
        for rule, _ in fired.values():
            totals[rule.vendor] = totals.get(rule.vendor, 0.0) + rule.confidence
        vendor = max(sorted(totals), key=totals.__getitem__)
        if totals[vendor] < ATTRIBUTION_THRESHOLD - 1e-9:
            return signals, None, None, None, 0.0, None
        mine = sorted(
            (rule for rule, _ in fired.values() if rule.vendor == vendor),
            key=lambda rule: (-rule.confidence, order[rule.id]),
        )
        typed = [rule for rule in mine if rule.device_type != "unknown"]
        device_type = typed[0].device_type if typed else "unknown"
        brand = next((rule.brand for rule in mine if rule.brand), None)
        return signals, vendor, device_type, brand, mine[0].confidence, mine[0].id

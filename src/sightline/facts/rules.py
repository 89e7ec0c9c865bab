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

import bisect
import re
import tomllib
from collections.abc import Iterator
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
    value: str = ""  # what a rule of polarity "value" gives, where it gives one value
    sections: tuple[str, ...] = ()  # a statute's provisions that count (exemption rules)

    @property
    def pattern(self) -> Phrasing:
        """The rule's phrasings as one case-insensitive pattern (any of them matches)."""
        return _compiled(self.patterns)


# escapes, classes and group names: the parts of a pattern where an upper-case letter is no letter
_ESCAPE_OR_CLASS = re.compile(r"\\.|\[(?:\\.|[^\]])*\]|\(\?P<\w+>|\(\?P=\w+\)")


_BOUNDED = "\\b"
_WORD = re.compile(r"\w+")


class Words:
    """The words of a text, sorted, to ask whether any word starts with a given one."""

    def __init__(self, folded: str) -> None:
        self._set = set(_WORD.findall(folded))
        self._sorted = sorted(self._set)

    def has_prefix(self, start: str) -> bool:
        """Some word starts with ``start``'s first word (is it, when more words follow)."""
        lead = _WORD.match(start)
        if lead is None:
            return True
        prefix = lead.group()
        if lead.end() < len(start):  # "a single": the word "a" itself
            return prefix in self._set
        at = bisect.bisect_left(self._sorted, prefix)
        return at < len(self._sorted) and self._sorted[at].startswith(prefix)


class Phrasing:
    """Phrasings compiled once: ``search`` and ``sub`` as a case-insensitive pattern would give.

    A case-insensitive alternation whose branches start with ``\\b`` is tried branch by branch at
    every position of a text, which costs the mail import several times a message's parse. So
    ``search`` first looks for the branches without their leading ``\\b`` in the lower-cased
    text (a case-sensitive pattern the engine can skip through), and tries the real pattern only
    where one of them starts; the first such place where it matches is the leftmost match.
    """

    def __init__(self, patterns: tuple[str, ...]) -> None:
        self.full = re.compile("|".join(f"(?:{p})" for p in patterns) or r"(?!)", re.IGNORECASE)
        self.pattern = self.full.pattern
        # a branch tied to the start or end of the text searched ("^if", "^refused$")
        self.anchored = any(re.search(r"(?<![\\\[])\^|(?<!\\)\$", p) for p in patterns)
        # an upper-case letter that is neither an escape nor in a class would need the flag
        plain = all(not re.search("[A-Z]", _ESCAPE_OR_CLASS.sub("", p)) for p in patterns)
        self._scout = (
            re.compile("|".join(p.removeprefix(r"\b") for p in patterns))
            if patterns and plain
            else None
        )

        # words one of which any match starts with: no match can be where none of them is
        starts = [_leading_words(p) for p in patterns]
        self.starts = (
            tuple(sorted({w for ws in starts if ws for w in ws}))
            if patterns and all(starts)
            else None
        )

    def may_occur(self, folded: str, words: Words | None = None) -> bool:
        """False when no match can be in a text (``folded``: the text ``str.casefold``ed;
        ``words``: its ``Words``, when the caller has them)."""
        if self.starts is None:
            return True
        words = words or Words(folded)
        for start in self.starts:
            if start.startswith(_BOUNDED):  # after a word boundary: the start of a word
                if words.has_prefix(start[len(_BOUNDED) :]):
                    return True
            elif start in folded:
                return True
        return False

    def search(self, text: str) -> re.Match[str] | None:
        lower = text.lower()
        if self._scout is None or len(lower) != len(text):
            return self.full.search(text)
        at = 0
        while (found := self._scout.search(lower, at)) is not None:
            match = self.full.match(text, found.start())
            if match is not None:
                return match
            at = found.start() + 1
        return None

    def sub(self, replacement: str, text: str) -> str:
        return self.full.sub(replacement, text)


READS = frozenset({"sentence", "clause", "answer", "table", "document", "nothing"})


@cache
def registry() -> dict[str, Rule]:
    """Every rule, by id, as ``rules.toml`` lists them."""
    text = resources.files("sightline.facts").joinpath("rules.toml").read_text(encoding="utf-8")
    return load_rules(text)


_TEXT_KEYS = ("id", "module", "reads", "structure", "polarity", "field", "statute", "value")
_LIST_KEYS = ("patterns", "sections")
_REQUIRED = ("id", "module", "reads", "structure", "polarity")


def load_rules(text: str, source: str = "rules.toml") -> dict[str, Rule]:
    """The rules of a registry in the ``rules.toml`` layout, by id; an entry that is not
    complete and well formed is refused with a ``RuleError`` naming it."""
    try:
        entries = tomllib.loads(text).get("rule", [])
    except tomllib.TOMLDecodeError as error:
        raise RuleError(f"{source}: not valid TOML: {error}") from None
    if not isinstance(entries, list):
        raise RuleError(f"{source}: 'rule' must be a list of [[rule]] entries")
    rules: dict[str, Rule] = {}
    for number, entry in enumerate(entries, start=1):
        rule = _entry(entry, source, number)
        if rule.id in rules:
            raise RuleError(f"{source}: rule {rule.id!r} is listed twice")
        rules[rule.id] = rule
    return rules


def _entry(entry: object, source: str, number: int) -> Rule:
    """The ``number``-th ``[[rule]]`` entry, checked and read; errors name it by its id."""
    where = f"{source}: rule {number}"
    if not isinstance(entry, dict):
        raise RuleError(f"{where} is not a table")
    if isinstance(entry.get("id"), str) and entry["id"]:
        where = f"{source}: rule {entry['id']!r}"
    unknown = sorted(set(entry) - {*_TEXT_KEYS, *_LIST_KEYS, "confidence"})
    if unknown:
        raise RuleError(f"{where} has unknown keys: {', '.join(unknown)}")
    missing = [key for key in _REQUIRED if not entry.get(key)]
    if missing:
        raise RuleError(f"{where} lacks {', '.join(missing)}")
    for key in _TEXT_KEYS:
        if not isinstance(entry.get(key, ""), str):
            raise RuleError(f"{where}: {key} must be a string")
    for key in _LIST_KEYS:
        items = entry.get(key, [])
        if not isinstance(items, list) or not all(isinstance(i, str) and i for i in items):
            raise RuleError(f"{where}: {key} must be a list of non-empty strings")
    score = entry.get("confidence", 0.0)
    if isinstance(score, bool) or not isinstance(score, int | float):
        raise RuleError(f"{where}: confidence must be a number")
    rule = Rule(
        **{k: entry[k] for k in _TEXT_KEYS if k in entry},
        confidence=float(score),
        patterns=tuple(entry.get("patterns", ())),
        sections=tuple(entry.get("sections", ())),
    )
    if rule.reads not in READS:
        raise RuleError(f"{where} reads {rule.reads!r}, not one of {', '.join(sorted(READS))}")
    if rule.field and not 0 < rule.confidence <= 1:
        raise RuleError(f"{where} gives {rule.field!r} and needs a confidence above 0, at most 1")
    if not rule.field and (rule.confidence or not rule.patterns):
        raise RuleError(f"{where} gives no field: it needs patterns and no confidence")
    for phrasing in rule.patterns:
        try:
            re.compile(phrasing)
        except re.error as error:
            raise RuleError(f"{where}: pattern {phrasing!r} is not valid: {error}") from None
    try:
        _compiled(rule.patterns)
    except re.error:
        raise RuleError(f"{where}: its patterns are not valid together") from None
    return rule


_RUN = re.compile(r"[a-z][a-z ']*")
_LEADING_SPACE = re.compile(r"^(?:\\s\*|\\W\*|\\W\{0,\d\}| \*)+")


def _leading_words(branch: str, bounded: bool = False) -> list[str] | None:
    """The plain words (or digits) every match of ``branch`` starts with ("will", "should" for
    "(?:will|should) reply"), each marked when a word boundary comes before it, or None when
    that is not plain (a class, an anchor, a dot)."""
    branch = _LEADING_SPACE.sub("", branch.removeprefix("^"))
    if branch.startswith(r"\b"):
        branch, bounded = branch[2:], True
    mark = _BOUNDED if bounded else ""
    if branch.startswith(r"\d"):
        return [mark + digit for digit in "0123456789"]
    group = re.match(r"\(\?(?::|P<\w+>|<!|<=)", branch)
    if group:
        end = _group_end(branch)
        if end is None:
            return None
        if group.group().startswith("(?<"):  # a lookbehind: the match starts after it
            return _leading_words(branch[end + 1 :], bounded)
        inside, after = branch[group.end() : end], branch[end + 1 : end + 2]
        words: list[str] = []
        if after in ("?", "*"):  # an optional group: a match starts with it or with what follows
            rest = _leading_words(branch[end + 2 :], bounded)
            if rest is None:
                return None
            words.extend(rest)
        elif after == "{":
            return None
        for alternative in _top_level(inside):
            found = _leading_words(alternative, bounded)
            if not found:
                return None
            words.extend(found)
        return words
    run = _RUN.match(branch)
    if run is None:
        return None
    word = run.group()
    if branch[run.end() : run.end() + 1] in ("?", "*", "{"):
        word = word[:-1]  # "cameras?": the last letter is optional
    return [mark + word] if len(word) >= 2 else None


def _syntax(pattern: str) -> Iterator[tuple[int, str, int]]:
    """The characters of ``pattern`` that are regular-expression syntax (not escaped, not in a
    character class), each with its index and the depth of groups it stands in."""
    depth, escaped, in_class = 0, False, False
    for at, char in enumerate(pattern):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        else:
            if char == ")":
                depth -= 1
            yield at, char, depth
            if char == "(":
                depth += 1


def _group_end(pattern: str) -> int | None:
    """The index of the parenthesis that closes the group ``pattern`` starts with."""
    return next((at for at, char, depth in _syntax(pattern) if char == ")" and depth == 0), None)


def _top_level(pattern: str) -> list[str]:
    """The branches of ``pattern`` at its top level."""
    cuts = [at for at, char, depth in _syntax(pattern) if char == "|" and depth == 0]
    bounds = zip([-1, *cuts], [*cuts, len(pattern)], strict=True)
    return [pattern[start + 1 : end] for start, end in bounds]


@cache
def _compiled(patterns: tuple[str, ...]) -> Phrasing:
    return Phrasing(patterns)  # an empty list matches nothing


def pattern(rule_id: str) -> Phrasing:
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


__all__ = [
    "READS",
    "Phrasing",
    "Rule",
    "RuleError",
    "Words",
    "confidence",
    "load_rules",
    "pattern",
    "registry",
    "rule",
]

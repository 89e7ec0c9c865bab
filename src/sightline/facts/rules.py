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
import re._constants as _sre
import re._parser as _sre_parse
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

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


# Letters that a case-insensitive pattern takes for an ASCII letter although their lower case
# is another character (Python's ``re`` equivalences; a test checks every code point)
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})
_FOLDED = tuple(chr(code) for code in (0x130, 0x131, 0x17F))
_WORD = re.compile(r"\w+")
_DIGIT = re.compile(r"\d")
DIGIT = r"\d"  # the need for a decimal digit (of any script, as ``\d`` takes them)


def fold(text: str) -> str:
    """``text`` as the literals of ``needs`` are written: lower case, with the letters that
    case-insensitive patterns take for ASCII ones written as those (one character for one)."""
    if not text.isascii() and any(odd in text for odd in _FOLDED):
        text = text.translate(_FOLD)
    return text.lower()


# Every literal that starts a word, of every phrasing compiled, by its first three letters:
# a text's words are looked up in it (a text has fewer words than there are literals)
_STARTING: dict[str, list[str]] = {}
_INDEXED: set[str] = set()


def _index_starting(literals: frozenset[str]) -> None:
    for literal in sorted(literals - _INDEXED):
        _STARTING.setdefault(literal[1:4], []).append(literal)
        _INDEXED.add(literal)


class Words:
    """What literals a text holds (``folded``: the text ``fold``ed): a literal written with a
    leading space starts a word, so the text's words answer for it; any other is looked for in
    the text."""

    def __init__(self, folded: str) -> None:
        self._words = set(_WORD.findall(folded))
        # every literal is letters and digits, so it is inside one word: the words, once each
        self._joined = " ".join(self._words)
        self._starting: set[str] | None = None
        self._indexed = 0
        self._inside: dict[str, bool] = {}

    def holds(self, literal: str) -> bool:
        if literal[0] == " ":
            _index_starting(frozenset((literal,)))
            return bool(self.held(frozenset((literal,)), ()))
        return bool(self.held(frozenset(), (literal,)))

    def held(self, starting: frozenset[str], others: tuple[str, ...]) -> set[str]:
        """Which of the literals the text holds: ``starting`` those with a leading space
        (indexed when their phrasing was compiled), ``others`` the rest."""
        if self._starting is None or self._indexed != len(_INDEXED):
            self._indexed = len(_INDEXED)
            self._starting = {
                literal
                for word in self._words
                for literal in _STARTING.get(word[:3], ())
                if word.startswith(literal[1:])
            }
        found = set(starting & self._starting)
        for literal in others:
            inside = self._inside.get(literal)
            if inside is None:
                inside = self._inside[literal] = (
                    _DIGIT.search(self._joined) is not None
                    if literal == DIGIT
                    else literal in self._joined
                )
            if inside:
                found.add(literal)
        return found


class Phrasing:
    """Phrasings compiled once: ``search`` and ``sub`` as a case-insensitive pattern would give.

    A case-insensitive alternation whose branches start with ``\\b`` is tried branch by branch at
    every position of a text, which costs the mail import several times a message's parse. So
    ``search`` first looks for the branches without their leading ``\\b`` in the lower-cased
    text (a case-sensitive pattern the engine can skip through), and tries the real pattern only
    where one of them starts; the first such place where it matches is the leftmost match.

    And a reply holds few of the many phrasings: ``branches_in`` gives the branches (the
    top-level alternatives of every pattern) whose literals a text holds, each compiled on its
    own, so that a reader asks each sentence only about those. What a branch needs is read from
    its syntax (``needs``), so a phrasing added to ``rules.toml`` is gated like every other.
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
        self.branches = tuple(branch for p in patterns for branch in _top_level(p))
        self.needs = tuple(needs(branch) for branch in self.branches)
        literals = {literal for wanted in self.needs for choice in wanted for literal in choice}
        self._starting = frozenset(literal for literal in literals if literal[0] == " ")
        _index_starting(self._starting)
        self._others = tuple(sorted(literals - self._starting))
        # the branches by a literal of their rarest need (a text holds few), and the rest of
        # their needs; the branches that need nothing sure
        self._by_literal: dict[str, list[int]] = {}
        for at, wanted in enumerate(self.needs):
            for literal in wanted[0] if wanted else ():
                self._by_literal.setdefault(literal, []).append(at)
        self._rest = tuple(tuple(frozenset(c) for c in wanted[1:]) for wanted in self.needs)
        self._always = tuple(at for at, wanted in enumerate(self.needs) if not wanted)

    def branches_in(self, words: Words) -> tuple[Phrasing, ...]:
        """The branches that can match in a text (``words``: its ``Words``), each compiled on
        its own: one of them matches a part of the text that starts at a word's start (or at
        a character other than a letter or digit) where the whole phrasing does."""
        held = words.held(self._starting, self._others)
        found = {at for literal in held for at in self._by_literal.get(literal, ())}
        found.update(self._always)
        return tuple(
            _compiled((self.branches[at],))
            for at in sorted(found)
            if all(not choice.isdisjoint(held) for choice in self._rest[at])
        )

    def search(self, text: str) -> re.Match[str] | None:
        lower = fold(text)  # (a dotless i or long s is an i or s to the pattern, too)
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


_MIN_LITERAL = 3  # shorter literals are in nearly every text: no use as a gate
_MAX_CHOICES = 100
_REPEATS = (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT)
_ASSERTIONS = (_sre.ASSERT, _sre.ASSERT_NOT)
_WORD_START = (_sre.AT_BOUNDARY, _sre.AT_BEGINNING, _sre.AT_BEGINNING_STRING)
_NOT_WORD = (_sre.CATEGORY_SPACE, _sre.CATEGORY_NOT_WORD)
_SEPARATORS = "".join(c for c in map(chr, range(32, 127)) if not (c.isalnum() or c == "_"))


def needs(branch: str) -> tuple[tuple[str, ...], ...]:
    """What every match of the pattern ``branch`` holds: for each tuple, one of its literals
    (lower-case letters, digits or ``_``; with a leading space when it starts a word; ``DIGIT``
    for any decimal digit). () when
    nothing is sure: the branch is then searched everywhere. Read from the syntax Python's own
    ``re`` parser gives, so a new pattern needs nothing more than being written."""
    try:
        parsed = _sre_parse.parse(branch, re.IGNORECASE)
    except re.error:
        return ()
    found = set(_Needs().sequence(list(parsed), "", False))
    # the rarest first: a text is given up on at the first literal it lacks
    return tuple(sorted(found, key=lambda choice: (_strength(choice), choice), reverse=True))


def _strength(choice: tuple[str, ...]) -> tuple[int, int]:
    """How rarely a text holds one of ``choice``: the longer its shortest literal and the fewer
    its literals, the rarer."""
    return min(1 if literal == DIGIT else len(literal.strip()) for literal in choice), -len(choice)


def _word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _never_word(op: Any, value: Any) -> bool:
    """The item only matches characters that are no word characters (a space, a comma)."""
    if op is _sre.LITERAL:
        return chr(value).isascii() and not _word_char(chr(value))
    if op is _sre.IN:
        return all(
            (kind is _sre.CATEGORY and member in _NOT_WORD)
            or (kind is _sre.LITERAL and chr(member).isascii() and not _word_char(chr(member)))
            for kind, member in value
        )
    if op in _REPEATS and value[0] >= 1 and len(value[2]) == 1:
        return _never_word(*next(iter(value[2])))
    return False


class _Needs:
    def sequence(
        self, items: list[tuple[Any, Any]], prefix: str, bounded: bool
    ) -> list[tuple[str, ...]]:
        """What every match of a parsed sequence holds. ``prefix``: literal characters just
        before it (the parser writes "nvrs?|network" as "n" before a branch); ``bounded``: the
        prefix (or the sequence, without one) starts a word."""
        found: list[tuple[str, ...]] = []
        run, run_bounded = prefix, bounded  # literal characters, and whether they start a word
        # whether the place reached starts a word
        at_start = bounded if not prefix else not _word_char(prefix[-1])

        def end_run() -> None:
            # the run's words: the first starts a word when the run does; one after a
            # character that is no word character always does
            for at, piece in enumerate(re.split(r"\W+", run)):
                if len(piece) >= _MIN_LITERAL:
                    found.append(((" " if at > 0 or run_bounded else "") + piece,))

        for op, value in items:
            if op is _sre.LITERAL and chr(value).isascii() and chr(value).isprintable():
                if not run:
                    run_bounded = at_start
                run += chr(value).lower()
                at_start = not _word_char(chr(value))
                continue
            if op in (_sre.BRANCH, _sre.SUBPATTERN):
                # the run's whole words are needed as they are; its last word may go on
                # inside the group ("n" before "vrs?|etwork ...")
                cut = max(run.rfind(c) for c in _SEPARATORS) + 1 if run else 0
                if cut:
                    tail, run = run[cut:], run[:cut]
                    end_run()
                    run, run_bounded = tail, True
                prefix, bounded = run, run_bounded if run else at_start
                run, at_start = "", False
                if op is _sre.SUBPATTERN:
                    found.extend(self.sequence(list(value[-1]), prefix, bounded))
                    continue
                choices: set[str] = set()
                for alternative in value[1]:
                    options = self.sequence(list(alternative), prefix, bounded)
                    if not options:
                        break
                    strongest: tuple[str, ...] = max(options, key=_strength)
                    choices.update(strongest)
                else:
                    if len(choices) <= _MAX_CHOICES:
                        found.append(tuple(sorted(choices)))
                        continue
                run, run_bounded = prefix, bounded
                end_run()
                run = ""
                continue
            end_run()
            start, run, at_start = at_start, "", False
            if op is _sre.IN and value == [(_sre.CATEGORY, _sre.CATEGORY_DIGIT)]:
                found.append((DIGIT,))
            elif op is _sre.ATOMIC_GROUP:
                found.extend(self.sequence(list(value), "", start))
            elif op in _REPEATS and value[0] >= 1:
                found.extend(self.sequence(list(value[2]), "", start))
            elif op in _REPEATS and value[2]:
                # "(?:[\w-]+\s+){0,2}": after none or some, still where a word starts
                at_start = start and _never_word(*list(value[2])[-1])
            elif op is _sre.AT:
                at_start = value in _WORD_START or (start and value is not _sre.AT_NON_BOUNDARY)
            elif op in _ASSERTIONS:
                at_start = start  # an assertion takes no characters
            at_start = at_start or _never_word(op, value)
        end_run()
        return found


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
    "confidence",
    "fold",
    "load_rules",
    "needs",
    "pattern",
    "registry",
    "rule",
]

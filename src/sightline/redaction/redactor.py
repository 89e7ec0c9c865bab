"""Applying accepted redactions to text: every occurrence, in any case and line wrapping.

A redaction is a piece of text (a name, an address, a number) accepted by a person; it is removed
wherever it appears in what is published (letters, replies, attachments' text, quotes, notes),
not only where it was found. The pieces are compiled into one pattern shaped like a trie, so a
campaign with thousands of redactions costs about one pass over each text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

MARKS = {
    "name": "[name removed]",
    "email": "[e-mail address removed]",
    "phone": "[phone number removed]",
    "address": "[address removed]",
    "requester": "[requester's details removed]",
    "other": "[personal data removed]",
}
# What a published page marks as redacted (the HTML wraps each in <span class="redacted">).
MARK_PATTERN = re.compile("|".join(re.escape(mark) for mark in MARKS.values()))


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class Redaction:
    text: str
    kind: str


class Redactor:
    """Replaces every accepted piece of text with the mark for its kind."""

    def __init__(self, redactions: Iterable[Redaction] = ()) -> None:
        self._kinds: dict[str, str] = {}
        for redaction in redactions:
            key = _key(redaction.text)
            if key:
                self._kinds.setdefault(key, redaction.kind)
        self._pattern = _compile(self._kinds) if self._kinds else None

    def __len__(self) -> int:
        return len(self._kinds)

    def redact(self, text: str) -> str:
        if self._pattern is None or not text:
            return text
        return self._pattern.sub(self._mark, text)

    def _mark(self, match: re.Match[str]) -> str:
        kind = self._kinds.get(_key(match.group(0)), "other")
        return MARKS.get(kind, MARKS["other"])


class _Node:
    __slots__ = ("children", "end")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.end = False


def _compile(keys: Iterable[str]) -> re.Pattern[str]:
    root = _Node()
    for key in keys:
        node = root
        for char in key:
            node = node.children.setdefault(char, _Node())
        node.end = True
    return re.compile(r"(?<!\w)" + _emit(root) + r"(?!\w)", re.IGNORECASE)


def _emit(node: _Node) -> str:
    """The trie below ``node`` as a pattern: longer continuations tried before ending here."""
    branches = []
    for char in sorted(node.children):
        piece = r"\s+" if char == " " else re.escape(char)
        branches.append(piece + _emit(node.children[char]))
    if not branches:
        return ""
    inner = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return "(?:" + inner + ")?" if node.end else inner

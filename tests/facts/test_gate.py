"""The gate of the status scan: a sentence is searched only for the branches of a phrasing whose
literals (read from each pattern's syntax) the reply holds. The gated scan must find exactly
what searching every sentence for every whole phrasing finds."""

from __future__ import annotations

import dataclasses
import importlib
import re
import string
import sys
from pathlib import Path
from typing import Any

import pytest

from sightline.documents import read_file
from sightline.errors import SightlineError
from sightline.facts import status
from sightline.facts.layout import paragraphs
from sightline.facts.rules import DIGIT, Phrasing, Words, fold, needs, registry, rule
from sightline.lifecycle import State

HERE = Path(__file__).resolve().parent
REPLIES = HERE / "replies" / "docs"
SHARED_DEV = HERE.parents[1] / ".." / "shared" / "eval" / "foi-dev" / "docs"
extract_module = importlib.import_module("sightline.facts.extract")


class _EveryPhrasing:
    """The plain path: every part searched for every whole phrasing."""

    def __init__(self, text: str) -> None:
        self.text = text

    def has(self, phrasing: Phrasing, part: str) -> bool:
        return phrasing.search(part) is not None


def _documents() -> list[Path]:
    found = sorted(p for p in REPLIES.iterdir() if p.is_file())
    if SHARED_DEV.is_dir():
        found += sorted(p for p in SHARED_DEV.iterdir() if p.is_file())
    return found


def _paragraph_sets() -> list[tuple[str, list[Any], str, bool]]:
    sets = []
    for path in _documents():
        try:
            document = read_file(path)
        except SightlineError:
            continue
        kb = extract_module.knowledge_base()
        blocks, _, has_attachment = extract_module._blocks(document, kb)
        text = "\n".join(block.text for block in document.blocks)
        sets.append((path.name, paragraphs(blocks), text, has_attachment))
    return sets


def _both(monkeypatch: pytest.MonkeyPatch, run: Any) -> tuple[Any, Any]:
    gated = run()
    with monkeypatch.context() as patch:
        patch.setattr(status, "_Gate", _EveryPhrasing)
        plain = run()
    return gated, plain


@pytest.mark.slow
def test_the_gated_scan_finds_what_the_plain_scan_finds(monkeypatch: pytest.MonkeyPatch) -> None:
    # every sample reply and every document of the shared development set: only the two
    # implementations are compared (nothing here is scored against a label)
    sets = _paragraph_sets()
    assert len(sets) >= 250
    for name, items, text, has_attachment in sets:
        gated, plain = _both(monkeypatch, lambda items=items: status.scan(items))
        assert dataclasses.asdict(gated) == dataclasses.asdict(plain), name
        gated, plain = _both(monkeypatch, lambda t=text, a=has_attachment: status.judge_text(t, a))
        assert gated == plain, name


def test_a_sentence_taken_apart_or_unlike_the_text_is_searched_whole() -> None:
    # "cleaned" sentences (legal description replaced by a space) are no part of the reply's
    # text: they are searched for the whole phrasing, and still found
    gate = status._Gate("The cameras are exempt under section 31.")
    not_held = rule("phrase.not-held").pattern
    assert gate.has(not_held, "we do not hold any such information")
    assert not gate.has(not_held, "The cameras are exempt under section 31.")
    # a part that starts inside one of the text's words
    assert not status._starts_a_word_in("ameras are", "The cameras are")
    assert status._starts_a_word_in("cameras are", "The cameras are")


def test_what_a_branch_needs_is_read_from_its_syntax() -> None:
    assert needs(r"\bwe do not hold (?:any|the) cameras?\b") == (
        (" camera",),
        (" hold",),
        (" not",),
        (" any", " the"),
    )
    # the parser writes "nvrs?|network video recorders?" as "n" before a branch
    assert needs(r"\b(?:nvrs?|network\s+video\s+recorders?)\b") == ((" nvr", " recorder"),)
    # no literal inside a word, an optional part, a class or a lookaround is required
    assert needs(r"(?<!not )exempt(?:ion)?s?") == (("exempt",),)
    assert needs(r"\d+ cameras") == ((" cameras",), (DIGIT,))
    assert needs(r"[a-z]+\s+is") == ()
    assert needs(r"(") == ()  # (the registry refuses an invalid pattern before this)


def test_a_new_phrasing_added_as_data_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    # a wording no pattern of rules.toml has: the gate reads what it needs like any other
    text = "Thank you. Your application sits in our queue as item 77, to be looked at shortly."
    assert status.judge_text(text, False).rule == "status.default-answered"  # nothing said
    added = r"\bsits in our (?:work )?queue\b"
    acknowledgement = rule("status.acknowledgement").patterns
    monkeypatch.setattr(status, "_ACK", Phrasing((*acknowledgement, added)))
    judged = status.judge_text(text, False)
    assert judged.state is State.ACKNOWLEDGED
    assert judged.rule == "status.acknowledgement"
    assert [e.quote for e in judged.evidence] == [
        "Your application sits in our queue as item 77, to be looked at shortly."
    ]


def test_no_registered_branch_is_gated_out_of_a_line_it_matches() -> None:
    lines = {
        line
        for path in REPLIES.glob("*.txt")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    lines |= {"İS NOT HELD", "ıs not held", "the information ıs not known", "٣ cameras"}
    checked = 0
    for entry in registry().values():
        phrasing = entry.pattern
        for line in lines:
            if phrasing.full.search(line):
                checked += 1
                found = phrasing.branches_in(Words(fold(line)))
                assert any(branch.search(line) for branch in found), (entry.id, line)
    assert checked > 100


@pytest.mark.slow
def test_folding_keeps_every_character_that_a_case_insensitive_letter_matches() -> None:
    # a literal is looked for in the folded text: every character that a case-insensitive
    # pattern takes for an ASCII letter, digit or "_" folds to it, one character for one, and
    # a word character stays one (so the text's words stay its words)
    everything = "".join(chr(code) for code in range(sys.maxunicode + 1) if code != 0x130)
    for char in string.ascii_letters + string.digits + "_":
        for found in re.findall(re.escape(char), everything + "\u0130", re.IGNORECASE):
            assert fold(found) == char.lower(), (hex(ord(found)), char)
    word = re.compile(r"\w")
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        folded = fold(char)
        if len(folded) != 1:
            raise AssertionError(hex(code))
        if (word.match(char) is None) != (word.match(folded) is None):
            raise AssertionError(hex(code))

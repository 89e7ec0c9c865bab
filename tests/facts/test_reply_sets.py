"""The facts development replies (tests/facts/replies): the development split meets the targets,
and neither split ever gets a false "yes" for a focus vendor. The test split is scored for the
report only (tests/facts/replies/README.md), so no threshold here can be tuned against it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sightline.documents import read_file
from sightline.facts import contract_json, extract
from sightline.facts.vendors import CHINESE_FAMILIES

REPLIES = Path(__file__).resolve().parent / "replies"


def _scored(split: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    pairs = []
    for line in (REPLIES / f"{split}.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        got = contract_json(extract(read_file(REPLIES / record["file"])), record["file"])
        pairs.append((record["label"], got))
    return pairs


def _share(hits: list[bool]) -> float:
    return sum(hits) / len(hits)


@pytest.mark.parametrize("split", ["dev", "test"])
def test_no_false_yes_in_either_split(split: str) -> None:
    false_yes = [
        (label, vendor)
        for label, got in _scored(split)
        for vendor in CHINESE_FAMILIES
        if got["vendors"][vendor]["owned"] == "yes" and label["vendors"][vendor]["owned"] != "yes"
    ]
    assert false_yes == []


def test_the_development_split_meets_the_targets() -> None:
    pairs = _scored("dev")
    assert len(pairs) >= 130
    status = [label["status"] == got["status"] for label, got in pairs]
    owned, counts, types = [], [], []
    for label, got in pairs:
        for vendor in CHINESE_FAMILIES:
            want, have = label["vendors"][vendor], got["vendors"][vendor]
            owned.append(want["owned"] == have["owned"])
            if want["count"] is not None:
                counts.append(want["count"] == have["count"])
            if want["device_types"]:
                types.append(sorted(want["device_types"]) == sorted(have["device_types"]))
    fr = [label["facial_recognition"] == got["facial_recognition"] for label, got in pairs]
    exemptions = [sorted(label["exemptions"]) == got["exemptions"] for label, got in pairs]
    assert _share(status) >= 0.95
    assert _share(owned) >= 0.97
    assert _share(counts) >= 0.95
    assert _share(types) >= 0.95
    assert _share(fr) >= 0.95
    assert _share(exemptions) >= 0.98

"""Device words and numbers: "27 cameras", "three NVRs", "one DAHUA XVR", "9 PTZ".

Types follow the extract-file JSON: camera, dvr (a hybrid XVR counts), nvr, thermal, other
(body-worn video, facial recognition software and the like).
"""

from __future__ import annotations

import re
from functools import cache

from sightline.facts.rules import pattern, registry
from sightline.facts.vendors import knowledge_base

_NUMBER_WORDS = {
    "a single": 1,
    "single": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
# "twenty-five", "forty two"
for _ten in _TENS:
    for _unit in _UNITS:
        _NUMBER_WORDS[f"{_ten}-{_unit}"] = _NUMBER_WORDS[_ten] + _NUMBER_WORDS[_unit]
NUMBER = (
    r"(?P<num>\d{1,3}(?:,\d{3})+|\d{1,6}|"
    + "|".join(sorted((w.replace("-", "[- ]") for w in _NUMBER_WORDS), key=len, reverse=True))
    + r")"
)


def _device_words() -> tuple[str, dict[str, str]]:
    """One device word, as a named group per type in registry order (``device.*`` in
    ``rules.toml``, longest forms first), and the contract's type of each group ("" for a word
    that names none)."""
    groups: dict[str, list[str]] = {}
    types: dict[str, str] = {}
    for entry in registry().values():
        if entry.module == "devices" and entry.id.startswith("device."):
            name = entry.value or "generic"
            groups.setdefault(name, []).append(entry.pattern.pattern)
            types[name] = entry.value
    return "(?:" + "|".join(f"(?P<{n}>{'|'.join(g)})" for n, g in groups.items()) + ")", types


def _before_number(rule_id: str) -> re.Pattern[str]:
    """The phrasings of ``rule_id`` just before a number (at the end of the text before it)."""
    return re.compile(rf"(?:{pattern(rule_id).pattern})\s*$", re.IGNORECASE)


DEVICE, _TYPES = _device_words()
DEVICE_RE = re.compile(r"\b" + DEVICE + r"\b", re.IGNORECASE)
# words before a number that make it an estimate ("approximately 150 cameras"): the number is
# kept for a vendor's own count and marked approximate; a bound ("more than 70") is no count
APPROXIMATE = _before_number("number.approximate")
BOUND = _before_number("number.bound")
ESTIMATE = re.compile(APPROXIMATE.pattern + "|" + BOUND.pattern, re.IGNORECASE)


def number_value(text: str) -> int | None:
    """The integer a count is written as ("1,790", "three"), or None."""
    cleaned = text.strip().lower().replace(",", "")
    if cleaned.isdigit():
        return int(cleaned)
    cleaned = re.sub(r"\s+", " ", cleaned)
    return _NUMBER_WORDS.get(cleaned, _NUMBER_WORDS.get(cleaned.replace(" ", "-")))


def device_type(match: re.Match[str]) -> str | None:
    """The contract's type for a ``DEVICE`` match, or None for "devices"/"units"."""
    groups = match.groupdict()
    for name, kind in _TYPES.items():
        if kind and groups.get(name):
            return kind
    return None


def types_in(text: str) -> list[str]:
    """Device types named in ``text``, in order, without repeats."""
    found: dict[str, None] = {}
    for match in DEVICE_RE.finditer(text):
        kind = device_type(match)
        if kind:
            found.setdefault(kind, None)
    return list(found)


@cache
def _model_types() -> list[tuple[re.Pattern[str], str]]:
    """The makers' model-number families from the knowledge base (``models`` in
    ``vendors.toml``), in the order of the types (thermal before nvr before dvr ...)."""
    families = [m for v in knowledge_base().vendors.values() for m in v.models]
    order = list(_TYPES.values())
    families.sort(key=lambda m: order.index(m[1]) if m[1] in order else len(order))
    return [(re.compile(found, re.IGNORECASE), kind) for found, kind in families]


def classify_type_cell(text: str) -> str:
    """The type of one asset-register row from its type, model or description cells ("PTZ
    camera" -> camera, "DS-7608NI-K2" -> nvr); a register row of unknown kind is a camera."""
    match = DEVICE_RE.search(text)
    if match and device_type(match):
        return device_type(match) or "camera"
    lowered = text.lower()
    if "thermal" in lowered:
        return "thermal"
    for model, kind in _model_types():
        if model.search(text):
            return kind
    return "camera"

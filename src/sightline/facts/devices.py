"""Device words and numbers: "27 cameras", "three NVRs", "one DAHUA XVR", "9 PTZ".

Types follow the extract-file JSON: camera, dvr (a hybrid XVR counts), nvr, thermal, other
(body-worn video, facial recognition software and the like).
"""

from __future__ import annotations

import re

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

# one device word, longest forms first; the group name says the type
DEVICE = (
    r"(?:(?P<thermal>thermal(?:[- ]imaging)?(?:\s+[\w-]+){0,2}?\s+cameras?|thermal\s+imagers?)"
    r"|(?P<nvr>nvrs?|network\s+video\s+recorders?)"
    r"|(?P<dvr>dvrs?|xvrs?|digital\s+video\s+recorders?|hybrid(?:\s+digital)?\s+video\s+recorders?"
    r"|video\s+recorders?|recorders?)"
    r"|(?P<other>body[- ]worn(?:\s+video)?(?:\s+cameras?)?|bwv|encoders?|servers?|intercoms?"
    r"|door[- ]entry\s+(?:panels?|units?))"
    r"|(?P<camera>cameras?|ptz(?:\s+cameras?)?|domes?|bullets?|turrets?|cctv\s+units?)"
    r"|(?P<generic>devices?|units?|items?))"
)
DEVICE_RE = re.compile(r"\b" + DEVICE + r"\b", re.IGNORECASE)
# words before a number that make it an estimate ("approximately 150 cameras"): the number is
# kept for a vendor's own count and marked approximate; a bound ("more than 70") is no count
APPROXIMATE = re.compile(
    r"(?:approximately|approx\.?|about|around|roughly|nearly|almost|circa|c\.|some|estimated"
    r"|an estimated|~)\s*$",
    re.IGNORECASE,
)
BOUND = re.compile(
    r"(?:over|more than|less than|fewer than|up to|in excess of|at least|at most|under)\s*$",
    re.IGNORECASE,
)
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
    for name in ("thermal", "nvr", "dvr", "other", "camera"):
        if groups.get(name):
            return name
    return None


def types_in(text: str) -> list[str]:
    """Device types named in ``text``, in order, without repeats."""
    found: dict[str, None] = {}
    for match in DEVICE_RE.finditer(text):
        kind = device_type(match)
        if kind:
            found.setdefault(kind, None)
    return list(found)


# model-number families as the makers publish them (Hikvision DS-2CD... cameras, DS-76xxNI
# NVRs, DS-72xx/73xx/81xx DVRs, DS-2TD thermal; Dahua IPC/HAC/SD cameras, NVR..., XVR..., TPC
# thermal)
_MODEL_TYPES = (
    (re.compile(r"\bDS-2TD|\bTPC-|\bDH-TPC", re.I), "thermal"),
    (re.compile(r"\bDS-(?:76|77|86|96)\d\d|\b(?:DHI-)?NVR\d", re.I), "nvr"),
    (re.compile(r"\bDS-(?:71|72|73|81|90)\d\d|\b(?:DH-)?XVR\d|\b(?:DH-)?HCVR\d", re.I), "dvr"),
    (re.compile(r"\bDS-2(?:CD|CE|DE|DF|DY|CV)|\b(?:DH-)?(?:IPC|HAC|SD)\w*-", re.I), "camera"),
)


def classify_type_cell(text: str) -> str:
    """The type of one asset-register row from its type, model or description cells ("PTZ
    camera" -> camera, "DS-7608NI-K2" -> nvr); a register row of unknown kind is a camera."""
    match = DEVICE_RE.search(text)
    if match and device_type(match):
        return device_type(match) or "camera"
    lowered = text.lower()
    if "thermal" in lowered:
        return "thermal"
    for pattern, kind in _MODEL_TYPES:
        if pattern.search(text):
            return kind
    return "camera"

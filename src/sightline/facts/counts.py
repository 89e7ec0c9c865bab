"""Counts of devices per vendor in a sentence, on text where each vendor mention has been
replaced by a ``VENDOR_<id>`` token: "27 Hikvision cameras and 3 Hikvision NVRs" (30),
"Hikvision: 33 cameras", "64 cameras, all made by Hikvision", "12 Hikvision, 5 Dahua and 3 Bosch".
Estimates ("approximately 150 cameras"), years and sums of money are not counts.
"""

from __future__ import annotations

import re

from sightline.facts import devices
from sightline.facts.rules import pattern as phrasing
from sightline.facts.rules import rule
from sightline.facts.vendors import Mention

TOKEN = "VENDOR_"
_GAP_WORD = r"(?!(?:and|or|plus|with|but)\b)(?!VENDOR_)[A-Za-z(][\w'/()-]*"


def gap(most: int) -> str:
    return r"(?:\s+" + _GAP_WORD + r"){0," + str(most) + r"}?"


_CURRENCY_BEFORE = re.compile(r"[£$€]\s*$")
_LABEL_BEFORE = re.compile(r"\b(?:q|question|part|item|point|section|regulation|reg)\.?\s*$", re.I)
_APPROXIMATE_AFTER = phrasing("count.approximate-after")
_APPROXIMATE_BEFORE = phrasing("count.approximate-before")
_NUMBER_END = re.compile(r"\d[\d,]*$")


def estimates_read(text: str) -> str:
    """``text`` with every estimate written as "approximately N" ("40+", "40-odd", "in the
    region of 40": the ``count.approximate-*`` phrasings), so that one reading of estimates
    (``devices.APPROXIMATE``) serves them all."""
    text = _APPROXIMATE_BEFORE.sub("approximately ", text)
    out: list[str] = []
    last = 0
    for match in _APPROXIMATE_AFTER.full.finditer(text):
        number = _NUMBER_END.search(text, last, match.start())
        if number is None or number.end() != match.start():
            continue
        out.append(text[last : number.start()])
        out.append("approximately " + number.group(0))
        last = match.end()
    out.append(text[last:])
    return "".join(out)


# a nil cell, in English, Welsh ("Dim") or both ("Dim / None")
_NIL_WORD = r"(?:none|nil|0|zero|no|n/a|-|–|—|dim)"
NIL_CELL = re.compile(rf"^\s*{_NIL_WORD}(?:\s*/\s*{_NIL_WORD})*\s*\.?\s*$", re.I)
_CELL_NUMBER = re.compile(r"^\s*(?P<before>.*?)\s*" + devices.NUMBER + r"\s*\.?\s*$", re.I)


def cell_count(text: str) -> tuple[int | None, bool]:
    """The count a table cell gives and whether it is an estimate: "12" (12, False), "approx.
    60" or "40+" (60 / 40, True); (None, False) for a cell that gives no count."""
    match = _CELL_NUMBER.match(estimates_read(text))
    if match is None:
        return None, False
    value = devices.number_value(match.group("num"))
    before = match.group("before")
    if not before:
        return value, False
    if re.fullmatch(r"\s*(?:" + devices.APPROXIMATE.pattern + ")", before, re.I):
        return value, True
    return None, False


def _shape(text: str, vendor_token: str) -> str:
    """A ``count.shapes`` pattern with its placeholders filled in."""
    for name, value in (
        ("VENDOR", vendor_token),
        ("NUMBER", devices.NUMBER),
        ("DEVICE", devices.DEVICE),
        (" GAP", gap(2)),
        ("OTHER", TOKEN),
    ):
        text = text.replace(name, value)
    return text


def marked(text: str, mentions: list[Mention]) -> str:
    """``text`` with each vendor mention replaced by VENDOR_<id> (placeholders keep offsets
    meaningless, so callers work on the marked text only)."""
    spans: dict[tuple[int, int], list[str]] = {}
    for m in mentions:
        spans.setdefault((m.start, m.end), [])
        if m.vendor not in spans[(m.start, m.end)]:
            spans[(m.start, m.end)].append(m.vendor)
    out: list[str] = []
    last = 0
    for (start, end), vendors in sorted(spans.items()):
        if start < last:
            continue
        out.append(text[last:start])
        out.append(" and ".join(TOKEN + vendor for vendor in vendors))
        last = end
    out.append(text[last:])
    return "".join(out)


def usable_number(text: str, match: re.Match[str], approximate: bool = False) -> int | None:
    """The count a number match stands for, or None (a year, money, a share, an estimate).
    With ``approximate``, "about 40" still counts (the caller marks it approximate)."""
    value = devices.number_value(match.group("num"))
    before = text[: match.start("num")]
    estimate = devices.APPROXIMATE if not approximate else None
    if value is None or value == 0 or devices.BOUND.search(before):
        return None
    if _LABEL_BEFORE.search(before):
        return None  # "Question 1 Number of Hikvision cameras": a question's number
    if estimate is not None and estimate.search(before):
        return None
    if _CURRENCY_BEFORE.search(before) or text[match.end("num") :].startswith("%"):
        return None
    if 1980 <= value <= 2035 and "," not in match.group("num"):
        return None  # a year, not a count
    return value


def is_approximate(text: str, count: tuple[int, str | None, str]) -> bool:
    """The count was written as an estimate ("approximately 40 Hikvision cameras")."""
    at = text.find(count[2])
    if at < 0:
        return False
    # the estimate word may stand inside the match ("Hikvision equipment (approximately 30
    # cameras)"): look before the number itself
    for number in re.finditer(devices.NUMBER, count[2], re.IGNORECASE):
        if devices.number_value(number.group("num")) == count[0]:
            return bool(devices.APPROXIMATE.search(text[: at + number.start("num")]))
    return bool(devices.APPROXIMATE.search(text[:at]))


def counts_for(text: str, vendor: str) -> list[tuple[int, str | None, str]]:
    """(number, device type, matched text) for each count of ``vendor`` in marked ``text``;
    estimates count (``is_approximate`` tells them apart), bounds do not."""
    v = TOKEN + vendor
    paren = r"(?:\s+\(" + TOKEN + r"\w+\))?"
    patterns = [
        devices.NUMBER + gap(4) + r"\s+" + v + paren + gap(3) + r"\s+" + devices.DEVICE + r"\b",
        v + gap(2) + r"\s*[:-]\s*" + devices.NUMBER + gap(2) + r"\s+" + devices.DEVICE + r"\b",
        devices.NUMBER + gap(3) + r"\s+" + devices.DEVICE + r"\s*,?\s*(?:all|each|every one)\s+"
        r"(?:of (?:which|them)\s+)?(?:are\s+|were\s+)?(?:made|manufactured|supplied|produced)\s+by\s+"
        + v,
        r"\ball\s+(?:of\s+the\s+)?"
        + devices.NUMBER
        + gap(2)
        + r"\s+"
        + devices.DEVICE
        + r"\s+(?:are|were)\s+"
        + v,
        # "45 CCTV cameras manufactured by Hikvision", "3 cameras from Dahua", "two cameras by
        # Hikvision"
        devices.NUMBER + gap(3) + r"\s+" + devices.DEVICE + r"\s*,?\s*(?:(?:which|that)\s+)?"
        r"(?:are\s+|were\s+)?(?:(?:(?:made|manufactured|supplied|produced)\s+)?by|from)\s+" + v,
        # "Hikvision 40 cameras", "Hikvision cameras: 56", "Hikvision (12)", "12 are Hikvision"
        v + r"\s+" + devices.NUMBER + gap(2) + r"\s+" + devices.DEVICE + r"\b",
        v
        + gap(2)
        + r"\s+"
        + devices.DEVICE
        + r"(?:\s+[a-z]+){0,5}\s*[:=-]\s*"
        + devices.NUMBER
        + r"\b",
        # "some Dahua equipment (11 cameras)"
        v + gap(2) + r"\s*\(\s*" + devices.NUMBER + gap(1) + r"\s+" + devices.DEVICE + r"\b",
        v + r"\s*\(\s*" + devices.NUMBER + r"\s*\)",
        v + gap(2) + r"\s+" + devices.DEVICE + r"\s*\(\s*" + devices.NUMBER + r"\s*\)",
        v + r"\s*[:|-]\s*" + devices.NUMBER + r"(?=\s*(?:[,;.)]|$|\band\b))",
        devices.NUMBER + r"\s+by\s+" + v,
        # "break down as follows: Hikvision 18, Dahua 4"
        v + r"\s+" + devices.NUMBER + r"(?=\s*(?:[,;)]|\.(?!\d)|$|\band\b))",
        # "the only Hikvision products the force holds are two digital video recorders"
        v
        + r"[^.;]{0,40}?\b(?:are|is|comprise|consist of)\s+"
        + devices.NUMBER
        + gap(2)
        + r"\s+"
        + devices.DEVICE
        + r"\b",
        # "9 of our cameras are Hikvision"
        devices.NUMBER
        + r"\s+of\s+(?:our|the|its|their|these|them)\s+(?:[\w-]+\s+)?"
        + devices.DEVICE
        + r"\s+(?:are|were)\s+(?:(?:made|manufactured|supplied)\s+by\s+)?"
        + v,
        # "14 CCTV cameras on council property, all of which are Hikvision"
        devices.NUMBER
        + gap(3)
        + r"\s+"
        + devices.DEVICE
        + r"[^.;]{0,60}?,?\s+all of (?:which|them)\s+(?:are|were)\s+"
        + v,
        # "equipment made by Dahua, namely 2 NVRs"
        v
        + r",?\s+(?:namely|specifically|i\.e\.|comprising|consisting of|being)\s+"
        + devices.NUMBER
        + gap(2)
        + r"\s+"
        + devices.DEVICE
        + r"\b",
        # "20 cameras in total: 12 Hikvision and 8 Axis"
        devices.NUMBER + r"\s+" + v + r"(?=\s*(?:,|;|\.|\)|\band\b|\bor\b|$))",
        devices.NUMBER + r"\s+(?:of (?:these|them|which)\s+)?(?:are|were)\s+(?:(?:made|manufactured"
        r"|supplied)\s+by\s+)?" + v,
        # further shapes, as data: "Hikvision cameras x 27"
        *(_shape(shape, v) for shape in rule("count.shapes").patterns),
    ]
    found: dict[int, tuple[int, str | None, str]] = {}
    for pattern in patterns:
        for match in re.finditer(r"(?<![\w£$€.])" + pattern, text, re.IGNORECASE):
            value = usable_number(text, match, approximate=True)
            if value is None or match.start("num") in found:
                continue
            kind = devices.device_type(match)
            found[match.start("num")] = (value, kind, match.group(0))
    # "the Hikvision estate comprises 27 fixed cameras, 4 PTZ cameras and 2 NVRs", "the
    # following Hikvision equipment: 14 cameras and 2 NVRs": the listed parts are summed
    listing = re.search(
        v + r"[^.;:]{0,40}?(?:\b(?:comprises?|consists? of|is made up of|amounts? to)\b|:|\s[-–]\s)"
        r"(?P<rest>.*)",
        text,
        re.IGNORECASE,
    )
    # "Hikvision cameras: 40 in the town centre, 12 in car parks (52 in total)"
    total = re.search(
        r"(?:\ba total of\s+|\btotal(?:ling|ing)?\s*:?\s*)"
        + devices.NUMBER
        + r"|"
        + devices.NUMBER.replace("?P<num>", "?P<num2>")
        + r"\s+(?:in total|altogether|in all)\b",
        text,
        re.IGNORECASE,
    )
    if total and found and text.count(TOKEN) == 1:
        value = devices.number_value(total.group("num") or total.group("num2"))
        if value and value > sum(f[0] for f in found.values()):
            kinds = {f[1] for f in found.values()}
            return [(value, kinds.pop() if len(kinds) == 1 else None, total.group(0))]
    # "Dahua - 3 camera / 3 cameras" gives one count in two languages, not a list
    bilingual = listing is not None and "/" in listing.group("rest")
    if listing and not bilingual:
        parts = plain_counts(listing.group("rest"))
        listed = sum(p[0] for p in parts)
        if parts and (len(parts) > 1 or not found) and listed > sum(f[0] for f in found.values()):
            return parts
    return [found[k] for k in sorted(found)]


def plain_counts(text: str, approximate: bool = False) -> list[tuple[int, str | None, str]]:
    """Counts with no vendor named ("47 static cameras and 9 PTZ") for an inherited vendor;
    with ``approximate``, estimates count too (``is_approximate`` tells them apart)."""
    if TOKEN in text:
        return []
    found: list[tuple[int, str | None, str]] = []
    # "Cameras: 38" / "NVRs - 2", a field label and its number
    label = re.match(r"^\W*" + devices.DEVICE + r"\s*[:=-]\s*" + devices.NUMBER + r"\b", text, re.I)
    if label:
        value = usable_number(text, label)
        if value is not None:
            return [(value, devices.device_type(label), label.group(0))]
    pattern = r"(?<![\w£$€.])" + devices.NUMBER + gap(2) + r"\s+" + devices.DEVICE + r"\b"
    for match in re.finditer(pattern, text, re.IGNORECASE):
        value = usable_number(text, match, approximate)
        if value is not None:
            found.append((value, devices.device_type(match), match.group(0)))
    return found


def types_near(text: str, vendor: str) -> tuple[str, ...]:
    """Device types written next to ``vendor`` ("Hikvision NVRs", "cameras made by Dahua")."""
    v = TOKEN + vendor
    found: dict[str, None] = {}
    after = re.compile(
        v + r"(?:\s+\(" + TOKEN + r"\w+\))?" + gap(3) + r"\s+" + devices.DEVICE, re.I
    )
    before = re.compile(
        devices.DEVICE
        + r"(?:[\s,]+[\w'()-]+){0,8}?\s+(?:made|manufactured|supplied|produced|built)"
        r"\s+by" + gap(3) + r"\s+" + v,
        re.IGNORECASE,
    )
    for pattern in (after, before):
        for match in pattern.finditer(text):
            kind = devices.device_type(match)
            if kind:
                found.setdefault(kind, None)
    return tuple(found)

"""Exemptions and refusal provisions cited by the authority, normalised for the extract-file JSON:
``FOIA s.N``, ``FOISA s.N``, ``EIR reg.12(4)(x)`` / ``EIR reg.12(5)(x)``, subsections dropped.

Which sections count:
* FOIA 2000: s.12 (cost limit), s.14 (vexatious or repeated) and the Part II exemptions,
  ss.21-44. Not s.1 (the duties), s.10 (time), s.16 (advice and assistance) or s.17 (the duty to
  give a refusal notice): they are procedure, not grounds.
* FOISA 2002: s.12 (excessive cost), s.14, s.17 (notice that information is not held), s.18
  (neither confirm nor deny) and the Part 2 exemptions, ss.25-41.
* EIR 2004: reg.12(4)(a)-(e) and reg.12(5)(a)-(g) exceptions, reg.13 (personal data); not
  reg.12(1)/(2), the public interest test and presumption in favour of disclosure.
* EISR 2004 (Scotland): reg.10(4)/(5) exceptions and reg.11, written ``EISR reg.10(5)(x)``.
"""

from __future__ import annotations

import re

from sightline.facts.layout import REQUEST, Paragraph, sentences
from sightline.facts.model import Evidence
from sightline.facts.signals import quote

FOIA_SECTIONS = {"12", "14", "21", "22", "22A", *(str(n) for n in range(23, 45))} - {"25"}
FOISA_SECTIONS = {"12", "14", "17", "18", *(str(n) for n in range(25, 42))}

_ITEM = r"(\d{1,2}[A-Z]?)(?!\d|\.\d|[A-Za-z])(?:\s*\(\s*\d{1,2}\s*\))?(?:\s*\(\s*[a-z]{1,3}\s*\))*"
_SECTION = re.compile(
    r"\b(?:sections?|secs?\.?|ss\.?|s\.|s(?=\d))\s*"
    + _ITEM
    + r"((?:(?:\s*\([^()]{3,40}\))?\s*(?:,|and|or|&)\s*"
    + _ITEM
    + r")*)",
    re.IGNORECASE,
)
_REG_ITEM = r"(\d{1,2})(?!\d)\s*(?:\(\s*(\d)\s*\))?\s*(?:\(\s*([a-g])\s*\))?"
_REGULATION = re.compile(
    r"\b(?:regulations?|regs?\.?|r\.?(?=\s*\d))\s*"
    + _REG_ITEM
    + r"((?:\s*(?:,|and|or|&)\s*(?:regulation\s+)?"
    + _REG_ITEM
    + r")*)",
    re.IGNORECASE,
)
_NOT_EXEMPT_BEFORE = re.compile(r"not (?:already )?exempt (?:under|by virtue of)\s*$", re.I)
_CONDITIONAL = re.compile(r"\b(?:may|might|could|can) (?:be engaged|apply|be applied)\b", re.I)
_CONDITION_WORD = re.compile(r"\b(?:if|where|including)\b", re.I)
_CONSIDERED = re.compile(
    r"\bwe (?:consider|believe|think|are considering)\b|\bconsider that\b", re.I
)
_OTHER_ACT = re.compile(
    r"^\s*(?:\(\s*\w+\s*\)\s*)*of the (?!(?i:freedom of information|foi\b|act\b))(?:[A-Z][\w()]*\s+){1,6}"
    r"(?:Act|Regulations)",
)
_SCOTTISH = re.compile(
    r"freedom of information \(scotland\)|\bfoisa\b|scottish information commissioner", re.I
)
_EISR = re.compile(r"environmental information \(scotland\)|\beisr\b", re.I)


def _document_law(text: str) -> str:
    return "FOISA" if _SCOTTISH.search(text) else "FOIA"


def _section_numbers(match: re.Match[str]) -> list[str]:
    numbers = [match.group(1)]
    rest = match.group(2) or ""
    numbers.extend(re.findall(r"(?:^|,|and|or|&)\s*(\d{1,2}[A-Z]?)", rest, re.IGNORECASE))
    return [n.upper() for n in numbers]


def _regulations(match: re.Match[str], scottish: bool) -> list[str]:
    found: list[str] = []
    items = [(match.group(1), match.group(2), match.group(3))]
    rest = match.group(4) or ""
    items.extend(re.findall(_REG_ITEM, rest, re.IGNORECASE))
    law = "EISR" if scottish else "EIR"
    for number, paragraph, letter in items:
        if law == "EIR" and number == "12" and paragraph in ("4", "5") and letter:
            found.append(f"EIR reg.12({paragraph})({letter.lower()})")
        elif law == "EIR" and number == "13":
            found.append("EIR reg.13")
        elif law == "EISR" and number == "10" and paragraph in ("4", "5") and letter:
            found.append(f"EISR reg.10({paragraph})({letter.lower()})")
        elif law == "EISR" and number == "11":
            found.append("EISR reg.11")
    return found


def find_exemptions(items: list[Paragraph], full_text: str) -> dict[str, Evidence]:
    """Normalised exemption -> the first quote citing it, from the authority's own words."""
    default_law = _document_law(full_text)
    scottish_env = bool(_EISR.search(full_text))
    found: dict[str, Evidence] = {}
    for p in items:
        if p.role == REQUEST:
            continue
        for sentence in sentences(p.text):
            if (
                _CONDITIONAL.search(sentence)
                and _CONDITION_WORD.search(sentence)
                and not _CONSIDERED.search(sentence)
            ):
                continue  # "the exemption at section 14 may be engaged if ..." is boilerplate
            law = default_law
            if _SCOTTISH.search(sentence):
                law = "FOISA"
            elif re.search(r"freedom of information act 2000|\bfoia\b", sentence, re.I):
                law = "FOIA"
            evidence = Evidence(quote(sentence), p.location)
            for match in _SECTION.finditer(sentence):
                if _NOT_EXEMPT_BEFORE.search(sentence[: match.start()]):
                    continue
                if _OTHER_ACT.match(sentence[match.end() :]):
                    continue
                allowed = FOISA_SECTIONS if law == "FOISA" else FOIA_SECTIONS
                for number in _section_numbers(match):
                    if number in allowed:
                        found.setdefault(f"{law} s.{number}", evidence)
            for match in _REGULATION.finditer(sentence):
                for name in _regulations(match, scottish_env):
                    found.setdefault(name, evidence)
    return found

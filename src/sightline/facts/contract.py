"""The extract-file JSON shape of an ``Extraction``."""

from __future__ import annotations

from typing import Any

from sightline.facts.model import (
    COUNT,
    DEVICE_TYPES,
    EXEMPTION,
    FACIAL_RECOGNITION,
    OWNED,
    REPLACEMENT_PLAN,
    STATUS,
    UNSPECIFIED,
    Extraction,
)
from sightline.facts.vendors import CHINESE_FAMILIES
from sightline.lifecycle import UNCLEAR_STATUS as UNCLEAR
from sightline.lifecycle import State

DEVICE_TYPE_ORDER = ("camera", "dvr", "nvr", "thermal", "other")

# The published status words (the extract-file JSON) where they are not the state's own name.
_PUBLISHED_STATUS = {
    State.PARTIALLY_ANSWERED.value: "partial",
    State.ACKNOWLEDGED.value: "acknowledgement",
    State.CLARIFICATION_REQUESTED.value: "clarification",
}


def published_status(value: str) -> str:
    """The extract-file word for a ``status`` fact's value (a request state's name)."""
    return _PUBLISHED_STATUS.get(value, value)


def _vendor(extraction: Extraction, vendor: str) -> dict[str, Any]:
    owned = extraction.get(OWNED, vendor)
    count = extraction.get(COUNT, vendor)
    types = extraction.get(DEVICE_TYPES, vendor)
    evidence = []
    for fact in (owned, count, types):
        for item in fact.evidence if fact else []:
            entry = {"quote": item.quote, "location": item.location}
            if entry not in evidence:
                evidence.append(entry)
    type_list = types.value if types and isinstance(types.value, list) else []
    return {
        "owned": owned.value if owned else "unstated",
        "count": count.value if count and isinstance(count.value, int) else None,
        "device_types": [t for t in DEVICE_TYPE_ORDER if t in type_list],
        "evidence": evidence,
    }


def contract_json(extraction: Extraction, file: str) -> dict[str, Any]:
    """``{"file", "status", "vendors", "hikvision_or_dahua_unspecified", "facial_recognition",
    "exemptions", "replacement_plan"}`` exactly as extract-file prints it."""
    status = extraction.get(STATUS)
    vendors: dict[str, Any] = {}
    for vendor in [*CHINESE_FAMILIES, *extraction.vendors()]:
        if vendor not in vendors:
            vendors[vendor] = _vendor(extraction, vendor)
    unspecified = extraction.get(UNSPECIFIED)
    fr = extraction.get(FACIAL_RECOGNITION)
    plan = extraction.get(REPLACEMENT_PLAN)
    exemptions = sorted({str(f.value) for f in extraction.all(EXEMPTION)})
    return {
        "file": file,
        "status": published_status(str(status.value)) if status else UNCLEAR,
        "vendors": vendors,
        "hikvision_or_dahua_unspecified": bool(unspecified.value) if unspecified else False,
        "facial_recognition": fr.value if fr else "unstated",
        "exemptions": exemptions,
        "replacement_plan": plan.value if plan else "unstated",
    }

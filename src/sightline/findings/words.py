"""Coded facts in words: ``owned:hikvision = yes`` reads "Owns Hikvision equipment: yes".

The labels and value words are data (``fact_words.toml``); vendor names come from whoever calls
(the vendor knowledge base), so the findings package depends on nothing about vendors.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    text = resources.files("sightline.findings").joinpath("fact_words.toml").read_text("utf-8")
    return tomllib.loads(text)


def _vendor_title(vendor_id: str) -> str:
    return vendor_id.replace("_", " ").title()


class FactWords:
    """Labels and values of facts as a reader would say them."""

    def __init__(self, vendor_name: Callable[[str], str] | None = None) -> None:
        self._vendor_name = vendor_name or _vendor_title

    def label(self, field: str, vendor: str = "") -> str:
        template = _data()["labels"].get(field)
        name = self._vendor_name(vendor) if vendor else ""
        if template is None:
            words = field.replace("_", " ")
            return f"{words} ({name})" if name else words[:1].upper() + words[1:]
        return str(template).replace("{vendor}", name).strip()

    def value(self, field: str, value: Any) -> str:
        if isinstance(value, bool):
            return str(_data()["values"]["flag"]["true" if value else "false"])
        if isinstance(value, list):
            types = _data()["device_types"]
            return ", ".join(str(types.get(str(item), item)) for item in value) or "none"
        if value is None:
            return "not given"
        if isinstance(value, int):
            return f"{value:,}"
        words = _data()["values"].get(field, {})
        return str(words.get(str(value), value))

    def statement(self, field: str, vendor: str, value: Any) -> str:
        return f"{self.label(field, vendor)}: {self.value(field, value)}"

    def split_key(self, key: str) -> tuple[str, str]:
        """``owned:hikvision`` -> (owned, hikvision); ``status`` -> (status, "")."""
        field, _, vendor = key.partition(":")
        return field, vendor

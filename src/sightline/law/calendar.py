"""UK bank holidays per nation, from the ``holidays`` package plus a file of overrides.

Bank holidays are set nation by nation under the Banking and Financial Dealings Act 1971 (Schedule 1
and proclamations under s.1(3)); substitute days are the "(observed)" entries of the package.
Christmas Day is named separately by FOIA s.10(6) and FOISA s.73, so it is always skipped.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import holidays

from sightline.errors import SightlineError
from sightline.law.laws import HolidayScope

NATIONS: tuple[str, ...] = ("england", "wales", "scotland", "northern_ireland")
NATION_LABELS: dict[str, str] = {
    "england": "England",
    "wales": "Wales",
    "scotland": "Scotland",
    "northern_ireland": "Northern Ireland",
}
_SUBDIVISIONS: dict[str, str] = {
    "england": "ENG",
    "wales": "WLS",
    "scotland": "SCT",
    "northern_ireland": "NIR",
}
SCOPE_NATIONS: dict[HolidayScope, tuple[str, ...]] = {
    HolidayScope.ANY_UK_NATION: NATIONS,
    HolidayScope.SCOTLAND: ("scotland",),
}


class OverridesError(SightlineError, ValueError):
    pass


@dataclass(frozen=True)
class Override:
    day: date
    name: str
    nations: tuple[str, ...]
    source: str
    remove: bool


def _parse_overrides(text: str, origin: str) -> tuple[Override, ...]:
    data: dict[str, Any] = tomllib.loads(text)
    found: list[Override] = []
    for kind in ("add", "remove"):
        for number, entry in enumerate(data.get(kind, []), start=1):
            where = f"{origin}: [[{kind}]] entry {number}"
            try:
                day = date.fromisoformat(str(entry["date"]))
                nations = tuple(str(n) for n in entry["nations"])
                source = str(entry["source"])
            except KeyError as missing:
                raise OverridesError(f"{where}: lacks {missing.args[0]!r}") from None
            except ValueError:
                raise OverridesError(f"{where}: date {entry['date']!r} is not YYYY-MM-DD") from None
            unknown = [n for n in nations if n not in NATIONS]
            if unknown:
                raise OverridesError(f"{where}: unknown nation(s) {', '.join(unknown)}")
            name = str(entry.get("name", ""))
            if kind == "add" and not name:
                raise OverridesError(f"{where}: an added day needs a name")
            found.append(Override(day, name, nations, source, remove=(kind == "remove")))
    return tuple(found)


def _tidy_name(name: str) -> str:
    name = name.replace("Saint ", "St ")
    if name.endswith(" (observed)"):
        name = name.removesuffix(" (observed)") + " (substitute day)"
    return name


class BankHolidayCalendar:
    """Which days are bank holidays in which UK nation, and why."""

    def __init__(self, overrides_text: str | None = None, origin: str = "overrides") -> None:
        if overrides_text is None:
            overrides_text = (
                resources.files("sightline.law").joinpath("holiday_overrides.toml").read_text()
            )
            origin = "holiday_overrides.toml"
        self.overrides = _parse_overrides(overrides_text, origin)
        package_version = getattr(holidays, "__version__", "unknown")
        # Stored beside each computed due date so a change of calendar data can be detected.
        self.version = (
            f"holidays-{package_version}+"
            + hashlib.sha256(overrides_text.encode()).hexdigest()[:12]
        )
        self._years: dict[tuple[str, int], dict[date, tuple[str, ...]]] = {}

    @classmethod
    def from_file(cls, path: Path) -> BankHolidayCalendar:
        return cls(path.read_text(encoding="utf-8"), origin=str(path))

    def holidays_of(self, nation: str, year: int) -> dict[date, tuple[str, ...]]:
        """Bank holidays of ``nation`` in ``year``: day -> names."""
        key = (nation, year)
        if key not in self._years:
            table = holidays.country_holidays("GB", subdiv=_SUBDIVISIONS[nation], years=year)
            days: dict[date, tuple[str, ...]] = {
                day: tuple(_tidy_name(n.strip()) for n in str(names).split(";"))
                for day, names in table.items()
            }
            for override in self.overrides:
                if override.day.year != year or nation not in override.nations:
                    continue
                if override.remove:
                    days.pop(override.day, None)
                elif override.day not in days:  # the package's own name wins when it has the day
                    days[override.day] = (_tidy_name(override.name),)
            self._years[key] = days
        return self._years[key]

    def closure_reason(self, day: date, scope: HolidayScope) -> str | None:
        """Why ``day`` is not a working day under ``scope`` (weekends aside), or None."""
        if day.month == 12 and day.day == 25:
            return "Christmas Day"
        nations_by_name: dict[str, list[str]] = {}
        for nation in SCOPE_NATIONS[scope]:
            for name in self.holidays_of(nation, day.year).get(day, ()):
                nations_by_name.setdefault(name, []).append(nation)
        if not nations_by_name:
            return None
        parts = []
        for name, nations in nations_by_name.items():
            if len(nations) == len(NATIONS):
                where = "all UK nations"
            else:
                where = ", ".join(NATION_LABELS[n] for n in nations)
            parts.append(f"{name} ({where})")
        return "; ".join(parts)


@lru_cache(maxsize=1)
def default_calendar() -> BankHolidayCalendar:
    return BankHolidayCalendar()

"""Counting: unique IP addresses per vendor, device type, country, region and scan date.

A device is counted once per IP address per vendor (DESIGN.md, Census), however many ports,
records or files show it. Tallies from separate files (workers, Dask tasks) merge exactly
because they keep the IP addresses, not just numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sightline.census.fingerprints import DEVICE_TYPES, VENDORS
from sightline.census.places import Place

UNKNOWN = "unknown"


@dataclass(slots=True)
class Device:
    """What is known about one (vendor, IP address)."""

    device_type: str
    strength: float
    country: str | None
    region: str | None
    dates: set[str] = field(default_factory=set)

    def absorb(self, other: Device) -> None:
        # a named device type beats "unknown"; between named ones the stronger rule wins
        if (other.device_type != UNKNOWN, other.strength) > (
            self.device_type != UNKNOWN,
            self.strength,
        ):
            self.device_type = other.device_type
            self.strength = other.strength
        self.country = self.country or other.country
        self.region = self.region or other.region
        self.dates |= other.dates


@dataclass(slots=True)
class Tally:
    records: int = 0
    matched_records: int = 0
    skipped: int = 0
    devices: dict[str, dict[str, Device]] = field(
        default_factory=lambda: {vendor: {} for vendor in VENDORS}
    )

    def add(
        self,
        ip: str,
        vendor: str,
        device_type: str,
        strength: float,
        place: Place,
        date: str | None,
    ) -> None:
        found = Device(
            device_type, strength, place.country, place.region, {date} if date else set()
        )
        known = self.devices[vendor].get(ip)
        if known is None:
            self.devices[vendor][ip] = found
        else:
            known.absorb(found)

    def merge(self, other: Tally) -> None:
        self.records += other.records
        self.matched_records += other.matched_records
        self.skipped += other.skipped
        for vendor, devices in other.devices.items():
            mine = self.devices.setdefault(vendor, {})
            for ip, device in devices.items():
                known = mine.get(ip)
                if known is None:
                    mine[ip] = Device(
                        device.device_type,
                        device.strength,
                        device.country,
                        device.region,
                        set(device.dates),
                    )
                else:
                    known.absorb(device)

    def _by(self, key: str) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for vendor in VENDORS:
            for device in self.devices[vendor].values():
                values = sorted(device.dates) if key == "date" else [getattr(device, key)]
                for value in values or [None]:
                    row = out.setdefault(value or UNKNOWN, dict.fromkeys(VENDORS, 0))
                    row[vendor] += 1
        return dict(sorted(out.items()))

    def to_json(self) -> dict[str, Any]:
        """The ``census run --json`` document (CONTRACTS.md section 4, plus extra keys)."""
        by_type = {vendor: dict.fromkeys(DEVICE_TYPES, 0) for vendor in VENDORS}
        for vendor in VENDORS:
            for device in self.devices[vendor].values():
                by_type[vendor][device.device_type] += 1
        return {
            "records": self.records,
            "matched_records": self.matched_records,
            "unique_ips": {vendor: len(self.devices[vendor]) for vendor in VENDORS},
            "by_country": self._by("country"),
            "by_device_type": by_type,
            "by_region": self._by("region"),
            "by_scan_date": self._by("date"),
            "skipped": self.skipped,
        }

    def csv_rows(self) -> list[tuple[str, str, str, int]]:
        """Tidy rows: (dimension, value, vendor, unique_ips)."""
        doc = self.to_json()
        rows: list[tuple[str, str, str, int]] = []
        for vendor in VENDORS:
            rows.append(("total", "all", vendor, doc["unique_ips"][vendor]))
        for vendor in VENDORS:
            for device_type, n in doc["by_device_type"][vendor].items():
                rows.append(("device_type", device_type, vendor, n))
        for dimension, key in (
            ("country", "by_country"),
            ("region", "by_region"),
            ("scan_date", "by_scan_date"),
        ):
            for value, per_vendor in doc[key].items():
                for vendor in VENDORS:
                    rows.append((dimension, value, vendor, per_vendor[vendor]))
        return rows

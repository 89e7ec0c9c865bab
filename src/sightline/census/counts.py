"""Counting: unique IP addresses per vendor, device type, country, region, scan date, network
(ASN, organisation, ISP), model and firmware.

A device is counted once per IP address per vendor (docs/census.md), however many ports,
records or files show it. Tallies from separate files (workers, Dask tasks) merge exactly
because they keep the IP addresses, not just numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sightline.census.fingerprints import DEVICE_TYPES, VENDORS
from sightline.census.places import Place

if TYPE_CHECKING:
    from sightline.census.matcher import Verdict
    from sightline.census.records import ScanRecord

UNKNOWN = "unknown"
#: what devices are counted by besides vendor and device type (keys of Tally.breakdowns);
#: every one but ``date`` is one value per device
BREAKDOWNS = (
    "country",
    "region",
    "asn",
    "org",
    "isp",
    "model",
    "firmware",
    "first_seen",
    "last_seen",
    "date",
)


def canonical_ip(ip: str) -> str:
    """One spelling per address, so a device is one device whichever tool wrote it: IPv6 in
    its compressed lower-case form (2001:DB8:0::1 and 2001:db8::1 are one address)."""
    if ":" not in ip:
        return ip
    import ipaddress

    try:
        return ipaddress.ip_address(ip.strip("[]")).compressed
    except ValueError:
        return ip


@dataclass(slots=True)
class Device:
    """What is known about one (vendor, IP address)."""

    device_type: str
    strength: float
    country: str | None
    region: str | None
    dates: set[str] = field(default_factory=set)
    asn: int | None = None
    org: str | None = None
    isp: str | None = None
    model: str | None = None
    firmware: str | None = None

    def copy(self) -> Device:
        return Device(
            self.device_type,
            self.strength,
            self.country,
            self.region,
            set(self.dates),
            self.asn,
            self.org,
            self.isp,
            self.model,
            self.firmware,
        )

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
        self.asn = self.asn if self.asn is not None else other.asn
        self.org = self.org or other.org
        self.isp = self.isp or other.isp
        self.model = self.model or other.model
        self.firmware = self.firmware or other.firmware


@dataclass(slots=True)
class Tally:
    records: int = 0
    matched_records: int = 0
    skipped: int = 0
    devices: dict[str, dict[str, Device]] = field(
        default_factory=lambda: {vendor: {} for vendor in VENDORS}
    )

    def add(self, record: ScanRecord, verdict: Verdict, place: Place) -> None:
        """Count one matched record under its vendor (once per IP address)."""
        assert verdict.vendor is not None
        found = Device(
            verdict.device_type or UNKNOWN,
            verdict.confidence,
            place.country,
            place.region,
            {record.date} if record.date else set(),
            record.asn,
            record.org,
            record.isp,
            verdict.model,
            verdict.firmware,
        )
        ip = canonical_ip(record.ip)
        known = self.devices[verdict.vendor].get(ip)
        if known is None:
            self.devices[verdict.vendor][ip] = found
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
                    mine[ip] = device.copy()
                else:
                    known.absorb(device)

    def breakdowns(self) -> dict[str, dict[str, dict[str, int]]]:
        """Unique IPs per vendor by each dimension (country, region, date, asn, org, isp, model,
        firmware, first_seen, last_seen), in one pass over the devices: value -> vendor ->
        count, values sorted, a device that says nothing counted under ``unknown``."""
        tables: dict[str, dict[str, dict[str, int]]] = {key: {} for key in BREAKDOWNS}
        zero = dict.fromkeys(VENDORS, 0)
        singles = [tables[key] for key in BREAKDOWNS if key != "date"]
        by_date = tables["date"]
        for vendor in VENDORS:
            for device in self.devices[vendor].values():
                dates = sorted(device.dates)
                first, last = (dates[0], dates[-1]) if dates else (None, None)
                values = (
                    device.country,
                    device.region,
                    device.asn,
                    device.org,
                    device.isp,
                    device.model,
                    device.firmware,
                    first,
                    last,
                )
                for table, value in zip(singles, values, strict=True):
                    label = UNKNOWN if value is None or value == "" else str(value)
                    row = table.get(label)
                    if row is None:
                        row = table[label] = dict(zero)
                    row[vendor] += 1
                for date in dates or (None,):
                    label = UNKNOWN if date is None or date == "" else date
                    row = by_date.get(label)
                    if row is None:
                        row = by_date[label] = dict(zero)
                    row[vendor] += 1
        return {key: dict(sorted(table.items())) for key, table in tables.items()}

    def to_json(self) -> dict[str, Any]:
        """The ``census run --json`` document (docs/formats.md and docs/census.md)."""
        by_type = {vendor: dict.fromkeys(DEVICE_TYPES, 0) for vendor in VENDORS}
        for vendor in VENDORS:
            for device in self.devices[vendor].values():
                by_type[vendor][device.device_type] += 1
        by = self.breakdowns()
        return {
            "records": self.records,
            "matched_records": self.matched_records,
            "unique_ips": {vendor: len(self.devices[vendor]) for vendor in VENDORS},
            "by_country": by["country"],
            "by_device_type": by_type,
            "by_region": by["region"],
            "by_scan_date": by["date"],
            "skipped": self.skipped,
            "by_asn": by["asn"],
            "by_org": by["org"],
            "by_isp": by["isp"],
            "by_model": by["model"],
            "by_firmware": by["firmware"],
            "by_first_seen": by["first_seen"],
            "by_last_seen": by["last_seen"],
            "seen": {vendor: self._seen(vendor) for vendor in VENDORS},
        }

    def _seen(self, vendor: str) -> dict[str, str | None]:
        """The first and last scan date any device of the vendor was seen on."""
        dates = [d for device in self.devices[vendor].values() for d in device.dates]
        return {"first": min(dates) if dates else None, "last": max(dates) if dates else None}

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
            ("asn", "by_asn"),
            ("org", "by_org"),
            ("isp", "by_isp"),
            ("model", "by_model"),
            ("firmware", "by_firmware"),
            ("first_seen", "by_first_seen"),
            ("last_seen", "by_last_seen"),
        ):
            for value, per_vendor in doc[key].items():
                for vendor in VENDORS:
                    rows.append((dimension, value, vendor, per_vendor[vendor]))
        return rows

"""Where a device is: country and region from the record, or from a MaxMind-format database.

The record's own location wins (Shodan ``location``, Censys ``location``); a user-supplied
``.mmdb`` file (GeoLite2/GeoIP2 City layout: ``country.iso_code``, ``subdivisions[].iso_code``)
fills what the record lacks, e.g. for nmap and masscan files, which carry no location. For the UK
the region is the nation as an ISO 3166-2 code: GB-ENG, GB-SCT, GB-WLS, GB-NIR.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

UK_NATIONS = {
    "ENG": "GB-ENG",
    "ENGLAND": "GB-ENG",
    "SCT": "GB-SCT",
    "SCOTLAND": "GB-SCT",
    "WLS": "GB-WLS",
    "WALES": "GB-WLS",
    "NIR": "GB-NIR",
    "NORTHERN IRELAND": "GB-NIR",
}


@dataclass(frozen=True, slots=True)
class Place:
    country: str | None
    region: str | None


def region_key(country: str | None, region: str | None) -> str | None:
    """A stable region key: GB nations as ISO 3166-2, other places as COUNTRY-REGION."""
    if not region:
        return None
    region = region.strip()
    if country == "GB":
        nation = UK_NATIONS.get(region.upper().removeprefix("GB-"))
        if nation:
            return nation
    if country and not region.upper().startswith(f"{country}-"):
        return f"{country}-{region}"
    return region


class PlaceResolver:
    """Country and region for an IP address, from the record first and a .mmdb second."""

    def __init__(self, mmdb: Path | None = None) -> None:
        self.mmdb_path = mmdb
        self._reader: Any = None
        self._known: dict[tuple[str | None, str | None], Place] = {}  # the few places a file has
        if mmdb is not None:
            import maxminddb

            self._reader = maxminddb.open_database(str(mmdb))

    def _lookup(self, ip: str) -> tuple[str | None, str | None]:
        try:
            found = self._reader.get(ip)
        except ValueError:  # not an IP address the database can look up
            return None, None
        if not isinstance(found, dict):
            return None, None
        country = (found.get("country") or found.get("registered_country") or {}).get("iso_code")
        subdivisions = found.get("subdivisions") or []
        region = subdivisions[0].get("iso_code") if subdivisions else None
        return country, region

    def resolve(self, ip: str, country: str | None, region: str | None) -> Place:
        if self._reader is None or (country and region):  # the record alone decides
            key = (country, region)
            place = self._known.get(key)
            if place is None:
                if len(self._known) > 65536:
                    self._known.clear()
                place = self._known[key] = self._from_record(country, region)
            return place
        country = country.strip().upper() if country else None
        if self._reader is not None and (not country or not region):
            found_country, found_region = self._lookup(ip)
            if not country:
                country = found_country
                region = region or found_region
            elif country == found_country and not region:
                region = found_region
        return Place(country, region_key(country, region))

    @staticmethod
    def _from_record(country: str | None, region: str | None) -> Place:
        country = country.strip().upper() if country else None
        return Place(country, region_key(country, region))

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()

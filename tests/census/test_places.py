"""Places: the record's own location first, then a MaxMind-format database (a tiny one we write)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from sightline.census.places import Place, PlaceResolver, region_key
from sightline.cli.main import cli


@pytest.mark.parametrize(
    ("country", "region", "key"),
    [
        ("GB", "ENG", "GB-ENG"),
        ("GB", "Scotland", "GB-SCT"),
        ("GB", "wales", "GB-WLS"),
        ("GB", "GB-NIR", "GB-NIR"),
        ("GB", "H9", "GB-H9"),
        ("DE", "BE", "DE-BE"),
        ("GB", None, None),
    ],
)
def test_region_keys(country: str, region: str | None, key: str | None) -> None:
    assert region_key(country, region) == key


def test_mmdb_fills_what_the_record_lacks(mmdb_file: Path) -> None:
    resolver = PlaceResolver(mmdb_file)
    try:
        # nothing in the record: both from the database
        assert resolver.resolve("198.51.100.9", None, None) == Place("GB", "GB-SCT")
        assert resolver.resolve("203.0.113.5", None, None) == Place("GB", "GB-ENG")
        assert resolver.resolve("203.0.113.200", None, None) == Place("NL", None)
        # the record's own location wins
        assert resolver.resolve("198.51.100.9", "DE", "BE") == Place("DE", "DE-BE")
        # same country, region missing: the database supplies it
        assert resolver.resolve("198.51.100.9", "gb", None) == Place("GB", "GB-SCT")
        # a different country in the record: the database's region is not borrowed
        assert resolver.resolve("198.51.100.9", "FR", None) == Place("FR", None)
        # outside every network, or not an IP address
        assert resolver.resolve("10.1.2.3", None, None) == Place(None, None)
        assert resolver.resolve("not-an-ip", None, None) == Place(None, None)
    finally:
        resolver.close()


MASSCAN = """[
{   "ip": "198.51.100.7",   "timestamp": "1606816800", "ports": [ {"port": 80, "proto": "tcp", "service": {"name": "http.server", "banner": "DNVRS-Webs"} } ] }
,
{   "ip": "203.0.113.9",   "timestamp": "1606816800", "ports": [ {"port": 80, "proto": "tcp", "service": {"name": "title", "banner": "WEB SERVICE"} } ] }
,
{   "ip": "203.0.113.140",   "timestamp": "1606816800", "ports": [ {"port": 23, "proto": "tcp", "service": {"name": "telnet", "banner": "192.0.0.64 login:"} } ] }
,
{   "ip": "192.0.2.1",   "timestamp": "1606816800", "ports": [ {"port": 80, "proto": "tcp", "service": {"name": "http.server", "banner": "Hikvision-Webs"} } ] }
]
"""


def test_census_run_with_geoip_database(tmp_path: Path, mmdb_file: Path) -> None:
    scan = tmp_path / "masscan.json"
    scan.write_text(MASSCAN, "utf-8")
    result = CliRunner().invoke(
        cli, ["census", "run", str(scan), "--geoip", str(mmdb_file), "--json"]
    )
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["unique_ips"] == {"hikvision": 3, "dahua": 1}
    assert doc["by_country"] == {
        "GB": {"hikvision": 1, "dahua": 1},
        "NL": {"hikvision": 1, "dahua": 0},
        "unknown": {"hikvision": 1, "dahua": 0},
    }
    assert doc["by_region"] == {
        "GB-ENG": {"hikvision": 0, "dahua": 1},
        "GB-SCT": {"hikvision": 1, "dahua": 0},
        "unknown": {"hikvision": 2, "dahua": 0},
    }


def test_missing_geoip_database_is_an_error(
    write_lines: Callable[..., Path], tmp_path: Path
) -> None:
    scan = write_lines("s.json", [{"ip_str": "192.0.2.1", "port": 80}])
    missing = tmp_path / "nope.mmdb"
    result = CliRunner().invoke(cli, ["census", "run", str(scan), "--geoip", str(missing)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: cannot read {missing}: no such file\n"

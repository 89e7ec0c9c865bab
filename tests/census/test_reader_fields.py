"""Every field that carries a signal is read, in every reader that has it: the challenges after
the first, nmap's named favicons and its http-headers listing."""

from __future__ import annotations

import json
from pathlib import Path

from sightline.census.readers import read_records
from sightline.census.records import ScanRecord

CHALLENGES = ['Basic realm="/"', 'Digest realm="Login to 4K01FD2PAJ6E3FF", nonce="203c8d27"']
JOINED = ", ".join(CHALLENGES)


def _only(path: Path, fmt: str) -> ScanRecord:
    _, items = read_records(path, fmt)
    (record,) = list(items)
    assert isinstance(record, ScanRecord)
    return record


def test_zgrab2_reads_every_challenge(tmp_path: Path) -> None:
    response = {"status_code": 401, "headers": {"www_authenticate": CHALLENGES}}
    row = {
        "ip": "192.0.2.1",
        "data": {"http": {"status": "success", "result": {"response": response}}},
    }
    path = tmp_path / "z.json"
    path.write_text(json.dumps(row) + "\n", "utf-8")
    assert _only(path, "zgrab2").services[0].fields == {"http.www_authenticate": JOINED}


def test_censys_reads_every_challenge(tmp_path: Path) -> None:
    service = {"port": 80, "http": {"response": {"headers": {"Www_Authenticate": CHALLENGES}}}}
    path = tmp_path / "c.json"
    path.write_text(json.dumps({"ip": "192.0.2.1", "services": [service]}) + "\n", "utf-8")
    assert _only(path, "censys").services[0].fields == {"http.www_authenticate": JOINED}


def test_nmap_reads_a_named_favicon_and_the_http_headers_listing(tmp_path: Path) -> None:
    # http-favicon prints the favicon-db name, not the MD5, for an icon nmap knows
    # (nmap/nmap@db4aefd:nselib/data/favicon-db line 115, scripts/http-favicon.nse)
    listing = "&#xa;  Server: DNVRS-Webs&#xa;  WWW-Authenticate: Basic realm=&quot;hikvision&quot;&#xa;  &#xa;  (Request type: GET)&#xa;"
    xml = (
        '<?xml version="1.0"?>\n<nmaprun scanner="nmap" start="1609459200">\n'
        '<host><status state="up"/><address addr="192.0.2.1" addrtype="ipv4"/><ports>'
        '<port protocol="tcp" portid="80"><state state="open"/><service name="http"/>'
        '<script id="http-favicon" output="Hikvision DVR"/>'
        f'<script id="http-headers" output="{listing}"/></port></ports></host>\n</nmaprun>\n'
    )
    path = tmp_path / "n.xml"
    path.write_text(xml, "utf-8")
    assert _only(path, "nmap").services[0].fields == {
        "scanner.product": "Hikvision DVR",
        "http.server": "DNVRS-Webs",
        "http.www_authenticate": 'Basic realm="hikvision"',
    }


def test_shodan_reads_headers_sent_in_capitals(tmp_path: Path) -> None:
    # header names are case-insensitive (RFC 9110 section 5.1); some firmware sends capitals
    data = (
        'HTTP/1.1 401 Unauthorized\r\nSERVER: DNVRS-Webs\r\nWWW-AUTHENTICATE: Basic realm="/"'
        "\r\nCONNECTION: close\r\n\r\n"
    )
    banner = {"ip_str": "192.0.2.1", "port": 80, "data": data, "timestamp": "2021-01-01T00:00:00"}
    path = tmp_path / "s.json"
    path.write_text(json.dumps(banner) + "\n", "utf-8")
    fields = _only(path, "shodan").services[0].fields
    assert (fields["http.server"], fields["http.www_authenticate"]) == (
        "DNVRS-Webs",
        'Basic realm="/"',
    )

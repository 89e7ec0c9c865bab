"""Exports as the tools really write them: arrays, API replies, Censys v1, ZGrab2 tls, masscan
-oL/-oX, nmap hosts that are down, a first record larger than the detection window, and a
batch with an unreadable file."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sightline.census.inputs import Problem
from sightline.census.readers import detect_format, read_records
from sightline.census.records import ScanRecord
from sightline.cli.main import cli

# Server header values: rapid7/recog xml/http_servers.xml (Hikvision-Webs);
# RTSP Server: nmap-service-probes line 11572 (Dahua Rtsp Server)
HIK = {
    "ip_str": "192.0.2.1",
    "port": 80,
    "data": "HTTP/1.1 200 OK\r\nServer: Hikvision-Webs\r\n\r\n",
    "http": {"server": "Hikvision-Webs", "title": None},
    "asn": "AS64496",
    "org": "Example Net Ltd",
    "isp": "Example Net",
    "location": {"country_code": "GB", "region_code": "ENG"},
    "timestamp": "2021-03-01T10:00:00.000000",
}
DAHUA = {
    "ip_str": "192.0.2.2",
    "port": 554,
    "data": "RTSP/1.0 200 OK\r\nServer: Dahua Rtsp Server\r\n\r\n",
    "location": {"country_code": "GB", "region_code": "SCT"},
    "timestamp": "2021-03-02T10:00:00.000000",
}
OTHER = {"ip_str": "192.0.2.3", "port": 22, "data": "SSH-2.0-OpenSSH_9.6", "timestamp": "2021"}


def records(path: Path, fmt: str = "auto") -> tuple[str, list[ScanRecord], list[Problem]]:
    used, items = read_records(path, fmt)
    got = list(items)
    return (
        used,
        [r for r in got if isinstance(r, ScanRecord)],
        [p for p in got if isinstance(p, Problem)],
    )


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, ["census", "run", *args], catch_exceptions=False)


@pytest.mark.parametrize(
    "layout",
    ["pretty-array", "compact-array", "pretty-stream", "search-result", "host-records"],
)
def test_shodan_json_documents_are_read_record_by_record(tmp_path: Path, layout: str) -> None:
    banners = [HIK, DAHUA, OTHER]
    if layout == "pretty-array":
        text = json.dumps(banners, indent=2)
    elif layout == "compact-array":
        text = json.dumps(banners)
    elif layout == "pretty-stream":  # what `jq . file.json` prints
        text = "\n".join(json.dumps(b, indent=2) for b in banners) + "\n"
    elif layout == "search-result":  # the search API reply, as saved from the website or API
        text = json.dumps({"matches": banners, "total": 3}, indent=1)
    else:  # host lookups, one per address: {"ip_str": ..., "data": [its banners]}
        text = json.dumps(
            [{"ip_str": b["ip_str"], "ports": [b["port"]], "data": [b]} for b in banners]
        )
    path = tmp_path / "export.json.gz"
    path.write_bytes(gzip.compress(text.encode()))
    used, found, problems = records(path)
    assert used == "shodan"
    assert problems == []
    assert [r.ip for r in found] == ["192.0.2.1", "192.0.2.2", "192.0.2.3"]
    result = run(str(path), "--json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert (doc["records"], doc["unique_ips"]) == (3, {"hikvision": 1, "dahua": 1})


def test_pretty_array_numbers_each_record_by_its_first_line(tmp_path: Path) -> None:
    text = json.dumps([HIK, {"ip_str": "192.0.2.9"}, DAHUA], indent=2)
    path = tmp_path / "pretty.json"
    path.write_text(text, "utf-8")
    _, found, problems = records(path)
    second = text.splitlines().index("  {", 2) + 1  # the line the second object opens on
    assert [r.line for r in found] == [2, text.splitlines().index("  {", second) + 1]
    assert problems == [Problem(str(path), second, "record lacks the field `port`")]


def test_a_first_record_beyond_the_detection_window_is_still_detected(tmp_path: Path) -> None:
    huge = dict(HIK, data="HTTP/1.1 200 OK\r\nServer: Hikvision-Webs\r\n\r\n" + "x" * 3_000_000)
    for name, text in (
        ("lines.json", json.dumps(huge) + "\n" + json.dumps(DAHUA) + "\n"),
        ("array.json", json.dumps([huge, DAHUA], indent=2)),
    ):
        path = tmp_path / name
        path.write_text(text, "utf-8")
        assert detect_format(path) == "shodan"
        _, found, problems = records(path)
        assert [r.ip for r in found] == ["192.0.2.1", "192.0.2.2"]
        assert problems == []


# A Censys v1 IPv4 host (censys-io layout): ports are top-level keys. Strings: the Hikvision
# certificate subject in rapid7/recog xml/x509_subjects.xml line 823, the realm in
# xml/http_wwwauth.xml line 151.
CENSYS_V1 = {
    "ip": "192.0.2.20",
    "ports": [80, 443],
    "protocols": ["80/http", "443/https"],
    "updated_at": "2021-04-01T08:00:00+00:00",
    "location": {"country_code": "GB", "province": "Scotland"},
    "autonomous_system": {"asn": 64500, "name": "EXAMPLE-AS", "description": "Example Net"},
    "80": {
        "http": {
            "get": {
                "status_code": 401,
                "headers": {"www_authenticate": 'Basic realm="hikvision"', "server": "webserver"},
                "title": "",
            }
        }
    },
    "443": {
        "https": {
            "tls": {
                "certificate": {
                    "parsed": {
                        "subject_dn": (
                            "C=CN, ST=ZheJiang, L=HangZhou, O=HIKVISION, OU=DVRNVR,"
                            " CN=www.hikvision.com"
                        ),
                        "issuer_dn": "C=CN, O=HIKVISION",
                    }
                }
            }
        }
    },
}


def test_censys_v1_is_detected_and_read(write_lines: Callable[..., Path]) -> None:
    path = write_lines("v1.json", [CENSYS_V1])
    used, found, problems = records(path)
    assert (used, problems) == ("censys", [])
    (host,) = found
    assert (host.ip, host.date, host.asn, host.org) == (
        "192.0.2.20",
        "2021-04-01",
        64500,
        "Example Net",
    )
    assert [s.port for s in host.services] == [80, 443]
    assert host.services[0].fields == {
        "http.server": "webserver",
        "http.www_authenticate": 'Basic realm="hikvision"',
        "http.title": "",
    }
    assert host.services[1].fields["tls.subject_dn"].endswith("CN=www.hikvision.com")
    result = CliRunner().invoke(cli, ["census", "fingerprint", str(path)])
    assert json.loads(result.stdout)["signals"] == [
        "hikvision-realm",
        "hikvision-tls-organisation",
        "hikvision-tls-common-name",
        "hikvision-tls-ou-dvrnvr",
    ]


def test_censys_v2_api_reply_and_software_labels(tmp_path: Path) -> None:
    host = {
        "ip": "192.0.2.21",
        "services": [
            {
                "port": 554,
                "service_name": "RTSP",
                "banner": "RTSP/1.0 200 OK\r\nServer: Dahua Rtsp Server\r\n\r\n",
                "software": [{"vendor": "Dahua", "product": "IP Camera", "version": "2.800"}],
            }
        ],
        "autonomous_system": {"asn": 64501, "name": "EXAMPLE2", "description": "Example Two"},
        "last_updated_at": "2021-05-01T00:00:00Z",
    }
    path = tmp_path / "search.json"
    path.write_text(json.dumps({"code": 200, "status": "OK", "result": {"hits": [host]}}))
    used, found, problems = records(path)
    assert (used, problems) == ("censys", [])
    assert found[0].services[0].fields == {
        "scanner.product": "Dahua IP Camera",
        "device.firmware": "2.800",
        "rtsp.server": "Dahua Rtsp Server",
    }
    assert found[0].asn == 64501


def test_zgrab2_tls_module_and_rtsp_banner(write_lines: Callable[..., Path]) -> None:
    record = {
        "ip": "192.0.2.30",
        "data": {
            "tls": {
                "status": "success",
                "protocol": "tls",
                "timestamp": "2021-06-01T00:00:00Z",
                "result": {
                    "handshake_log": {
                        "server_certificates": {
                            "certificate": {
                                "parsed": {
                                    "subject_dn": "CN=NVR, O=ZheJiang Dahua Technology CO.,LTD.",
                                    "issuer_dn": "CN=NVR",
                                }
                            }
                        }
                    }
                },
            },
            "rtsp554": {  # a banner-grab module named by the scan's ini file
                "status": "success",
                "port": 554,
                "result": {
                    "banner": (
                        "RTSP/1.0 401 Unauthorized\r\nCSeq: 1\r\n"
                        'WWW-Authenticate: Digest realm="Login to 4K01FD2PAJ6E3FF", nonce="1"\r\n'
                        "\r\n"
                    )
                },
            },
        },
    }
    path = write_lines("zgrab.json", [record])
    used, found, _ = records(path)
    assert used == "zgrab2"
    assert [s.fields for s in found[0].services] == [
        {
            "tls.subject_dn": "CN=NVR, O=ZheJiang Dahua Technology CO.,LTD.",
            "tls.issuer_dn": "CN=NVR",
        },
        {"rtsp.www_authenticate": 'Digest realm="Login to 4K01FD2PAJ6E3FF", nonce="1"'},
    ]
    assert found[0].date == "2021-06-01"


# masscan -oL and -oX, as masscan's out-text.c and out-xml.c lay them out
MASSCAN_LIST = """#masscan
open tcp 80 192.0.2.40 1609459200
banner tcp 80 192.0.2.40 1609459200 http.server Hikvision-Webs
banner tcp 23 192.0.2.41 1609459260 telnet 192.0.0.64 login:
banner tcp 80 192.0.2.42 1609459300 http HTTP/1.1 401 Unauthorized\\x0d\\x0aWWW-Authenticate: \
Basic realm="HIKVISION"\\x0d\\x0a\\x0d\\x0a
# end
"""
MASSCAN_XML = """<?xml version="1.0"?>
<!-- masscan v1.3 scan -->
<nmaprun scanner="masscan" start="1609459200" version="1.0-BETA"  xmloutputversion="1.03">
<scaninfo type="syn" protocol="tcp" />
<host endtime="1609459200"><address addr="192.0.2.43" addrtype="ipv4"/><ports><port \
protocol="tcp" portid="80"><state state="open" reason="syn-ack" reason_ttl="64"/></port></ports></host>
<host endtime="1609459201"><address addr="192.0.2.43" addrtype="ipv4"/><ports><port \
protocol="tcp" portid="80"><service name="http.server" banner="DNVRS-Webs"></service></port></ports></host>
<runstats><finished time="1609459300" timestr="2021-01-01 00:01:40" elapsed="100" />\
<hosts up="1" down="0" total="1" /></runstats>
</nmaprun>
"""


def test_masscan_list_output(tmp_path: Path) -> None:
    path = tmp_path / "scan.txt"
    path.write_text(MASSCAN_LIST, "utf-8")
    used, found, problems = records(path)
    assert (used, problems) == ("masscan", [])
    assert [(r.ip, r.line, r.date) for r in found] == [
        ("192.0.2.40", 2, "2021-01-01"),
        ("192.0.2.40", 3, "2021-01-01"),
        ("192.0.2.41", 4, "2021-01-01"),
        ("192.0.2.42", 5, "2021-01-01"),
    ]
    assert found[2].services[0].fields == {"telnet.banner": "192.0.0.64 login:"}
    assert found[3].services[0].fields["http.www_authenticate"] == 'Basic realm="HIKVISION"'
    result = run(str(path), "--json")
    assert json.loads(result.stdout)["unique_ips"] == {"hikvision": 3, "dahua": 0}


def test_masscan_xml_output(tmp_path: Path) -> None:
    path = tmp_path / "scan.xml"
    path.write_text(MASSCAN_XML, "utf-8")
    used, found, problems = records(path)
    assert (used, problems) == ("masscan", [])
    assert [(r.ip, r.date) for r in found] == [
        ("192.0.2.43", "2021-01-01"),
        ("192.0.2.43", "2021-01-01"),
    ]
    assert found[1].services[0].fields == {"http.server": "DNVRS-Webs"}


def test_nmap_counts_only_hosts_that_are_up(tmp_path: Path) -> None:
    down = "".join(
        f'<host><status state="down" reason="no-response" reason_ttl="0"/>'
        f'<address addr="192.0.2.{n}" addrtype="ipv4"/></host>\n'
        for n in range(100, 110)
    )
    text = (
        '<?xml version="1.0"?>\n<nmaprun scanner="nmap" start="1609459200">\n'
        + down
        + '<host><status state="up" reason="syn-ack"/><address addr="192.0.2.50" '
        'addrtype="ipv4"/><ports><port protocol="tcp" portid="80"><state state="open"/>'
        '<script id="http-server-header" output="Hikvision-Webs"/></port></ports></host>\n'
        "</nmaprun>\n"
    )
    path = tmp_path / "sweep.xml"
    path.write_text(text, "utf-8")
    _, found, problems = records(path)
    assert ([r.ip for r in found], problems) == (["192.0.2.50"], [])
    doc = json.loads(run(str(path), "--json").stdout)
    assert (doc["records"], doc["unique_ips"]["hikvision"]) == (1, 1)


def test_an_unreadable_file_is_reported_and_the_others_counted(
    write_lines: Callable[..., Path], tmp_path: Path
) -> None:
    good = write_lines("good.json", [HIK, DAHUA])
    missing = tmp_path / "missing.json.gz"
    strange = write_lines("notes.json", [{"hello": "world"}])
    folder = tmp_path / "folder"
    folder.mkdir()
    result = run(str(good), str(missing), str(strange), str(folder), "--json")
    assert result.exit_code == 3
    assert json.loads(result.stdout)["unique_ips"] == {"hikvision": 1, "dahua": 1}
    assert result.stderr.splitlines() == [
        f"Error: cannot read {missing}: no such file",
        f"Error: {strange}: unknown file format (not Shodan, Censys, ZGrab2, masscan or nmap)",
        f"Error: cannot read {folder}: it is a folder, not a file",
        "census: 3 of 4 files could not be read; the figures cover the others",
    ]
    result = run(str(missing), str(folder))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == "Error: none of the 2 files can be read"


def test_breakdowns_by_network_model_firmware_and_dates(tmp_path: Path) -> None:
    # SADP reply layout: julienblitte/UniversalScanner Hikvision.selftest (values invented)
    sadp = dict(
        HIK,
        port=37020,
        data="<ProbeMatch><DeviceDescription>DS-2CD2042WD-I</DeviceDescription><DeviceSN>X"
        "</DeviceSN><CommandPort>8000</CommandPort><SoftwareVersion>V5.4.5</SoftwareVersion>"
        "</ProbeMatch>",
        http=None,
        timestamp="2021-03-05T00:00:00",
    )
    path = tmp_path / "scan.json"
    path.write_text("\n".join(json.dumps(b) for b in (HIK, sadp, DAHUA)) + "\n")
    doc = json.loads(run(str(path), "--json").stdout)
    assert doc["by_asn"] == {
        "64496": {"hikvision": 1, "dahua": 0},
        "unknown": {"hikvision": 0, "dahua": 1},
    }
    assert doc["by_org"]["Example Net Ltd"] == {"hikvision": 1, "dahua": 0}
    assert doc["by_isp"]["Example Net"] == {"hikvision": 1, "dahua": 0}
    assert doc["by_model"]["DS-2CD2042WD-I"] == {"hikvision": 1, "dahua": 0}
    assert doc["by_firmware"]["V5.4.5"] == {"hikvision": 1, "dahua": 0}
    assert doc["by_first_seen"] == {
        "2021-03-01": {"hikvision": 1, "dahua": 0},
        "2021-03-02": {"hikvision": 0, "dahua": 1},
    }
    assert doc["by_last_seen"]["2021-03-05"] == {"hikvision": 1, "dahua": 0}
    assert doc["seen"] == {
        "hikvision": {"first": "2021-03-01", "last": "2021-03-05"},
        "dahua": {"first": "2021-03-02", "last": "2021-03-02"},
    }


@pytest.mark.parametrize("overlap", [True, False], ids=["inflate-on-a-thread", "inflate-inline"])
def test_decompression_on_a_second_thread_reads_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, overlap: bool
) -> None:
    from sightline.census import inputs

    monkeypatch.setattr(inputs, "OVERLAP_DECOMPRESSION", overlap)
    monkeypatch.setattr(inputs, "OVERLAP_MIN_BYTES", 0)
    rows = [dict(HIK, ip_str=f"10.1.{i // 250}.{i % 250}") for i in range(20_000)]
    data = "".join(json.dumps(row) + "\n" for row in rows).encode()
    whole = gzip.compress(data)
    path = tmp_path / "cut.json.gz"
    path.write_bytes(whole[: len(whole) * 3 // 4])  # cut off: the break must still be reported
    _, found, problems = records(path)
    assert 10_000 < len(found) < 20_000
    assert [r.ip for r in found] == [row["ip_str"] for row in rows[: len(found)]]
    assert [(p.line, p.message) for p in problems] == [
        (len(found) + 1, "compressed stream is truncated or corrupt")
    ]
    _, items = read_records(path)
    next(items)
    items.close()  # a reader that stops early stops the thread


def test_fingerprint_reports_an_unreadable_file_and_prints_the_others(
    write_lines: Callable[..., Path], tmp_path: Path
) -> None:
    good = write_lines("good.json", [HIK])
    missing = tmp_path / "gone.json"
    result = CliRunner().invoke(
        cli, ["census", "fingerprint", str(missing), str(good)], catch_exceptions=False
    )
    assert result.exit_code == 3
    assert [json.loads(line)["ip"] for line in result.stdout.splitlines()] == ["192.0.2.1"]
    assert result.stderr == f"Error: cannot read {missing}: no such file\n"


def test_nmap_http_auth_script_gives_the_challenge(tmp_path: Path) -> None:
    # realm: rapid7/recog xml/http_wwwauth.xml line 153 (Basic realm="hikvision")
    text = (
        '<?xml version="1.0"?>\n<nmaprun scanner="nmap" start="1609459200">\n'
        '<host><status state="up"/><address addr="192.0.2.70" addrtype="ipv4"/><ports>'
        '<port protocol="tcp" portid="80"><state state="open"/>'
        '<service name="http" product="Hikvision camera httpd" version="5.4.5"/>'
        '<script id="http-auth" output="HTTP/1.1 401 Unauthorized&#xd;&#xa;  Basic realm=hikvision">'
        '<table key="Basic"><elem key="realm">hikvision</elem></table></script>'
        "</port></ports></host>\n</nmaprun>\n"
    )
    path = tmp_path / "auth.xml"
    path.write_text(text, "utf-8")
    _, found, _ = records(path)
    assert found[0].services[0].fields == {
        "scanner.product": "Hikvision camera httpd",
        "device.firmware": "5.4.5",
        "http.www_authenticate": 'Basic realm="hikvision"',
    }


def test_counts_are_the_same_with_decompression_on_a_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sightline.census import inputs
    from sightline.census.pipeline import census_file

    monkeypatch.setattr(inputs, "OVERLAP_MIN_BYTES", 0)
    monkeypatch.setattr(inputs, "CHUNK_SIZE", 4096)  # many blocks through the thread
    rows = [
        dict((HIK, DAHUA, OTHER)[i % 3], ip_str=f"10.2.{i // 250}.{i % 250}") for i in range(3000)
    ]
    path = tmp_path / "scan.json.gz"
    path.write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in rows).encode()))
    counts = {}
    for overlap in (True, False):
        monkeypatch.setattr(inputs, "OVERLAP_DECOMPRESSION", overlap)
        counts[overlap] = census_file(str(path)).tally.to_json()
    assert counts[True] == counts[False]
    assert counts[True]["unique_ips"] == {"hikvision": 1000, "dahua": 1000}


def test_an_ipv6_address_is_one_device_however_it_is_written(
    write_lines: Callable[..., Path],
) -> None:
    rows = [dict(HIK, ip_str=ip) for ip in ("2001:DB8:0:0::1", "2001:db8::1", "2001:0db8::0:1")]
    doc = json.loads(run(str(write_lines("v6.json", rows)), "--json").stdout)
    assert (doc["records"], doc["unique_ips"]["hikvision"]) == (3, 1)


def test_a_line_across_many_blocks_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sightline.census import inputs
    from sightline.census.pipeline import census_file

    monkeypatch.setattr(inputs, "CHUNK_SIZE", 1000)
    long = dict(HIK, http={"server": "Hikvision-Webs", "html": "x" * 25_000})
    path = tmp_path / "long.json"
    path.write_text("\n".join(json.dumps(r) for r in (DAHUA, long, OTHER, long)), "utf-8")
    _, found, problems = records(path)
    assert ([r.ip for r in found], problems) == (
        ["192.0.2.2", "192.0.2.1", "192.0.2.3", "192.0.2.1"],
        [],
    )
    assert found[1].services[0].fields["http.body"] == "x" * 25_000
    result = census_file(str(path))
    assert (result.tally.records, result.problems) == (4, [])
    assert result.tally.to_json()["unique_ips"] == {"hikvision": 1, "dahua": 1}

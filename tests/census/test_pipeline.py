"""Exact counts on generated ground truth, however the files are read (prefilter, pool, Dask)."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sightline.census.pipeline import census_file, fingerprint_file, run_census

# (vendor, device type) each kind of generated banner is known to be, and how to make it
KINDS: dict[str, tuple[str | None, str | None]] = {
    "hik-app-webs": ("hikvision", "camera"),
    "hik-telnet": ("hikvision", "unknown"),
    "dahua-rtsp": ("dahua", "unknown"),
    "lorex-realm": ("dahua", "dvr"),
    "nginx": (None, None),
    "ssh": (None, None),
    "weak-webs": (None, None),  # bare "Webs" alone is not enough
}


# autonomous systems from the documentation range (RFC 5398), with invented names
NETWORKS = [("AS64496", 64496, "Example Net Ltd", "Example Net"), ("AS64511", 64511, "Other", None)]


def banner(
    kind: str, ip: str, country: str, region: str, date: str, port: int, network: int = 0
) -> dict[str, Any]:
    asn, _, org, isp = NETWORKS[network]
    base: dict[str, Any] = {
        "asn": asn,
        "org": org,
        "isp": isp,
        "ip_str": ip,
        "port": port,
        "transport": "tcp",
        "timestamp": f"{date}T12:00:00.000000",
        "location": {"country_code": country, "region_code": region, "city": "X"},
        "hostnames": [],
        "_shodan": {"module": "http", "id": "x"},
    }
    if kind == "hik-app-webs":
        base["data"] = "HTTP/1.1 200 OK\r\nServer: App-webs/\r\n\r\n"
        base["http"] = {"server": "App-webs/", "title": None, "html": "<html></html>"}
    elif kind == "hik-telnet":
        base["data"] = "192.0.0.64 login: "
        base["_shodan"]["module"] = "telnet"
    elif kind == "dahua-rtsp":
        base["data"] = "RTSP/1.0 200 OK\r\nServer: Dahua Rtsp Server\r\nCSeq: 1\r\n\r\n"
        base["_shodan"]["module"] = "rtsp-tcp"
    elif kind == "lorex-realm":
        base["data"] = (
            "HTTP/1.1 401 Unauthorized\r\n"
            'WWW-Authenticate: Digest realm="Login to ND011811000000", nonce="ec3682ef24b2"\r\n\r\n'
        )
        base["http"] = {"server": None, "title": "Login", "html": "Please login to continue"}
    elif kind == "nginx":
        base["data"] = "HTTP/1.1 200 OK\r\nServer: nginx\r\n\r\n"
        base["http"] = {"server": "nginx", "title": "Welcome to nginx!", "html": "website"}
    elif kind == "weak-webs":
        base["data"] = "HTTP/1.0 200 OK\r\nServer: Webs\r\n\r\n"
        base["http"] = {"server": "Webs", "title": "index", "html": "<p>websocket</p>"}
    else:
        base["data"] = "SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.1\n"
        base["_shodan"]["module"] = "ssh"
    return base


def ground_truth(seed: int = 11, hosts: int = 400) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Banners for random hosts, and the counts they must give (computed from the plan)."""
    rng = random.Random(seed)
    places = [("GB", "ENG"), ("GB", "SCT"), ("GB", "Wales"), ("GB", "NIR"), ("DE", "BE")]
    banners: list[dict[str, Any]] = []
    devices: dict[str, dict[str, dict[str, Any]]] = {"hikvision": {}, "dahua": {}}
    for n in range(hosts):
        ip = f"203.0.{n // 250}.{n % 250 + 1}"
        country, region = rng.choice(places)
        network = n % 2
        kinds = rng.sample(sorted(KINDS), k=rng.randint(1, 3))
        for kind in kinds:
            for date in rng.sample(["2020-12-01", "2020-12-02"], k=rng.randint(1, 2)):
                port = {"hik-telnet": 23, "dahua-rtsp": 554, "ssh": 22}.get(kind, 80)
                banners.append(banner(kind, ip, country, region, date, port, network))
                vendor, device_type = KINDS[kind]
                if vendor is None:
                    continue
                known = devices[vendor].setdefault(
                    ip,
                    {
                        "type": "unknown",
                        "country": country,
                        "region": region,
                        "dates": set(),
                        "network": network,
                    },
                )
                if device_type != "unknown":
                    known["type"] = device_type
                known["dates"].add(date)
    rng.shuffle(banners)
    nations = {"ENG": "GB-ENG", "SCT": "GB-SCT", "Wales": "GB-WLS", "NIR": "GB-NIR", "BE": "DE-BE"}
    expected: dict[str, Any] = {
        "records": len(banners),
        "matched_records": sum(
            1
            for b in banners
            if b["data"].startswith(("RTSP", "192.0.0.64"))
            or "App-webs" in b["data"]
            or "Login to ND" in b["data"]
        ),
        "unique_ips": {v: len(d) for v, d in devices.items()},
        "by_country": {},
        "by_device_type": {
            v: {
                t: sum(1 for x in d.values() if x["type"] == t)
                for t in ("camera", "dvr", "nvr", "unknown")
            }
            for v, d in devices.items()
        },
        "by_region": {},
        "by_scan_date": {},
        "skipped": 0,
        "by_asn": {},
        "by_org": {},
        "by_isp": {},
        "by_model": {},
        "by_firmware": {},
        "by_first_seen": {},
        "by_last_seen": {},
        "seen": {},
    }
    for vendor, found in devices.items():
        for device in found.values():
            for key, value in (
                ("by_country", device["country"]),
                ("by_region", nations[device["region"]]),
            ):
                row = expected[key].setdefault(value, {"hikvision": 0, "dahua": 0})
                row[vendor] += 1
            _, asn, org, isp = NETWORKS[device["network"]]
            dates = sorted(device["dates"])
            for key, value in (
                ("by_asn", str(asn)),
                ("by_org", org),
                ("by_isp", isp or "unknown"),
                ("by_model", "unknown"),
                ("by_firmware", "unknown"),
                ("by_first_seen", dates[0]),
                ("by_last_seen", dates[-1]),
            ):
                row = expected[key].setdefault(value, {"hikvision": 0, "dahua": 0})
                row[vendor] += 1
            for date in dates:
                row = expected["by_scan_date"].setdefault(date, {"hikvision": 0, "dahua": 0})
                row[vendor] += 1
        every = sorted(d for device in found.values() for d in device["dates"])
        expected["seen"][vendor] = {"first": every[0], "last": every[-1]}
    for key in expected:
        if key.startswith("by_") and key != "by_device_type":
            expected[key] = dict(sorted(expected[key].items()))
    return banners, expected


@pytest.fixture(scope="module")
def truth() -> tuple[list[dict[str, Any]], dict[str, Any]]:
    return ground_truth()


@pytest.mark.parametrize("prefilter", [True, False], ids=["prefilter", "full-decode"])
def test_counts_are_exact_on_ground_truth(
    truth: tuple[list[dict[str, Any]], dict[str, Any]],
    write_lines: Callable[..., Path],
    prefilter: bool,
) -> None:
    banners, expected = truth
    path = write_lines("truth.json.gz", banners, gz=True)
    result = census_file(str(path), "auto", prefilter=prefilter)
    assert result.format == "shodan"
    assert result.problems == []
    assert result.tally.to_json() == expected
    assert expected["unique_ips"]["hikvision"] > 50 and expected["unique_ips"]["dahua"] > 50


def test_fingerprint_gives_one_verdict_per_record(
    truth: tuple[list[dict[str, Any]], dict[str, Any]], write_lines: Callable[..., Path]
) -> None:
    banners, _ = truth
    path = write_lines("truth.json", banners)
    verdicts = list(fingerprint_file(str(path)))
    assert len(verdicts) == len(banners)
    for row, made in zip(verdicts, banners, strict=True):
        assert isinstance(row, dict)
        assert (row["ip"], row["port"]) == (made["ip_str"], made["port"])
        kind = next(
            k for k in KINDS if banner(k, "x", "GB", "ENG", "2020-12-01", 1)["data"] == made["data"]
        )
        assert (row["vendor"], row["device_type"]) == KINDS[kind]
        assert bool(row["signals"]) == (kind != "nginx" and kind != "ssh")


def test_split_files_on_two_workers_give_the_same_counts(
    truth: tuple[list[dict[str, Any]], dict[str, Any]], write_lines: Callable[..., Path]
) -> None:
    banners, expected = truth
    parts = [write_lines(f"part{i}.json.gz", banners[i::3], gz=True) for i in range(3)]
    tally, results = run_census([str(p) for p in parts], ["shodan"] * 3, workers=2)
    assert [r.path for r in results] == [str(p) for p in parts]
    assert tally.to_json() == expected


def test_small_chunks_blank_lines_and_bad_lines_number_the_same_either_way(
    truth: tuple[list[dict[str, Any]], dict[str, Any]],
    write_lines: Callable[..., Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # chunks of 700 bytes split records across reads; blank and bad lines are sprinkled in
    monkeypatch.setattr("sightline.census.inputs.CHUNK_SIZE", 700)
    banners, _ = truth
    lines: list[dict[str, Any] | bytes] = []
    bad_at = []
    for n, row in enumerate(banners[:300]):
        if n % 37 == 5:
            lines.append(b"")
        if n % 53 == 7:
            lines.append(b'{"ip_str": "192.0.2.1", "port": 80, "data": "cut')
            bad_at.append(len(lines))
        lines.append(row)
    path = write_lines("sprinkled.json.gz", lines, gz=True)
    fast = census_file(str(path), prefilter=True)
    slow = census_file(str(path), prefilter=False)
    assert [p.line for p in fast.problems] == bad_at
    assert fast.problems == slow.problems
    assert fast.tally.to_json() == slow.tally.to_json()
    assert fast.tally.records == 300


def test_prefilter_finds_strings_however_the_json_escapes_them(
    write_lines: Callable[..., Path],
) -> None:
    # the same page body written by Python (ensure_ascii), Go (HTML-safe escapes), and raw UTF-8
    bodies = [
        b'"<li id=\\"DSS-help\\">"',
        b'"\\u003cli id=\\"DSS-help\\"\\u003e"',
        '"版权 杭州海康威视系统技术有限公司"'.encode(),
        b'"\\u676d\\u5dde\\u6d77\\u5eb7\\u5a01\\u89c6\\u7cfb\\u7edf\\u6280\\u672f\\u6709\\u9650'
        b'\\u516c\\u53f8"',
    ]
    lines = [
        b'{"ip_str": "192.0.2.%d", "port": 80, "data": "", "http": {"html": %s}}' % (n, body)
        for n, body in enumerate(bodies, start=1)
    ]
    path = write_lines("escaped.json", lines)
    fast = census_file(str(path), prefilter=True)
    assert fast.tally.to_json()["unique_ips"] == {"hikvision": 2, "dahua": 2}
    assert fast.tally.to_json() == census_file(str(path), prefilter=False).tally.to_json()


def test_workers_report_records_read_as_they_go(
    truth: tuple[list[dict[str, Any]], dict[str, Any]], write_lines: Callable[..., Path]
) -> None:
    banners, _ = truth
    parts = [write_lines(f"p{i}.json", banners[i::2]) for i in range(2)]
    seen: list[int] = []
    finished: list[str] = []
    tally, _ = run_census(
        [str(p) for p in parts],
        ["shodan", "shodan"],
        workers=2,
        on_records=seen.append,
        on_file=lambda result: finished.append(Path(result.path).name),
    )
    assert sum(seen) == len(banners) == tally.records
    assert finished == ["p0.json", "p1.json"]


@pytest.mark.parametrize("prefilter", [True, False], ids=["prefilter", "full-decode"])
def test_an_endless_line_is_dropped_without_filling_memory(
    write_lines: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, prefilter: bool
) -> None:
    monkeypatch.setattr("sightline.census.inputs.CHUNK_SIZE", 1000)
    monkeypatch.setattr("sightline.census.inputs.MAX_LINE_BYTES", 5000)
    good = {"ip_str": "192.0.2.1", "port": 80, "http": {"server": "App-webs/"}}
    huge = b'{"ip_str": "192.0.2.2", "port": 80, "data": "' + b"x" * 20000 + b'"}'
    path = write_lines("huge.json", [good, huge, good, huge])
    result = census_file(str(path), prefilter=prefilter)
    assert [(p.line, p.message) for p in result.problems] == [
        (2, "line longer than 5,000 bytes"),
        (4, "line longer than 5,000 bytes"),
    ]
    assert (result.tally.records, result.tally.skipped) == (2, 2)


def test_favicon_lines_are_checked_before_a_full_decode(
    write_lines: Callable[..., Path], tmp_path: Path
) -> None:
    import base64
    import hashlib

    icon, other = b"\x00\x01hikvision-like icon bytes", b"\x00\x02some other icon"
    rules = tmp_path / "rules.toml"
    rules.write_text(
        '[[rule]]\nid = "test-favicon"\nvendor = "hikvision"\nfield = "http.favicon.md5"\n'
        f'match = "exact"\npattern = "{hashlib.md5(icon).hexdigest()}"\nconfidence = 0.9\n'
        'source = "a test"\n',
        "utf-8",
    )

    def row(n: int, data: bytes | None) -> dict[str, Any]:
        http: dict[str, Any] = {"server": "nginx", "html": "<link rel='icon' href='favicon.ico'>"}
        if data is not None:
            http["favicon"] = {"hash": 1, "data": base64.encodebytes(data).decode()}
        return {"ip_str": f"192.0.2.{n}", "port": 80, "data": "HTTP/1.1 200 OK", "http": http}

    path = write_lines("icons.json", [row(1, icon), row(2, other), row(3, None), row(4, icon)])
    fast = census_file(str(path), rules_path=str(rules), prefilter=True)
    slow = census_file(str(path), rules_path=str(rules), prefilter=False)
    assert fast.tally.to_json() == slow.tally.to_json()
    assert sorted(fast.tally.devices["hikvision"]) == ["192.0.2.1", "192.0.2.4"]
    assert fast.tally.records == 4


def test_many_favicon_lines_in_one_chunk_are_each_decoded_once(
    write_lines: Callable[..., Path], tmp_path: Path
) -> None:
    import base64
    import hashlib

    icon = b"\x00\x01hikvision-like icon bytes"
    rules = tmp_path / "rules.toml"
    rules.write_text(
        '[[rule]]\nid = "test-favicon"\nvendor = "hikvision"\nfield = "http.favicon.md5"\n'
        f'match = "exact"\npattern = "{hashlib.md5(icon).hexdigest()}"\nconfidence = 0.9\n'
        'source = "a test"\n',
        "utf-8",
    )
    encoded = base64.encodebytes(icon).decode()
    rows = [
        {
            "ip_str": f"10.3.{n // 250}.{n % 250}",
            "port": 80,
            "http": {"server": "nginx", "favicon": {"hash": 1, "data": encoded}}
            if n % 3 != 1
            else {"server": "nginx"},
        }
        for n in range(900)
    ]
    path = write_lines("icons.json", rows)
    fast = census_file(str(path), rules_path=str(rules), prefilter=True)
    slow = census_file(str(path), rules_path=str(rules), prefilter=False)
    assert fast.tally.to_json() == slow.tally.to_json()
    assert sorted(fast.tally.devices["hikvision"]) == sorted(
        row["ip_str"] for n, row in enumerate(rows) if n % 3 != 1
    )
    assert (fast.tally.records, fast.tally.matched_records) == (900, 600)


def test_a_non_utf8_line_no_rule_can_match_is_still_reported(
    write_lines: Callable[..., Path],
) -> None:
    # the lean decode skips `data` without checking its bytes: the block's UTF-8 check finds it
    lines = [
        b'{"ip_str": "192.0.2.1", "port": 80, "data": "ok"}',
        b'{"ip_str": "192.0.2.2", "port": 80, "data": "caf\xe9"}',
        b'{"ip_str": "192.0.2.3", "port": 80, "data": "Server: Hikvision-Webs"}',
        '{"ip_str": "192.0.2.4", "port": 80, "data": "café"}'.encode(),
    ]
    path = write_lines("latin1.json", lines)
    fast = census_file(str(path), "shodan", prefilter=True)
    slow = census_file(str(path), "shodan", prefilter=False)
    assert [str(p) for p in fast.problems] == [
        f"{path}:2: not UTF-8 (invalid byte 0xe9 at byte 49)"
    ]
    assert fast.problems == slow.problems
    assert (fast.tally.records, fast.tally.skipped) == (3, 1)
    assert fast.tally.to_json() == slow.tally.to_json()


def test_lines_that_do_not_start_a_record_number_the_same_either_way(
    truth: tuple[list[dict[str, Any]], dict[str, Any]],
    write_lines: Callable[..., Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # indented, whitespace-only and CRLF lines; blocks of 900 bytes cut lines at many places,
    # so many lines come as the head of the next block
    monkeypatch.setattr("sightline.census.inputs.CHUNK_SIZE", 900)
    banners, _ = truth
    lines: list[dict[str, Any] | bytes] = []
    for n, row in enumerate(banners[:200]):
        text = json.dumps(row).encode()
        if n % 29 == 3:
            lines.append(b"  " + text)
        elif n % 31 == 4:
            lines.append(b" \t")
            lines.append(text)
        elif n % 23 == 5:
            lines.append(text + b"\r")
        elif n % 41 == 6:
            lines.append(b'{"ip_str": "192.0.2.9", "port": "eighty"}')
            lines.append(text)
        else:
            lines.append(text)
    path = write_lines("irregular.json.gz", lines, gz=True)
    fast = census_file(str(path), prefilter=True)
    slow = census_file(str(path), prefilter=False)
    assert fast.problems == slow.problems
    assert [p.line for p in fast.problems] == [
        n + 1
        for n, line in enumerate(lines)
        if line == b'{"ip_str": "192.0.2.9", "port": "eighty"}'
    ]
    assert fast.tally.to_json() == slow.tally.to_json()
    assert fast.tally.records == 200

"""``sightline census run`` and ``sightline census fingerprint`` as docs/formats.md gives them."""

from __future__ import annotations

import csv
import json
import random
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sightline.cli.main import cli

HIK = {
    "ip_str": "192.0.2.1",
    "port": 80,
    "data": "HTTP/1.1 200 OK\r\nServer: Hikvision-Webs\r\n\r\n",
    "http": {"server": "Hikvision-Webs"},
    "location": {"country_code": "GB", "region_code": "ENG"},
    "timestamp": "2020-12-01T00:00:00",
}
DAHUA = {
    "ip_str": "192.0.2.2",
    "port": 554,
    "data": "RTSP/1.0 200 OK\r\nServer: Dahua Rtsp Server\r\n\r\n",
    "location": {"country_code": "GB", "region_code": "SCT"},
    "timestamp": "2020-12-02T00:00:00",
}
OTHER = {
    "ip_str": "192.0.2.99",
    "port": 22,
    "data": "SSH-2.0-OpenSSH_8.9",
    "location": {"country_code": "GB"},
    "timestamp": "2020-12-01T00:00:00",
}
CONTRACT_KEYS = {"records", "matched_records", "unique_ips", "by_country", "by_device_type"}
BREAKDOWNS = {
    "by_asn",
    "by_org",
    "by_isp",
    "by_model",
    "by_firmware",
    "by_first_seen",
    "by_last_seen",
    "seen",
}


def invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_run_json_has_the_contract_shape(write_lines: Callable[..., Path]) -> None:
    path = write_lines("scan.json.gz", [HIK, DAHUA, OTHER], gz=True)
    result = invoke("census", "run", str(path), "--json")
    assert result.exit_code == 0
    assert result.stderr == ""
    doc = json.loads(result.stdout)
    assert set(doc) == CONTRACT_KEYS | {"by_region", "by_scan_date", "skipped"} | BREAKDOWNS
    assert doc["records"] == 3
    assert doc["matched_records"] == 2
    assert doc["unique_ips"] == {"hikvision": 1, "dahua": 1}
    assert doc["by_country"] == {"GB": {"hikvision": 1, "dahua": 1}}
    assert doc["by_device_type"] == {
        "hikvision": {"camera": 1, "dvr": 0, "nvr": 0, "unknown": 0},
        "dahua": {"camera": 0, "dvr": 0, "nvr": 0, "unknown": 1},
    }
    assert doc["by_region"] == {
        "GB-ENG": {"hikvision": 1, "dahua": 0},
        "GB-SCT": {"hikvision": 0, "dahua": 1},
    }
    assert doc["by_scan_date"] == {
        "2020-12-01": {"hikvision": 1, "dahua": 0},
        "2020-12-02": {"hikvision": 0, "dahua": 1},
    }
    assert doc["skipped"] == 0


def test_fingerprint_jsonl_lines(write_lines: Callable[..., Path]) -> None:
    path = write_lines("scan.json", [HIK, DAHUA, OTHER])
    result = invoke("census", "fingerprint", str(path), "--jsonl")
    assert result.exit_code == 0
    assert [json.loads(line) for line in result.stdout.splitlines()] == [
        {
            "ip": "192.0.2.1",
            "port": 80,
            "vendor": "hikvision",
            "device_type": "camera",
            "signals": ["hikvision-http-server-webs"],
        },
        {
            "ip": "192.0.2.2",
            "port": 554,
            "vendor": "dahua",
            "device_type": "unknown",
            "signals": ["dahua-rtsp-server"],
        },
        {"ip": "192.0.2.99", "port": 22, "vendor": None, "device_type": None, "signals": []},
    ]


def bad_lines() -> list[bytes | dict[str, Any]]:
    return [
        HIK,
        b'{"ip_str": "192.0.2.5", "port": 80,',
        b'{"ip_str": "192.0.2.6\xff", "port": 80}',
        b'{"ip_str": "192.0.2.7"}',
        b'{"ip_str": "192.0.2.8", "port": "80"}',
        b"",
        DAHUA,
    ]


def expected_bad_stderr(path: Path) -> str:
    return (
        f"skipped {path}:2: invalid JSON: the record ends early\n"
        f"skipped {path}:3: not UTF-8 (invalid byte 0xff at byte 22)\n"
        f"skipped {path}:4: record lacks the field `port`\n"
        f"skipped {path}:5: field `port` has the wrong type (a string)\n"
        "census: 4 malformed record(s) skipped\n"
    )


def test_run_reports_each_bad_line_and_keeps_going(write_lines: Callable[..., Path]) -> None:
    path = write_lines("bad.json", bad_lines())
    result = invoke("census", "run", str(path), "--json")
    assert result.exit_code == 0
    assert result.stderr == expected_bad_stderr(path)
    doc = json.loads(result.stdout)
    assert (doc["records"], doc["skipped"], doc["unique_ips"]) == (
        2,
        4,
        {"hikvision": 1, "dahua": 1},
    )


def test_fingerprint_reports_the_same_bad_lines(write_lines: Callable[..., Path]) -> None:
    path = write_lines("bad.json.gz", bad_lines(), gz=True)
    result = invoke("census", "fingerprint", str(path), "--jsonl")
    assert result.exit_code == 0
    assert result.stderr == expected_bad_stderr(path)
    assert [json.loads(line)["ip"] for line in result.stdout.splitlines()] == [
        "192.0.2.1",
        "192.0.2.2",
    ]


def test_truncated_gzip_keeps_the_lines_before_the_break(tmp_path: Path) -> None:
    rng = random.Random(3)
    rows = [
        dict(HIK, ip_str=f"192.0.2.{i}", html="".join(rng.choices("abcdef ", k=20000)))
        for i in range(1, 9)
    ]
    packer = zlib.compressobj(6, zlib.DEFLATED, 31)
    data = b""
    ends = []
    for row in rows:
        data += packer.compress(json.dumps(row).encode() + b"\n")
        data += packer.flush(zlib.Z_SYNC_FLUSH)
        ends.append(len(data))
    cut = (ends[4] + ends[5]) // 2  # in the middle of the sixth record
    path = tmp_path / "cut.json.gz"
    path.write_bytes(data[:cut])
    kept = zlib.decompressobj(31).decompress(data[:cut]).count(b"\n")
    assert kept == 5
    result = invoke("census", "run", str(path), "--json")
    assert result.exit_code == 0
    assert result.stderr == (
        f"skipped {path}:6: compressed stream is truncated or corrupt\n"
        "census: 1 malformed record(s) skipped\n"
    )
    doc = json.loads(result.stdout)
    assert (doc["records"], doc["skipped"], doc["unique_ips"]["hikvision"]) == (5, 1, 5)


def test_mislabelled_format_is_reported_not_fatal(write_lines: Callable[..., Path]) -> None:
    path = write_lines("scan.json", [HIK, OTHER])
    result = invoke("census", "run", str(path), "--format", "nmap", "--json")
    assert result.exit_code == 0
    assert result.stderr == (
        f"skipped {path}:1: not nmap XML or broken XML at line 1, column 1\n"
        "census: 1 malformed record(s) skipped\n"
    )
    assert json.loads(result.stdout)["records"] == 0
    result = invoke("census", "run", str(path), "--format", "censys", "--json")
    assert result.stderr == (
        f"skipped {path}:1: record lacks the field `ip`\n"
        f"skipped {path}:2: record lacks the field `ip`\n"
        "census: 2 malformed record(s) skipped\n"
    )


@pytest.mark.parametrize("command", ["run", "fingerprint"])
def test_unknown_format_and_missing_file_exit_1(
    write_lines: Callable[..., Path], tmp_path: Path, command: str
) -> None:
    path = write_lines("notes.json", [{"hello": "world"}])
    result = invoke("census", command, str(path))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {path}: unknown file format (not Shodan, Censys, ZGrab2, masscan or nmap)\n"
    )
    assert result.stdout == ""
    missing = tmp_path / "missing.json.gz"
    result = invoke("census", command, str(missing))
    assert result.exit_code == 1
    assert result.stderr == f"Error: cannot read {missing}: no such file\n"


def test_csv_and_chart_outputs(write_lines: Callable[..., Path], tmp_path: Path) -> None:
    path = write_lines("scan.json", [HIK, DAHUA, OTHER])
    table = tmp_path / "census.csv"
    spec = tmp_path / "chart.json"
    page = tmp_path / "chart.html"
    result = invoke("census", "run", str(path), "--csv", str(table), "--chart", str(spec))
    assert result.exit_code == 0
    assert "hikvision: 1 unique IP addresses (camera 1)" in result.stdout
    rows = list(csv.reader(table.read_text("utf-8").splitlines()))
    assert rows[0] == ["dimension", "value", "vendor", "unique_ips"]
    assert ["total", "all", "hikvision", "1"] in rows
    assert ["device_type", "unknown", "dahua", "1"] in rows
    assert ["region", "GB-SCT", "dahua", "1"] in rows
    assert ["scan_date", "2020-12-02", "hikvision", "0"] in rows
    chart = json.loads(spec.read_text("utf-8"))
    assert chart["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    assert {"country": "GB", "vendor": "Dahua", "devices": 1} in chart["data"]["values"]
    result = invoke("census", "run", str(path), "--chart", str(page), "--json")
    assert result.exit_code == 0
    html = page.read_text("utf-8")
    assert "vegaEmbed" in html and "https://cdn" not in html  # self-contained
    picture = tmp_path / "chart.svg"
    result = invoke("census", "run", str(path), "--chart", str(picture), "--json")
    assert result.exit_code == 0
    svg = picture.read_text("utf-8")
    assert svg.startswith("<svg") and ">Hikvision</text>" in svg and ">GB</text>" in svg
    result = invoke("census", "run", str(path), "--chart", str(tmp_path / "chart.txt"))
    assert result.exit_code == 1
    assert result.stderr == "Error: chart file must end in .html, .svg, .png or .json, not .txt\n"


def test_progress_bar_does_not_disturb_json(write_lines: Callable[..., Path]) -> None:
    path = write_lines("scan.json", [HIK, DAHUA])
    result = invoke("census", "run", str(path), "--json", "--progress")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["unique_ips"] == {"hikvision": 1, "dahua": 1}


def test_commands_are_documented() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "commands.md").read_text("utf-8")
    assert "## sightline census run" in docs
    assert "## sightline census fingerprint" in docs


def test_a_broken_rule_file_and_an_unwritable_csv_are_errors(
    write_lines: Callable[..., Path], tmp_path: Path
) -> None:
    path = write_lines("scan.json", [HIK])
    rules = tmp_path / "rules.toml"
    rules.write_text('[[rule]]\nid = "x"\nvendor = "axis"\n', "utf-8")
    for command in ("run", "fingerprint"):
        result = invoke("census", command, str(path), "--rules", str(rules))
        assert result.exit_code == 1
        assert result.stderr == (
            f"Error: {rules}: rule x: vendor must be one of hikvision, dahua\n"
        )
    table = tmp_path / "no-such-folder" / "out.csv"
    result = invoke("census", "run", str(path), "--csv", str(table))
    assert result.exit_code == 1
    assert result.stderr == f"Error: cannot write {table}: No such file or directory\n"


def test_fingerprint_on_two_workers_keeps_input_order(write_lines: Callable[..., Path]) -> None:
    files = [
        write_lines("a.json", [HIK, OTHER]),
        write_lines("b.json.gz", bad_lines(), gz=True),
        write_lines("c.json", [DAHUA, HIK]),
    ]
    names = [str(f) for f in files]
    one = invoke("census", "fingerprint", *names, "--workers", "1")
    two = invoke("census", "fingerprint", *names, "--workers", "2")
    assert one.exit_code == two.exit_code == 0
    assert two.stdout == one.stdout
    assert two.stderr == one.stderr == expected_bad_stderr(files[1])
    assert [json.loads(line)["ip"] for line in two.stdout.splitlines()] == [
        "192.0.2.1",
        "192.0.2.99",
        "192.0.2.1",
        "192.0.2.2",
        "192.0.2.2",
        "192.0.2.1",
    ]


def test_census_run_loads_only_what_a_shodan_file_needs(tmp_path: Path) -> None:
    # start-up is part of every run: no Django, no facts extractor, no progress bar, no Dask,
    # no XML parser (nmap), no other format's reader, nothing only a crash report or a cache
    # write needs
    import subprocess
    import sys

    path = tmp_path / "scan.json"
    path.write_text("".join(json.dumps(row) + "\n" for row in (HIK, DAHUA, OTHER)))
    probe = (
        "import atexit, sys; atexit.register(lambda: print(' '.join(sys.modules), file=sys.stderr));"
        f"sys.argv = ['sightline', 'census', 'run', {str(path)!r}, '--json', '--no-progress'];"
        "from sightline.cli.main import main; main()"
    )
    for _ in range(2):  # the first run may compile and cache the pattern databases
        done = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, check=True
        )
    assert json.loads(done.stdout)["unique_ips"] == {"hikvision": 1, "dahua": 1}
    loaded = set(done.stderr.split())
    assert "sightline.census.readers.shodan" in loaded
    unwanted = {
        "django",
        "sightline.facts",
        "sightline.documents",
        "rich",
        "distributed",
        "dask",
        "xml.etree.ElementTree",
        "defusedxml",
        "sightline.census.readers.nmap",
        "sightline.census.readers.censys",
        "sightline.census.readers.zgrab2",
        "sightline.jsonstream",
        "traceback",
        "secrets",
        "tempfile",
    }
    assert loaded & unwanted == set()


def test_census_run_inflates_its_one_file_while_it_starts_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gzip
    import threading

    from sightline.census import inputs

    monkeypatch.setattr(inputs, "CHUNK_SIZE", 4096)
    monkeypatch.setattr(inputs, "OVERLAP_MIN_BYTES", 0)
    rows = [dict(HIK, ip_str=f"192.0.2.{n % 200}") for n in range(400)] + [OTHER] * 400
    path = tmp_path / "scan.json.gz"
    path.write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in rows).encode()))
    taken: list[object] = []
    take = inputs._take_prefetched
    monkeypatch.setattr(
        inputs, "_take_prefetched", lambda *a: taken.append(found := take(*a)) or found
    )
    threads = threading.active_count()
    args = ["census", "run", str(path), "--json", "--no-progress"]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.output
    assert [item for item in taken if item is not None] != []  # the prefetch was read
    assert threading.active_count() == threads and inputs._prefetched == {}
    monkeypatch.setattr(inputs, "OVERLAP_DECOMPRESSION", False)
    again = CliRunner().invoke(cli, args)
    assert json.loads(first.output) == json.loads(again.output)
    assert json.loads(first.output)["unique_ips"] == {"hikvision": 200, "dahua": 0}

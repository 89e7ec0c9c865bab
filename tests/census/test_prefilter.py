"""The line prefilter: one hyperscan pass finds the lines a rule could match."""

from __future__ import annotations

import importlib.util
import json
import sys
import threading
from pathlib import Path
from types import ModuleType

from sightline.census.fingerprints import load_rules
from sightline.census.prefilter import LinePrefilter, build_prefilter


def _corpus() -> ModuleType:
    """tests/census/corpus.py, the sourced test signals (tests are imported by path)."""
    name = "sightline_census_test_corpus"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("corpus.py"))
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


# Server header: rapid7/recog xml/http_servers.xml (Hikvision-Webs);
# RTSP Server: nmap-service-probes (Dahua Rtsp Server)
HIK = {"ip_str": "192.0.2.1", "port": 80, "http": {"server": "Hikvision-Webs"}}
DAHUA = {"ip_str": "192.0.2.2", "port": 554, "data": "RTSP/1.0 200 OK\r\nServer: Dahua Rtsp Server"}
OTHER = {"ip_str": "192.0.2.3", "port": 80, "http": {"server": "nginx"}}


def _prefilter() -> LinePrefilter:
    found = build_prefilter(load_rules())
    assert found is not None
    return found


def test_scan_finds_the_candidate_lines_and_blank_lines() -> None:
    prefilter = _prefilter()
    rows = [OTHER, HIK, OTHER, DAHUA, OTHER]
    chunk = b"".join(json.dumps(r).encode() + b"\n" for r in rows)
    lines, blank = prefilter.scan(chunk)
    assert [json.loads(chunk[start:stop])["ip_str"] for start, stop in lines] == [
        "192.0.2.1",
        "192.0.2.2",
    ]
    assert blank is False
    assert prefilter.scan(chunk + b"\n" + chunk)[1] is True
    assert prefilter.scan(b" " + chunk)[1] is True


def test_two_threads_scanning_at_once_find_what_one_finds() -> None:
    prefilter = _prefilter()
    corpus = _corpus()  # every sourced signal of the test exports, as Shodan banners
    rows = [corpus.shodan_banner(host) for host in corpus.hosts_for("shodan")]
    chunks = [
        b"".join(json.dumps(row).encode() + b"\n" for row in rows[n:] + rows[:n])
        for n in range(0, len(rows), max(1, len(rows) // 6))
    ]
    expected = [prefilter.scan(chunk) for chunk in chunks]
    found: dict[int, list[object]] = {0: [], 1: []}
    start = threading.Barrier(2)

    def work(me: int) -> None:
        start.wait()
        for _ in range(30):
            found[me].append([prefilter.scan(chunk) for chunk in chunks])

    threads = [threading.Thread(target=work, args=(n,)) for n in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert found[0] == found[1] == [expected] * 30
    assert all(len(lines) > len(rows) // 2 for lines, _ in expected)


def test_a_part_of_a_block_is_scanned_as_if_it_were_cut_out() -> None:
    prefilter = _prefilter()
    rows = [OTHER, HIK, OTHER, DAHUA, OTHER, HIK]
    lines = [json.dumps(r).encode() + b"\n" for r in rows]
    block = b"".join(lines)
    start, stop = 7, len(block) - len(lines[-1])  # from the line after the one cut
    part = block[block.index(b"\n", start) + 1 : stop]
    begin = block.index(part)
    found, irregular = prefilter.scan(block, begin, stop)
    alone, alone_irregular = prefilter.scan(part)
    assert found == [(s + begin, e + begin) for s, e in alone]
    assert [json.loads(block[s:e])["ip_str"] for s, e in found] == ["192.0.2.1", "192.0.2.2"]
    assert irregular is alone_irregular is False
    # a line that does not open a record (blank, indented, an array) marks the part irregular
    for odd in (b"\n", b" \t\n", b"  " + lines[2], b"[1]\n"):
        assert prefilter.scan(lines[0] + odd + lines[2])[1] is True
        assert prefilter.scan(b"xx" + odd + lines[2], 2)[1] is True

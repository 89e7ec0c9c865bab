"""The line prefilter: one hyperscan pass finds the lines a rule could match."""

from __future__ import annotations

import json
import threading

from sightline.census.fingerprints import load_rules
from sightline.census.prefilter import LinePrefilter, build_prefilter

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
    chunks = [
        b"".join(json.dumps((OTHER, HIK, DAHUA)[(i * n) % 3]).encode() + b"\n" for i in range(200))
        for n in range(1, 7)
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

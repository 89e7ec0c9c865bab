"""Benchmark of ``sightline census run`` on a generated Shodan-shaped export.

Generates a Shodan banner file of at least --size-mb MB uncompressed (gzip-compressed with isal,
as ``shodan download`` writes .json.gz) in a temporary folder, then times, each --runs times:

* bare isal decompression of the file (the floor: nothing can read it faster);
* ``census_file()`` called in-process (the library without interpreter start-up), with
  inflating and cutting into lines on a second thread (the default), the same with the
  interpreter's default 5 ms GIL switch interval, and inline in the reading thread;
* ``sightline census run FILE --workers 1 --json`` (one core);
* ``sightline census run HALF1 HALF2 --workers 2 --json`` (the same records in two files, two cores);
* ``shodan parse --fields ip_str,port FILE`` from the ``shodan`` package (a peer reading the same data).

Prints medians of wall-clock and CPU time (CPU time is steadier on a shared machine; for two
cores it adds both workers), throughput (MB/s of uncompressed JSON, records/s) and ratios. Generated files
stay in the temporary folder and are deleted afterwards.

    .venv/bin/python benchmarks/census.py [--size-mb 150] [--runs 3]
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from isal import igzip

from sightline.census import inputs
from sightline.census.pipeline import census_file
from sightline.census.readers.shodan import clear_favicon_cache

BIN = Path(sys.executable).parent
SWITCH = inputs.SWITCH_INTERVAL
READER_CPU: list[float] = []  # CPU seconds of the reading thread, runs with the inflating thread
_WORDS = random.Random(1)
VOCABULARY = [
    "".join(_WORDS.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(_WORDS.randint(2, 10)))
    for _ in range(5000)
]


def _favicons(count: int) -> list[tuple[int, str]]:
    """Distinct icons, base64-wrapped at 76 characters as Shodan stores them; a few are common."""
    rng = random.Random(2)
    icons = []
    for _ in range(count):
        raw = rng.randbytes(rng.choice([1150, 2200, 5400]))
        icons.append((rng.randint(-(2**31), 2**31 - 1), base64.encodebytes(raw).decode()))
    return icons


FAVICONS = _favicons(2000)
FAVICON_WEIGHTS = [1 / (rank + 1) for rank in range(len(FAVICONS))]  # a few icons are common


def _text(rng: random.Random, words: int) -> str:
    """Page text that compresses about as well as real pages do (not a repeated phrase)."""
    return " ".join(rng.choices(VOCABULARY, k=words))


def _b64(rng: random.Random, n: int) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    return "".join(rng.choices(alphabet, k=n))


COUNTRIES = [
    ("GB", "ENG"),
    ("GB", "SCT"),
    ("GB", "WLS"),
    ("GB", "NIR"),
    ("DE", "BE"),
    ("US", "CA"),
    ("FR", "IDF"),
    ("NL", "NH"),
]
OTHER_SERVERS = [
    "nginx",
    "Apache/2.4.41 (Ubuntu)",
    "Microsoft-IIS/10.0",
    "lighttpd/1.4.59",
    "cloudflare",
    "openresty",
    "uc-httpd/1.0.0",
    "Boa/0.94.14rc21",
]


def _base(rng: random.Random, n: int, port: int, module: str, data: str) -> dict[str, object]:
    country, region = COUNTRIES[n % len(COUNTRIES)]
    ip = f"{10 + n // 16_777_216 % 200}.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
    return {
        "hash": rng.randint(-(2**31), 2**31 - 1),
        "asn": f"AS{rng.randint(1000, 65000)}",
        "isp": "Example Broadband Ltd",
        "org": "Example Broadband Ltd",
        "hostnames": [f"{rng.choice(VOCABULARY)}-{n}.example.net"],
        "domains": ["example.net"],
        "location": {
            "city": "Somewhere",
            "region_code": region,
            "area_code": None,
            "longitude": -1.5 + rng.random(),
            "latitude": 52.0 + rng.random(),
            "country_code": country,
            "country_name": "Somewhere",
        },
        "timestamp": f"2020-12-0{1 + n % 3}T{n % 24:02d}:13:45.123456",
        "transport": "tcp",
        "ip": n,
        "ip_str": ip,
        "port": port,
        "data": data,
        "os": None,
        "cpe23": [],
        "opts": {},
        "_shodan": {
            "id": f"{rng.getrandbits(128):032x}",
            "module": module,
            "crawler": f"{rng.getrandbits(160):040x}",
            "ptr": True,
            "options": {},
            "region": "eu",
        },
    }


def make_banner(rng: random.Random, n: int) -> dict[str, object]:
    """A Shodan banner; about 3% are Hikvision and 2% Dahua, the rest ordinary services.

    Web banners carry a page, and 30% of them a favicon, as Shodan stores them."""
    kind = rng.random()
    if kind < 0.55:  # ordinary web server with a page
        server = rng.choice(OTHER_SERVERS)
        head = (
            f"HTTP/1.1 200 OK\r\nServer: {server}\r\nDate: Tue, 01 Dec 2020 10:00:00 GMT\r\n"
            "Content-Type: text/html; charset=utf-8\r\nConnection: keep-alive\r\n"
            f"Content-Length: {rng.randint(300, 9000)}\r\n\r\n"
        )
        html = (
            "<html><head><title>Welcome</title></head><body><p>"
            + _text(rng, rng.randint(40, 400))
            + "</p></body></html>"
        )
        record = _base(rng, n, rng.choice([80, 443, 8080]), "http", head)
        record["http"] = {
            "status": 200,
            "title": "Welcome",
            "server": server,
            "html": html,
            "html_hash": rng.randint(0, 2**31),
            "robots": None,
            "sitemap": None,
            "location": "/",
            "redirects": [],
            "components": {},
            "host": record["ip_str"],
            "headers_hash": rng.randint(0, 2**31),
        }
        if rng.random() < 0.3:  # many Shodan web banners carry their favicon, base64-encoded
            number, icon = rng.choices(FAVICONS, weights=FAVICON_WEIGHTS)[0]
            record["http"]["favicon"] = {  # type: ignore[index]
                "hash": number,
                "data": icon,
                "location": f"http://{record['ip_str']}/favicon.ico",
            }
        return record
    if kind < 0.58:  # Hikvision web interface
        # Server: App-webs/: nmap nselib/data/http-default-accounts-fingerprints.lua (Hikvision
        # DS-XXX Network Camera); the per-device hex Digest realm with domain="::": the
        # maciej-or/hikvision_next issue 50 (both as cited in census/fingerprints.toml)
        head = (
            "HTTP/1.1 401 Unauthorized\r\nServer: App-webs/\r\nContent-Type: text/html\r\n"
            'WWW-Authenticate: Digest realm="0123456789abcdef01234567", domain="::"\r\n\r\n'
        )
        record = _base(rng, n, 80, "http", head)
        record["http"] = {
            "status": 401,
            "title": None,
            "server": "App-webs/",
            "html": "",
            "location": "/",
            "redirects": [],
            "components": {},
        }
        return record
    if kind < 0.60:  # Dahua RTSP
        # Server: Dahua Rtsp Server: nmap-service-probes line 11572; realm "Login to <serial>":
        # scottlamb/retina issue 62 (both as cited in census/fingerprints.toml)
        data = (
            "RTSP/1.0 401 Unauthorized\r\nCSeq: 1\r\nServer: Dahua Rtsp Server\r\n"
            'WWW-Authenticate: Digest realm="Login to 4K01FD2PAJ6E3FF", nonce="0"\r\n\r\n'
        )
        return _base(rng, n, 554, "rtsp-tcp", data)
    if kind < 0.80:  # SSH
        return _base(
            rng,
            n,
            22,
            "ssh",
            "SSH-2.0-OpenSSH_8.2p1 Ubuntu-4ubuntu0.5\nKey type: "
            "ssh-rsa\nKey: AAAAB3NzaC1yc2E" + _b64(rng, 360) + "\nFingerprint: " + _b64(rng, 43),
        )
    return _base(rng, n, 21, "ftp", "220 ProFTPD Server ready.\r\n530 Login incorrect.\r\n")


def generate(folder: Path, size_mb: int) -> tuple[Path, list[Path], int, int]:
    """A Shodan export of at least size_mb MB, and the same records split into two files."""
    rng = random.Random(7)
    whole = folder / "shodan-bench.json.gz"
    halves = [folder / "shodan-half-1.json.gz", folder / "shodan-half-2.json.gz"]
    target = size_mb * 1_000_000
    written = records = 0
    with (
        igzip.open(whole, "wb") as out,
        igzip.open(halves[0], "wb") as h1,
        igzip.open(halves[1], "wb") as h2,
    ):
        while written < target:
            line = (json.dumps(make_banner(rng, records)) + "\n").encode()
            out.write(line)
            (h1 if records % 2 == 0 else h2).write(line)
            written += len(line)
            records += 1
    return whole, halves, written, records


# The shodan CLI imports pkg_resources (from setuptools, which the locked environment does not
# install) only to look up plugins; a stand-in without plugins lets its own `parse` code run.
SHODAN_SHIM = (
    "import sys, types; stub = types.ModuleType('pkg_resources'); "
    "stub.iter_entry_points = lambda *a, **k: iter(()); sys.modules['pkg_resources'] = stub; "
    "from shodan.__main__ import main; sys.argv[0] = 'shodan'; sys.exit(main())"
)


def shodan_command() -> list[str]:
    """How to run `shodan`: its own script when it starts, else through the stand-in above."""
    script = shutil.which("shodan", path=str(BIN))
    if script is not None:
        probe = subprocess.run([script, "--help"], capture_output=True, check=False)
        if probe.returncode == 0:
            return [script]
    return [sys.executable, "-c", SHODAN_SHIM]


# Commands run as an installed package runs: with compiled bytecode (an editable install under
# PYTHONDONTWRITEBYTECODE would compile every module on every start, which `shodan` does not).
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(command: list[str]) -> tuple[float, float]:
    """Wall-clock seconds and CPU seconds (user + system, all child processes) of a command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=CHILD_ENV)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def decompress(path: Path) -> tuple[float, float]:
    """Bare isal decompression of the whole file: wall-clock and CPU seconds."""
    start, cpu = time.perf_counter(), time.process_time()
    with igzip.open(path, "rb") as stream:
        while stream.read(4 * 1024 * 1024):
            pass
    return time.perf_counter() - start, time.process_time() - cpu


def in_process(
    path: Path, overlap: bool = True, switch: float = inputs.SWITCH_INTERVAL
) -> tuple[float, float]:
    """The library call alone (no interpreter start-up): wall-clock and CPU seconds."""
    clear_favicon_cache()  # as cold as a new process, apart from imports and compiled patterns
    inputs.OVERLAP_DECOMPRESSION, inputs.SWITCH_INTERVAL = overlap, switch
    try:
        start, cpu, mine = time.perf_counter(), time.process_time(), time.thread_time()
        census_file(str(path))
        if overlap and switch == SWITCH:
            READER_CPU.append(time.thread_time() - mine)
        return time.perf_counter() - start, time.process_time() - cpu
    finally:
        inputs.OVERLAP_DECOMPRESSION, inputs.SWITCH_INTERVAL = True, SWITCH


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=150)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-shodan", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="sightline-census-bench-"))
    try:
        whole, halves, size, records = generate(folder, args.size_mb)
        mb = size / 1e6
        print(
            f"file: {records:,} Shodan banners, {mb:.1f} MB uncompressed, "
            f"{whole.stat().st_size / 1e6:.1f} MB gzip; {os.cpu_count()} CPUs visible"
        )
        sightline = str(BIN / "sightline")
        runs: dict[str, list[tuple[float, float]]] = {
            "isal": [],
            "lib": [],
            "lib5ms": [],
            "inline": [],
            "one": [],
            "two": [],
        }
        census_file(str(whole))  # warm the compiled-pattern cache and the page cache
        subprocess.run(  # and write the bytecode the command-line runs will load
            [sightline, "census", "run", str(halves[0]), "--json", "--no-progress"],
            check=True,
            stdout=subprocess.DEVNULL,
            env=CHILD_ENV,
        )
        shodan = None if args.skip_shodan else shodan_command()
        if shodan is not None:
            runs["shodan"] = []
        load_before = os.getloadavg()[0]
        for _ in range(args.runs):  # interleaved, so a change in the machine's load hits all alike
            if shodan is not None:
                runs["shodan"].append(
                    timed([*shodan, "parse", "--fields", "ip_str,port", str(whole)])
                )
            runs["isal"].append(decompress(whole))
            runs["lib"].append(in_process(whole))
            runs["lib5ms"].append(in_process(whole, switch=0.005))
            runs["inline"].append(in_process(whole, overlap=False))
            runs["one"].append(
                timed(
                    [
                        sightline,
                        "census",
                        "run",
                        str(whole),
                        "--workers",
                        "1",
                        "--json",
                        "--no-progress",
                    ]
                )
            )
            runs["two"].append(
                timed(
                    [
                        sightline,
                        "census",
                        "run",
                        *map(str, halves),
                        "--workers",
                        "2",
                        "--json",
                        "--no-progress",
                    ]
                )
            )
        wall = {name: statistics.median(t[0] for t in times) for name, times in runs.items()}
        cpu = {name: statistics.median(t[1] for t in times) for name, times in runs.items()}
        labels = {
            "isal": "isal decompression only (floor)",
            "lib": "census_file(), inflating on a thread",
            "lib5ms": "the same, GIL handed over every 5 ms",
            "inline": "census_file(), inflating inline",
            "one": "sightline census, 1 core",
            "two": "sightline census, 2 cores",
            "shodan": "shodan parse --fields ip_str,port",
        }
        print(
            f"median of {args.runs} runs (load average before: {load_before:.1f}, "
            f"after: {os.getloadavg()[0]:.1f}):"
        )
        print(f"  {'':<38} {'wall s':>7} {'MB/s':>8} {'records/s':>11} {'CPU s':>7}")
        for name, seconds in wall.items():
            print(
                f"  {labels[name]:<38} {seconds:7.2f} {mb / seconds:8.1f} "
                f"{records / seconds:11,.0f} {cpu[name]:7.2f}"
            )
        print(
            "ratios (wall clock; CPU time in brackets; aim: at most 2x isal, 5x faster than shodan):"
        )
        print(
            f"  sightline 1 core / isal decompression: {wall['one'] / wall['isal']:.2f}x the time "
            f"({cpu['one'] / cpu['isal']:.2f}x)"
        )
        print(
            f"  census_file() in-process / isal decompression: "
            f"{wall['lib'] / wall['isal']:.2f}x the time ({cpu['lib'] / cpu['isal']:.2f}x)"
        )
        reader = statistics.median(READER_CPU)
        print(
            f"  census_file() on a thread: the reading thread used {reader:.2f} s of CPU, the "
            f"inflating thread {cpu['lib'] - reader:.2f} s; on two idle cores the wall clock "
            f"would be about the larger, {max(reader, cpu['lib'] - reader) / cpu['isal']:.2f}x "
            "isal's CPU time"
        )
        print(f"  speed-up from a second core: {wall['one'] / wall['two']:.2f}x")
        print(
            f"  inflating on a second thread: {wall['inline'] / wall['lib']:.2f}x faster than inline"
            f" ({wall['lib5ms'] / wall['lib']:.2f}x faster than with a 5 ms switch interval)"
        )
        if "shodan" in wall:
            print(
                f"  sightline 1 core vs shodan parse: {wall['shodan'] / wall['one']:.1f}x faster "
                f"({cpu['shodan'] / cpu['one']:.1f}x)"
            )
            print(
                f"  census_file() in-process vs shodan parse: {wall['shodan'] / wall['lib']:.1f}x"
                " faster"
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark of ``sightline census run`` against ``shodan parse`` and bare isal decompression.

What it times, in one run, interleaved (each round runs every command once, so a change in the
machine's load falls on all of them alike), --runs rounds (default 5), reporting medians:

* isal decompression alone of the file (the floor: nothing can read it faster);
* ``sightline census run FILE --json --no-progress``, the command a researcher types (a new
  process each time: start-up, rules, reading, counting and printing);
* ``shodan parse --fields ip_str,port FILE`` from the ``shodan`` package (a peer reading the
  same data; run through a stand-in for ``pkg_resources`` when its script cannot start);

and, with --detail, what explains the figures: ``census_file()`` in-process with inflating on
a second thread, inline, and with the interpreter's 5 ms GIL switch interval; the command's
fixed start-up (on a 20-record file); and the same records as two files on two cores
(``--workers 2``).

Figures: wall-clock and CPU seconds (user + system; steadier than wall clock on a shared
machine), throughput in MB/s of uncompressed JSON and records/s, the load average before and
after, and the two aims: the command at most 2x the decompression time and at least 5x faster
than ``shodan parse``. On two cores the command's wall clock can approach its start-up plus
the larger of its two threads' CPU times only when the second core is free: a load average
above (CPUs - 1) means it was not, and wall-clock figures then say more about the machine.

The test file is a generated Shodan export (``shodan download`` layout: one banner per line,
gzip; about 3% Hikvision and 2% Dahua, the rest ordinary web, SSH and FTP banners, 30% of the
web ones with a favicon). ``--size-mb 150`` (the default) makes the file the census figures
in docs/census.md were measured on: 150.0 MB of JSON, 57,925 banners, 73.9 MB gzip. To keep a
file, or to time another one (a real export):

    .venv/bin/python benchmarks/census.py                        # generate, time, delete
    .venv/bin/python benchmarks/census.py --generate shodan-150.json.gz [--size-mb 150]
    .venv/bin/python benchmarks/census.py --file shodan-150.json.gz [--runs 7] [--detail]
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
from collections.abc import Callable
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


def generate(path: Path, size_mb: int) -> tuple[int, int]:
    """Write a Shodan export of at least size_mb MB (uncompressed) to ``path``, gzip-compressed
    as ``shodan download`` writes it; returns its uncompressed size and number of banners."""
    rng = random.Random(7)
    target = size_mb * 1_000_000
    written = records = 0
    with igzip.open(path, "wb") as out:
        while written < target:
            line = (json.dumps(make_banner(rng, records)) + "\n").encode()
            out.write(line)
            written += len(line)
            records += 1
    return written, records


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


LABELS = {
    "isal": "isal decompression alone (floor)",
    "cli": "sightline census run FILE",
    "shodan": "shodan parse --fields ip_str,port FILE",
    "lib": "census_file(), inflating on a 2nd thread",
    "lib5ms": "the same, GIL handed over every 5 ms",
    "inline": "census_file(), inflating inline",
    "two": "sightline census run, 2 files, 2 workers",
    "start": "sightline census run, 20 records",
}


def _records_in(path: Path) -> tuple[int, int]:
    """Lines and uncompressed bytes of a (gzip) export."""
    lines = size = 0
    with igzip.open(path, "rb") as stream:
        while block := stream.read(4 * 1024 * 1024):
            lines += block.count(b"\n")
            size += len(block)
    return lines, size


def _split(path: Path, folder: Path) -> list[Path]:
    """The same records as two files, alternate lines (for the two-core run)."""
    halves = [folder / "half-1.json.gz", folder / "half-2.json.gz"]
    with (
        igzip.open(path, "rb") as whole,
        igzip.open(halves[0], "wb") as h1,
        igzip.open(halves[1], "wb") as h2,
    ):
        for n, line in enumerate(whole):
            (h1 if n % 2 == 0 else h2).write(line)
    return halves


def _first_lines(path: Path, folder: Path, n: int) -> Path:
    small = folder / "small.json.gz"
    with igzip.open(path, "rb") as whole, igzip.open(small, "wb") as out:
        for _, line in zip(range(n), whole, strict=False):
            out.write(line)
    return small


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size-mb", type=int, default=150, help="size of the generated file")
    parser.add_argument("--runs", type=int, default=5, help="rounds; medians are reported")
    parser.add_argument("--file", type=Path, help="time this export instead of generating one")
    parser.add_argument("--generate", type=Path, metavar="PATH", help="write the file and stop")
    parser.add_argument("--detail", action="store_true", help="also the explaining runs")
    parser.add_argument("--skip-shodan", action="store_true")
    args = parser.parse_args()
    if args.generate is not None:
        size, records = generate(args.generate, args.size_mb)
        print(f"{args.generate}: {records:,} Shodan banners, {size / 1e6:.1f} MB uncompressed")
        return 0
    folder = Path(tempfile.mkdtemp(prefix="sightline-census-bench-"))
    try:
        return _bench(args, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _bench(args: argparse.Namespace, folder: Path) -> int:
    if args.file is not None:
        whole = args.file
        records, size = _records_in(whole)
        origin = "given"
    else:
        whole = folder / "shodan-bench.json.gz"
        size, records = generate(whole, args.size_mb)
        origin = f"generated, --size-mb {args.size_mb}"
    halves = _split(whole, folder) if args.detail else []
    small = _first_lines(whole, folder, 20)
    mb = size / 1e6
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"file: {whole.name} ({origin}): {records:,} lines, {mb:.1f} MB uncompressed, "
        f"{whole.stat().st_size / 1e6:.1f} MB gzip"
    )
    sightline = str(BIN / "sightline")
    run = [sightline, "census", "run", "--json", "--no-progress"]
    shodan = None if args.skip_shodan else shodan_command()
    commands: dict[str, Callable[[], tuple[float, float]]] = {
        "isal": lambda: decompress(whole),
        "cli": lambda: timed([*run, str(whole)]),
    }
    if shodan is not None:
        commands["shodan"] = lambda: timed(
            [*shodan, "parse", "--fields", "ip_str,port", str(whole)]
        )
    if args.detail:
        commands |= {
            "lib": lambda: in_process(whole),
            "lib5ms": lambda: in_process(whole, switch=0.005),
            "inline": lambda: in_process(whole, overlap=False),
            "two": lambda: timed([*run, "--workers", "2", *map(str, halves)]),
            "start": lambda: timed([*run, str(small)]),
        }
    census_file(str(whole))  # warm the compiled-pattern cache and the page cache
    subprocess.run(  # and write the bytecode the command-line runs will load
        [*run, str(small)], check=True, stdout=subprocess.DEVNULL, env=CHILD_ENV
    )
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    load_before = os.getloadavg()
    for _ in range(args.runs):  # interleaved, so a change in the machine's load hits all alike
        for name, command in commands.items():
            runs[name].append(command())
    load_after = os.getloadavg()
    wall = {name: statistics.median(t[0] for t in times) for name, times in runs.items()}
    cpu = {name: statistics.median(t[1] for t in times) for name, times in runs.items()}
    print(
        f"machine: {cpus} CPUs; load average (1 min) {load_before[0]:.2f} before, "
        f"{load_after[0]:.2f} after"
        + (
            "  -- busy: the second core was not free, wall-clock figures are pessimistic"
            if max(load_before[0], load_after[0]) > (cpus or 1) - 1 + 0.5
            else ""
        )
    )
    print(f"medians of {args.runs} interleaved runs:")
    print(f"  {'':<42} {'wall s':>7} {'MB/s':>8} {'records/s':>11} {'CPU s':>7}")
    for name, seconds in wall.items():
        rate = "" if name == "start" else f"{mb / seconds:8.1f} {records / seconds:11,.0f}"
        print(f"  {LABELS[name]:<42} {seconds:7.3f} {rate:>20} {cpu[name]:7.3f}")
    print("aims (medians of wall clock; CPU time in brackets):")
    ratio = wall["cli"] / wall["isal"]
    print(
        f"  sightline census run / isal decompression: {ratio:.2f}x the time "
        f"({cpu['cli'] / cpu['isal']:.2f}x the CPU time); aim: at most 2x -- "
        + ("met" if ratio <= 2 else "not met")
    )
    if "shodan" in wall:
        faster = wall["shodan"] / wall["cli"]
        print(
            f"  shodan parse / sightline census run: {faster:.1f}x faster "
            f"({cpu['shodan'] / cpu['cli']:.1f}x less CPU time); aim: at least 5x -- "
            + ("met" if faster >= 5 else "not met")
        )
    if args.detail:
        reader = statistics.median(READER_CPU)
        print("detail:")
        print(
            f"  census_file() on two threads: the reading thread used {reader:.3f} s of CPU, "
            f"the inflating thread {cpu['lib'] - reader:.3f} s (isal alone {cpu['isal']:.3f} s)"
        )
        print(
            f"  the command's fixed cost (20 records): {wall['start']:.3f} s wall, "
            f"{cpu['start']:.3f} s CPU"
        )
        print(
            f"  inflating on a second thread: {wall['inline'] / wall['lib']:.2f}x faster than "
            f"inline ({wall['lib5ms'] / wall['lib']:.2f}x faster than with a 5 ms switch "
            "interval)"
        )
        print(f"  two files on two workers: {wall['cli'] / wall['two']:.2f}x faster than one file")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark of reading a national OCDS file: Sightline's streaming reader (what ``sightline spend
import --national`` runs) against loading the same file whole with the standard library's
``json.load``, the floor for speed and the ceiling for memory.

Generates, once, a release package of --releases releases with many buyers, in the published
shape (buyer, parties with identifiers, tender with CPV classification, one award each; one
process in ten amended by a later release far down the file), gzip-compressed or not (--gzip).
Each run, in a fresh child process, times and measures the peak resident memory of:

* json.load: the whole file parsed into Python objects, nothing else;
* stream: ``ocds.each_record`` over the file, every award row built and counted.

Prints the median of --runs runs of each, the file size, and the peak memory of the last run.

    .venv/bin/python benchmarks/ocds.py [--releases 200000] [--runs 3] [--gzip]
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import tempfile
from pathlib import Path
from typing import Any

from childrun import run_child

BUYERS = [f"Testshire District Council {number}" for number in range(2000)]


def release(index: int, amended: bool = False) -> dict[str, Any]:
    buyer = BUYERS[index % len(BUYERS)]
    buyer_id = f"GB-CFS-{index % len(BUYERS)}"
    supplier_id = f"GB-COH-{index % 50000:08d}"
    return {
        "ocid": f"ocds-bench-{index}",
        "id": f"ocds-bench-{index}-{2 if amended else 1}",
        "date": "2023-06-01T00:00:00Z" if amended else "2023-01-01T00:00:00Z",
        "tag": ["awardUpdate" if amended else "award"],
        "buyer": {"id": buyer_id, "name": buyer},
        "parties": [
            {"id": buyer_id, "name": buyer, "roles": ["buyer"],
             "address": {"postalCode": "TE1 1ST", "countryName": "United Kingdom"}},
            {"id": supplier_id, "name": f"Supplier {index % 50000} Ltd", "roles": ["supplier"],
             "identifier": {"scheme": "GB-COH", "id": supplier_id[7:]}},
        ],
        "tender": {"id": f"T{index}", "title": "Town centre CCTV and related works",
                   "description": "Supply, installation and maintenance. " * 4,
                   "status": "complete",
                   "classification": {"scheme": "CPV", "id": "35125300-2"}},
        "awards": [{"id": f"{index}-1", "status": "active", "date": "2023-01-01T00:00:00Z",
                    "value": {"amount": 1000 + index + (500 if amended else 0),
                              "currency": "GBP"},
                    "suppliers": [{"id": supplier_id, "name": f"Supplier {index % 50000} Ltd"}]}],
    }  # fmt: skip


def generate(path: Path, releases: int, compressed: bool) -> None:
    opener = gzip.open if compressed else open
    with opener(path, "wt", encoding="utf-8") as out:  # type: ignore[operator]
        out.write('{"uri": "https://example.org/bench.json", "version": "1.1", "releases": [\n')
        for index in range(releases):
            out.write(("," if index else "") + json.dumps(release(index)) + "\n")
        for index in range(0, releases, 10):  # amendments, far from their first release
            out.write("," + json.dumps(release(index, amended=True)) + "\n")
        out.write("]}\n")


CHILD = r"""
import gzip, json, resource, sys, time
from pathlib import Path
mode, path = sys.argv[1], Path(sys.argv[2])
from sightline.procurement.ocds import each_record
start, cpu = time.perf_counter(), time.process_time()  # modules loaded: time the work only
opener = gzip.open if path.suffix == ".gz" else open
if mode == "json.load":
    with opener(path, "rb") as handle:
        rows = len(json.load(handle)["releases"])
    problems = 0
else:
    count = 0
    def take(record):
        global count
        count += 1
    with path.open("rb") as handle:
        result = each_record(handle, path.name, take)
    rows, problems = count, len(result.problems)
seconds, used = time.perf_counter() - start, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "cpu": used, "rows": rows, "problems": problems, "peak": peak}))
"""


def timed(mode: str, path: Path) -> dict[str, float]:
    return run_child(CHILD, mode, str(path))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--gzip", action="store_true", help="Compress the file with gzip.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("national.json.gz" if args.gzip else "national.json")
        generate(path, args.releases, args.gzip)
        size = path.stat().st_size
        print(f"{args.releases:,} processes, {size / 1e6:.1f} MB on disk, {args.runs} runs each")
        for mode in ("json.load", "stream"):
            runs = [timed(mode, path) for _ in range(args.runs)]
            seconds = [run["seconds"] for run in runs]
            last = runs[-1]
            cpu = statistics.median(run["cpu"] for run in runs)
            print(
                f"{mode:9s} median {statistics.median(seconds):6.2f} s"
                f"  (runs {', '.join(f'{s:.2f}' for s in seconds)}), CPU {cpu:6.2f} s"
                f"  peak memory {last['peak'] / 1e6:7.1f} MB  rows {last['rows']:,.0f}"
                f"  problems {last['problems']:,.0f}"
            )


if __name__ == "__main__":
    main()

"""Benchmark of importing a council's spending file: ``SpendStore.import_file`` (what ``sightline
spend import`` runs) against the raw floor of reading the same file with Python's ``csv`` module.

Generates, once, a spending file of --rows rows in a Local Government Transparency Code layout as
councils publish it: a title block, Windows-1252 text, pound signs and thousands separators,
credits as negative amounts and in brackets, redacted payees, and one bad row in a thousand (an
amount or a date that cannot be read). Each run, in a fresh child process, times:

* raw floor: decoding the bytes and ``csv.reader`` over every row, nothing else;
* read: ``read_spend_bytes`` (headings found, every cell parsed, records built);
* import: ``SpendStore.import_file`` into an empty data folder (read, plus the raw copy and the
  normalised import file written).

Prints the median of --runs runs of each (wall-clock seconds, and the CPU seconds of the child,
which a busy machine does not inflate), rows per second, and the ratio import / raw floor.

    .venv/bin/python benchmarks/spend.py [--rows 1000000] [--runs 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
from pathlib import Path

from childrun import run_child

SUPPLIERS = [
    "HIKVISION UK LTD",
    "Hikvision UK Limited",
    "Dahua Technology UK Limited",
    "Watchtower Systems Ltd",
    "REDACTED - personal data",
    "Café Bleu Ltd",
    *(f"Testshire Supplier {number} Ltd" for number in range(4000)),
]
AREAS = ["Community Safety", "Highways", "Adult Social Care", "Housing", "Parks", "Catering"]
TYPES = ["CCTV Equipment", "Repairs", "Care Package", "Cleaning", "Food", "Consultancy"]


def generate(path: Path, rows: int, seed: int = 7) -> int:
    """Write the file; returns how many rows are deliberately bad."""
    rng = random.Random(seed)
    bad = 0
    with path.open("w", encoding="cp1252", newline="") as out:
        out.write("Testshire County Council\r\nPayments to suppliers over £500, 2023/24\r\n\r\n")
        out.write(
            "Body Name,Payment Date,Transaction Number,Net Amount,Supplier Name,"
            "Service Area,Expense Type\r\n"
        )
        for index in range(rows):
            day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(2021, 2024)
            date = f"{day:02d}/{month:02d}/{year}"
            pounds = rng.randint(50_000, 5_000_000) / 100
            kind = index % 10
            if kind < 5:
                amount = f"{pounds:.2f}"
            elif kind < 8:
                amount = f'"£{pounds:,.2f}"'
            elif kind == 8:
                amount = f"-{pounds:.2f}"
            else:
                amount = f"({pounds:.2f})"
            if index % 1000 == 999:
                bad += 1
                if index % 2000 == 999:
                    amount = "n/a"
                else:
                    date = "31/02/2023"
            supplier = rng.choice(SUPPLIERS)
            out.write(
                f"Testshire County Council,{date},{index},{amount},{supplier},"
                f"{rng.choice(AREAS)},{rng.choice(TYPES)}\r\n"
            )
    return bad


CHILD = r"""
import csv, io, json, sys, tempfile, time
from pathlib import Path
mode, path = sys.argv[1], Path(sys.argv[2])
from sightline.procurement.spendfiles import read_spend_bytes
from sightline.procurement.store import SpendStore
start, cpu = time.perf_counter(), time.process_time()  # modules loaded: time the work only
if mode == "raw":
    text = path.read_bytes().decode("cp1252")
    rows = sum(1 for _ in csv.reader(io.StringIO(text, newline="")))
    problems = 0
elif mode == "read":
    result = read_spend_bytes(path.read_bytes(), path.name)
    rows, problems = len(result.records), len(result.problems)
else:
    with tempfile.TemporaryDirectory() as home:
        outcome = SpendStore(Path(home)).import_file(path, "E10000000", "Testshire")
        rows, problems = outcome.row_count, len(outcome.imported.problems)
        elapsed, used = time.perf_counter() - start, time.process_time() - cpu
if mode != "import":
    elapsed, used = time.perf_counter() - start, time.process_time() - cpu
print(json.dumps({"seconds": elapsed, "cpu": used, "rows": rows, "problems": problems}))
"""


def timed(mode: str, path: Path) -> dict[str, float]:
    return run_child(CHILD, mode, str(path))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "testshire-2023-24.csv"
        bad = generate(path, args.rows)
        size = path.stat().st_size
        print(f"{args.rows:,} rows ({bad} bad), {size / 1e6:.1f} MB, {args.runs} runs each")
        medians: dict[str, float] = {}
        for mode in ("raw", "read", "import"):
            runs = [timed(mode, path) for _ in range(args.runs)]
            seconds = [run["seconds"] for run in runs]
            medians[mode] = statistics.median(seconds)
            cpu = statistics.median(run["cpu"] for run in runs)
            last = runs[-1]
            print(
                f"{mode:7s} median {medians[mode]:6.2f} s"
                f" (runs {', '.join(f'{s:.2f}' for s in seconds)}), CPU {cpu:6.2f} s"
                f"  {args.rows / medians[mode]:>10,.0f} rows/s  rows {last['rows']:,.0f}"
                f"  problems {last['problems']:,.0f}"
            )
        print(f"import / raw floor: {medians['import'] / medians['raw']:.1f}x")


if __name__ == "__main__":
    main()

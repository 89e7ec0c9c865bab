"""``sightline census``: count Hikvision and Dahua devices in internet-scan exports.

Reads files only; it never scans or sends traffic to anyone.

Exit status: 0 when every file was read (malformed records are reported and skipped, never
fatal); 3 when some files could not be read at all (each is reported, the others are counted);
1 when none could be, or the command itself is wrong (a bad rule file, an unwritable output).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import click

from sightline.cli.errors import CommandError

FORMAT_CHOICE = click.Choice(["auto", "shodan", "censys", "zgrab2", "masscan", "nmap"])


#: some input files could not be read; the figures cover the others
EXIT_SOME_UNREADABLE = 3


def _readable(files: tuple[Path, ...], fmt: str) -> tuple[list[str], list[str], list[str]]:
    """The files that can be read with their formats, and a message for each that cannot.

    A missing file, a folder, an unreadable one or one in no known format is reported on stderr
    as ``Error: ...`` and left out; the others are still counted.
    """
    from sightline.census.pipeline import file_format

    paths: list[str] = []
    formats: list[str] = []
    errors: list[str] = []
    for path in files:
        found = file_format(str(path), fmt)
        if isinstance(found, str):
            paths.append(str(path))
            formats.append(found)
        else:
            errors.append(found.message)
            click.echo(f"Error: {found.message}", err=True)
    if not paths:
        message = errors[0] if len(errors) == 1 else f"none of the {len(errors)} files can be read"
        if len(errors) == 1:
            raise _Quiet(message)
        raise CommandError(message)
    return paths, formats, errors


class _Quiet(CommandError):
    """An error already printed (the one unreadable file): exit 1 without saying it twice."""

    def show(self, file: object = None) -> None:
        return None


def _check_rules(rules_path: Path | None) -> None:
    """A rule file given with --rules must load before any work starts."""
    if rules_path is None:
        return
    from sightline.census.fingerprints import RuleError, load_rules

    if not rules_path.is_file():
        raise CommandError(f"cannot read {rules_path}: no such file")
    try:
        load_rules(rules_path)
    except RuleError as exc:
        raise CommandError(f"{rules_path}: {exc.message}") from exc


def _report_problem(text: str) -> None:
    click.echo(f"skipped {text}", err=True)


@contextlib.contextmanager
def _progress(
    enabled: bool, files: int
) -> Iterator[tuple[Callable[[int], None], Callable[[], None]]]:
    """A rich progress bar on stderr: files done, records read and records per second."""
    if not enabled:
        yield (lambda n: None), (lambda: None)
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = (
        TextColumn("census"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("files  {task.fields[records]:,} records  {task.fields[rate]:,.0f} records/s"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("census", total=files, records=0, rate=0.0)
        state = {"records": 0}

        def on_records(n: int) -> None:
            state["records"] += n
            elapsed = bar.tasks[0].elapsed or 1e-9
            bar.update(task, records=state["records"], rate=state["records"] / elapsed)

        def on_file() -> None:
            bar.advance(task)

        yield on_records, on_file


def files_and_format(command: Callable[..., None]) -> Callable[..., None]:
    """The FILES argument and --format option both census commands take."""
    command = click.option(
        "--format", "fmt", type=FORMAT_CHOICE, default="auto", show_default=True
    )(command)
    return click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))(
        command
    )


rules_option = click.option(
    "--rules",
    "rules_path",
    type=click.Path(path_type=Path),
    help="Another fingerprint file in the fingerprints.toml format.",
)


def _report_file_problems(problems: Iterable[object], unlisted: int, path: str) -> None:
    for problem in problems:
        _report_problem(str(problem))
    if unlisted:
        click.echo(f"skipped {unlisted} more records in {path}", err=True)


@click.group("census")
def census_group() -> None:
    """Exposure census: count Hikvision and Dahua devices in Shodan, Censys, ZGrab2, masscan
    and nmap exports (reads files only; never scans anyone)."""


@census_group.command("run")
@files_and_format
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON on stdout.")
@click.option("--csv", "csv_path", type=click.Path(path_type=Path), help="Also write a CSV table.")
@click.option(
    "--chart",
    "chart_path",
    type=click.Path(path_type=Path),
    help="Also write a chart (.html, .svg, .png or .json).",
)
@click.option(
    "--geoip",
    "mmdb",
    type=click.Path(path_type=Path),
    help="MaxMind-format .mmdb for places the records do not give.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes over input files (default: one per core).",
)
@click.option(
    "--dask",
    "dask_address",
    metavar="SCHEDULER_ADDRESS",
    help="Spread the files over a Dask cluster instead.",
)
@rules_option
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress bar on stderr (default: when stderr is a terminal).",
)
def run_command(
    files: tuple[Path, ...],
    fmt: str,
    as_json: bool,
    csv_path: Path | None,
    chart_path: Path | None,
    mmdb: Path | None,
    workers: int | None,
    dask_address: str | None,
    rules_path: Path | None,
    progress: bool | None,
) -> None:
    """Count unique IP addresses per vendor, device type, country, region, scan date, network
    (ASN, organisation, ISP), model and firmware.

    A file that cannot be read is reported and the others are counted; the exit status is then
    3 (1 when no file can be read).
    """
    from sightline.census.inputs import discard_prefetched, prefetch_lines

    if dask_address is None and (len(files) == 1 or workers == 1):
        # a file read here starts inflating on the second thread while the rest starts up
        prefetch_lines(files[0])
    # a prefetch no reader took over stops when the command ends, however it ends
    click.get_current_context().call_on_close(discard_prefetched)

    import msgspec

    from sightline.census.pipeline import FileResult, run_census

    if mmdb is not None and not mmdb.is_file():
        raise CommandError(f"cannot read {mmdb}: no such file")
    _check_rules(rules_path)
    paths, formats, unreadable = _readable(files, fmt)
    show = sys.stderr.isatty() if progress is None else progress
    with _progress(show, len(paths)) as (on_records, file_done):

        def on_file(result: FileResult) -> None:
            if result.error is not None:  # it became unreadable after it was first looked at
                unreadable.append(result.error)
                click.echo(f"Error: {result.error}", err=True)
            _report_file_problems(result.problems, result.unlisted_problems, str(result.path))
            file_done()

        try:
            tally, _ = run_census(
                paths,
                formats,
                workers=workers,
                dask_address=dask_address,
                mmdb=str(mmdb.resolve()) if mmdb else None,
                rules_path=str(rules_path.resolve()) if rules_path else None,
                on_records=on_records,
                on_file=on_file,
            )
        except OSError as exc:
            where = f"the Dask scheduler {dask_address}" if dask_address else "the input"
            raise CommandError(f"cannot reach {where}") from exc
    if tally.skipped:
        click.echo(f"census: {tally.skipped} malformed record(s) skipped", err=True)
    if csv_path is not None:
        from sightline.census.report import write_csv

        try:
            write_csv(tally, csv_path)
        except OSError as exc:
            raise CommandError(f"cannot write {csv_path}: {exc.strerror or exc}") from exc
    if chart_path is not None:
        from sightline.census.report import ChartError, write_chart

        try:
            write_chart(tally, chart_path)
        except ChartError as exc:
            raise CommandError(exc.message) from exc
        except OSError as exc:
            raise CommandError(f"cannot write {chart_path}: {exc.strerror or exc}") from exc
    doc = tally.to_json()
    if unreadable:
        click.echo(
            f"census: {len(unreadable)} of {len(files)} files could not be read;"
            " the figures cover the others",
            err=True,
        )
    if as_json:
        sys.stdout.write(msgspec.json.encode(doc).decode() + "\n")
        _exit_for(unreadable)
        return
    click.echo(f"records read: {doc['records']:,} (skipped {doc['skipped']:,})")
    click.echo(f"records matched: {doc['matched_records']:,}")
    for vendor, n in doc["unique_ips"].items():
        types = ", ".join(f"{t} {c:,}" for t, c in doc["by_device_type"][vendor].items() if c)
        click.echo(f"{vendor}: {n:,} unique IP addresses" + (f" ({types})" if types else ""))
    for country, per_vendor in list(doc["by_country"].items())[:20]:
        click.echo(f"  {country}: " + ", ".join(f"{v} {n:,}" for v, n in per_vendor.items()))
    _exit_for(unreadable)


def _exit_for(unreadable: list[str]) -> None:
    if unreadable:
        raise SystemExit(EXIT_SOME_UNREADABLE)


@census_group.command("fingerprint")
@files_and_format
@click.option(
    "--jsonl", is_flag=True, help="One JSON line per input record on stdout (the default)."
)
@rules_option
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes over input files (default: one per core); output stays in input order.",
)
def fingerprint_command(
    files: tuple[Path, ...], fmt: str, jsonl: bool, rules_path: Path | None, workers: int | None
) -> None:
    """Print the verdict for every record: ip, port, vendor, device type and rules that fired.

    A file that cannot be read is reported and the others are printed (exit status 3).
    """
    from sightline.census.pipeline import default_workers

    _check_rules(rules_path)
    paths, formats, unreadable = _readable(files, fmt)
    rules = str(rules_path.resolve()) if rules_path else None
    workers = min(workers or default_workers(), len(paths))
    if workers > 1:
        skipped = _fingerprint_on_pool(paths, formats, rules, workers)
    else:
        skipped = _fingerprint_here(paths, formats, rules)
    if skipped:
        click.echo(f"census: {skipped} malformed record(s) skipped", err=True)
    _exit_for(unreadable)


def _fingerprint_here(paths: list[str], formats: list[str], rules: str | None) -> int:
    import msgspec

    from sightline.census.inputs import Problem
    from sightline.census.pipeline import fingerprint_file

    encode = msgspec.json.Encoder().encode
    out = sys.stdout
    skipped = 0
    for path, file_format in zip(paths, formats, strict=True):
        for item in fingerprint_file(path, file_format, rules):
            if isinstance(item, Problem):
                skipped += 1
                out.flush()
                _report_problem(str(item))
            else:
                out.write(encode(item).decode() + "\n")
    out.flush()
    return skipped


def _fingerprint_on_pool(
    paths: list[str], formats: list[str], rules: str | None, workers: int
) -> int:
    """Each worker writes one file's lines to a temporary file; they are printed in order."""
    import shutil
    import tempfile
    from concurrent.futures import ProcessPoolExecutor

    from sightline.census.pipeline import fingerprint_file_to, pool_context

    skipped = 0
    with (
        tempfile.TemporaryDirectory(prefix="sightline-fingerprint-") as folder,
        ProcessPoolExecutor(workers, mp_context=pool_context()) as pool,
    ):
        outs = [str(Path(folder) / f"{n}.jsonl") for n in range(len(paths))]
        futures = [
            pool.submit(fingerprint_file_to, path, file_format, rules, out)
            for path, file_format, out in zip(paths, formats, outs, strict=True)
        ]
        for future, out, path in zip(futures, outs, paths, strict=True):
            problems, unlisted = future.result()
            _report_file_problems(problems, unlisted, path)
            skipped += len(problems) + unlisted
            sys.stdout.flush()
            with open(out, "rb") as lines:
                shutil.copyfileobj(lines, sys.stdout.buffer)
            sys.stdout.buffer.flush()
    return skipped

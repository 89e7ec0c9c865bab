"""Running the census over files: one file per task, in-process, on a process pool, or on Dask.

Each task reads one file and returns a Tally plus the problems it skipped; tallies merge exactly,
so the result does not depend on how the files were spread over workers.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sightline.census.counts import Tally
from sightline.census.fingerprints import load_rules
from sightline.census.inputs import Counted, InputError, Problem
from sightline.census.matcher import Matcher
from sightline.census.places import PlaceResolver
from sightline.census.prefilter import LinePrefilter, build_prefilter
from sightline.census.readers import UnknownFormat, detect_format, read_records

#: problems kept per file for the report; beyond this they are only counted
MAX_PROBLEMS_KEPT = 10_000
PROGRESS_EVERY = 8192

_local = threading.local()


def shared_matcher(rules_path: str | None = None) -> Matcher:
    """One compiled matcher per thread (hyperscan scratch space is not shared between threads)."""
    cache: dict[str | None, Matcher] = _local.__dict__.setdefault("matchers", {})
    if rules_path not in cache:
        cache[rules_path] = Matcher(load_rules(Path(rules_path) if rules_path else None))
    return cache[rules_path]


def shared_prefilter(rules_path: str | None = None) -> LinePrefilter | None:
    cache: dict[str | None, LinePrefilter | None] = _local.__dict__.setdefault("prefilters", {})
    if rules_path not in cache:
        cache[rules_path] = build_prefilter(shared_matcher(rules_path).ruleset)
    return cache[rules_path]


@dataclass(slots=True)
class FileResult:
    path: str
    format: str
    tally: Tally
    problems: list[Problem] = field(default_factory=list)
    unlisted_problems: int = 0
    error: str | None = None  # the file could not be read at all: nothing in it was counted


def census_file(
    path: str,
    fmt: str = "auto",
    mmdb: str | None = None,
    rules_path: str | None = None,
    progress: Callable[[int], None] | None = None,
    prefilter: bool = True,
) -> FileResult:
    """Read one file and count what it shows; a file that cannot be read gives ``error``."""
    try:
        return _census_file(path, fmt, mmdb, rules_path, progress, prefilter)
    except (InputError, UnknownFormat) as exc:
        return FileResult(path, fmt, Tally(), error=exc.message)


def _census_file(
    path: str,
    fmt: str,
    mmdb: str | None,
    rules_path: str | None,
    progress: Callable[[int], None] | None,
    prefilter: bool,
) -> FileResult:
    matcher = shared_matcher(rules_path)
    classify = matcher.classify
    used, items = read_records(Path(path), fmt, shared_prefilter(rules_path) if prefilter else None)
    resolver = PlaceResolver(Path(mmdb) if mmdb else None)
    result = FileResult(path, used, Tally())
    tally = result.tally
    records = matched = skipped = reported = 0
    try:
        for item in items:
            if isinstance(item, Counted):
                before = records
                records += item.n
                if progress is not None and records // PROGRESS_EVERY != before // PROGRESS_EVERY:
                    progress(records - reported)
                    reported = records
                continue
            if isinstance(item, Problem):
                skipped += 1
                if len(result.problems) < MAX_PROBLEMS_KEPT:
                    result.problems.append(item)
                else:
                    result.unlisted_problems += 1
                continue
            records += 1
            if progress is not None and records % PROGRESS_EVERY == 0:
                progress(records - reported)
                reported = records
            verdict = classify(item)
            if verdict.vendor is None:
                continue
            matched += 1
            place = resolver.resolve(item.ip, item.country, item.region)
            tally.add(item, verdict, place)
    finally:
        resolver.close()
    if progress is not None:
        progress(records - reported)
    tally.records, tally.matched_records, tally.skipped = records, matched, skipped
    return result


def fingerprint_file(
    path: str, fmt: str = "auto", rules_path: str | None = None
) -> Iterator[dict[str, Any] | Problem]:
    """One verdict per input record (docs/formats.md, exposure census), and the problems skipped."""
    classify = shared_matcher(rules_path).classify
    _, items = read_records(Path(path), fmt)
    for item in items:
        if isinstance(item, Counted):  # pragma: no cover - only produced with a prefilter
            continue
        if isinstance(item, Problem):
            yield item
            continue
        verdict = classify(item)
        yield {
            "ip": item.ip,
            "port": verdict.port,
            "vendor": verdict.vendor,
            "device_type": verdict.device_type,
            "signals": list(verdict.signals),
        }


def fingerprint_file_to(
    path: str, fmt: str, rules_path: str | None, out_path: str
) -> tuple[list[Problem], int]:
    """Write one file's verdicts as JSON lines to out_path (for workers); problems kept, and
    how many more there were."""
    import msgspec

    encode = msgspec.json.Encoder().encode
    problems: list[Problem] = []
    unlisted = 0
    with open(out_path, "wb") as out:
        for item in fingerprint_file(path, fmt, rules_path):
            if isinstance(item, Problem):
                if len(problems) < MAX_PROBLEMS_KEPT:
                    problems.append(item)
                else:
                    unlisted += 1
            else:
                out.write(encode(item) + b"\n")
    return problems, unlisted


def pool_context() -> Any:
    """Fork when nothing else runs in this process (instant start); otherwise fork from a clean
    forkserver that has already imported the census (a progress bar or Dask thread may run)."""
    from multiprocessing import get_context

    if threading.active_count() == 1:
        return get_context("fork")
    context = get_context("forkserver")
    context.set_forkserver_preload(["sightline.census.pipeline"])
    return context


def file_format(path: str, fmt: str = "auto") -> str | InputError | UnknownFormat:
    """The format of one file, or why it cannot be read (missing, a folder, unreadable, or in
    no format the census knows)."""
    try:
        if fmt == "auto":
            return detect_format(Path(path))
        from sightline.census.inputs import is_gzip

        is_gzip(Path(path))  # can it be opened at all
        return fmt
    except (InputError, UnknownFormat) as exc:
        return exc


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


def run_census(
    paths: Sequence[str],
    formats: Sequence[str],
    *,
    workers: int | None = None,
    dask_address: str | None = None,
    mmdb: str | None = None,
    rules_path: str | None = None,
    on_records: Callable[[int], None] | None = None,
    on_file: Callable[[FileResult], None] | None = None,
) -> tuple[Tally, list[FileResult]]:
    """Census of many files; results come back in input order whatever ran them."""
    n = len(paths)
    if dask_address is not None:
        results = _run_on_dask(paths, formats, dask_address, mmdb, rules_path)
        for result in results:
            if on_file is not None:
                on_file(result)
    else:
        workers = workers or default_workers()
        if workers <= 1 or n <= 1:
            results = []
            for path, fmt in zip(paths, formats, strict=True):
                result = census_file(path, fmt, mmdb, rules_path, progress=on_records)
                results.append(result)
                if on_file is not None:
                    on_file(result)
        else:
            results = _run_on_pool(
                paths, formats, min(workers, n), mmdb, rules_path, on_records, on_file
            )
    total = Tally()
    for result in results:
        total.merge(result.tally)
    return total, results


def _run_on_pool(
    paths: Sequence[str],
    formats: Sequence[str],
    workers: int,
    mmdb: str | None,
    rules_path: str | None,
    on_records: Callable[[int], None] | None,
    on_file: Callable[[FileResult], None] | None,
) -> list[FileResult]:
    """One process per file, ``workers`` at a time; records read are reported as they go."""
    import queue
    from concurrent.futures import ProcessPoolExecutor

    context = pool_context()
    manager = context.Manager() if on_records is not None else None
    counts: Any = manager.Queue() if manager is not None else None

    def drain() -> None:
        while counts is not None and on_records is not None:
            try:
                on_records(counts.get_nowait())
            except queue.Empty:
                return

    try:
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            progress = counts.put if counts is not None else None
            futures = [
                pool.submit(census_file, p, f, mmdb, rules_path, progress)
                for p, f in zip(paths, formats, strict=True)
            ]
            results = []
            for future in futures:
                while True:
                    try:
                        result = future.result(timeout=0.25)
                        break
                    except TimeoutError:
                        drain()
                drain()
                results.append(result)
                if on_file is not None:
                    on_file(result)
    finally:
        if manager is not None:
            manager.shutdown()
    return results


def _run_on_dask(
    paths: Sequence[str],
    formats: Sequence[str],
    address: str,
    mmdb: str | None,
    rules_path: str | None,
) -> list[FileResult]:
    from distributed import Client

    with Client(address, set_as_default=False, timeout="15s") as client:  # type: ignore[no-untyped-call]
        futures = client.map(
            census_file,
            [str(Path(p).resolve()) for p in paths],
            list(formats),
            [mmdb] * len(paths),
            [rules_path] * len(paths),
            pure=False,
        )
        gathered: list[FileResult] = client.gather(futures)
    return gathered

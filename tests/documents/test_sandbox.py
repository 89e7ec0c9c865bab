"""Worker processes: limits on time and memory, and recovery after a worker is lost."""

from __future__ import annotations

import os
import signal
import threading

import pytest

from sightline.documents import Limits, read_bytes
from sightline.documents.sandbox import Done, Event, Task, WorkerPool, worker_count


@pytest.mark.ocr
def test_time_limit_stops_a_slow_file_and_the_next_file_still_reads(make) -> None:
    slow = read_bytes(make.scanned_pdf(), "scan.pdf", cache=False, limits=Limits(seconds=0.05))
    assert make.errors(slow) == [("document", "reading stopped: it took longer than 0.05 s")]
    assert slow.blocks == []
    fine = read_bytes(make.text_pdf([["after the timeout"]]), "next.pdf", cache=False)
    assert make.located(fine) == [("page 1", "after the timeout")]


def test_memory_limit_stops_a_file_too_big_for_it(make) -> None:
    limits = Limits(memory_mb=100)
    huge = read_bytes(b"a" * 60_000_000, "huge.txt", cache=False, limits=limits)
    assert make.errors(huge) == [("document", "reading stopped: it needed more than 100 MB")]
    small = read_bytes(b"small note", "note.txt", cache=False, limits=limits)
    assert make.located(small) == [("document", "small note")]


@pytest.mark.ocr
def test_failed_attachment_does_not_stop_the_message(make) -> None:
    raw = make.plain_email(
        "Body survives.",
        [("scan.png", "image/png", make.dense_scan_png()), ("note.txt", "text/plain", b"kept")],
    )
    document = read_bytes(raw, "reply.eml", cache=False, limits=Limits(seconds=1.5))
    assert make.located(document) == [("body", "Body survives."), ("note.txt", "kept")]
    assert make.errors(document) == [("scan.png", "reading stopped: it took longer than 1.5 s")]


def test_long_pdf_split_between_workers_reads_like_one(make, monkeypatch) -> None:
    pages = [[f"Page {n} of the register: Hikvision camera {n}"] for n in range(1, 41)]
    data = make.text_pdf(pages)
    monkeypatch.setenv("SIGHTLINE_WORKERS", "1")
    alone = read_bytes(data, "long.pdf", cache=False)
    monkeypatch.setenv("SIGHTLINE_WORKERS", "3")
    shared = read_bytes(data, "long.pdf", cache=False)
    assert make.located(shared) == make.located(alone)
    assert [str(b.location) for b in shared.blocks] == [f"page {n}" for n in range(1, 41)]


@pytest.mark.ocr
def test_slow_pages_of_a_split_pdf_are_located(make, monkeypatch) -> None:
    monkeypatch.setenv("SIGHTLINE_WORKERS", "2")
    read_bytes(b"warm up", "a.txt", cache=False)  # both workers started and idle
    data = make.dense_scan_pdf(pages=2)
    document = read_bytes(data, "scan.pdf", cache=False, limits=Limits(seconds=1.5))
    assert make.errors(document) == [
        ("page 1", "reading stopped: it took longer than 1.5 s"),
        ("page 2", "reading stopped: it took longer than 1.5 s"),
    ]


def test_page_limit(make) -> None:
    data = make.text_pdf([[f"page {n}"] for n in range(1, 6)])
    document = read_bytes(data, "long.pdf", cache=False, limits=Limits(pages=2))
    assert make.located(document) == [("page 1", "page 1"), ("page 2", "page 2")]
    assert make.errors(document) == [
        ("document", "the PDF has 5 pages; only the first 2 were read (page limit 2)")
    ]


@pytest.mark.parametrize(("setting", "expected"), [("3", 3), ("", None)])
def test_worker_count_setting(monkeypatch, setting: str, expected: int | None) -> None:
    monkeypatch.setenv("SIGHTLINE_WORKERS", setting)
    count = worker_count()
    assert count == expected if expected is not None else 1 <= count <= 8


def test_an_unusable_worker_count_is_named(monkeypatch) -> None:
    from sightline.config import SettingsError

    monkeypatch.setenv("SIGHTLINE_WORKERS", "zero")
    with pytest.raises(SettingsError) as error:
        worker_count()
    assert error.value.message == (
        "SIGHTLINE_WORKERS must be a whole number of 1 or more, not 'zero'"
    )


def _text_task(key: int, text: bytes) -> Task:
    return Task(key=key, data=text, name="note.txt", limits=Limits())


@pytest.mark.ocr
def test_pool_recovers_after_an_interrupted_run(make) -> None:
    """A run stopped while a worker is busy must not hand that worker's late answer to the
    next run."""
    pool = WorkerPool(2, 2048)
    try:

        def fail(event: Event) -> list[Task]:
            raise RuntimeError("stop")

        slow = Task(key=1, data=make.dense_scan_png(), name="scan.png", limits=Limits())
        with pytest.raises(RuntimeError, match=r"^stop$"):
            pool.run([slow, _text_task(2, b"quick")], fail)
        seen: list[tuple[int, str]] = []

        def keep(event: Event) -> list[Task]:
            assert isinstance(event, Done)
            seen.append((event.task.key, event.extraction.document.blocks[0].text))
            return []

        pool.run([_text_task(3, b"third"), _text_task(4, b"fourth")], keep)
        assert sorted(seen) == [(3, "third"), (4, "fourth")]
    finally:
        pool.close()


@pytest.mark.ocr
def test_a_worker_that_dies_is_reported_and_replaced(make) -> None:
    pool = WorkerPool(1, 2048)
    events: list[Event] = []
    try:
        pool._fill()
        pid = pool.workers[0].process.pid
        killer = threading.Timer(1.0, os.kill, (pid, signal.SIGSEGV))
        killer.start()
        slow = Task(key=1, data=make.dense_scan_png(), name="scan.png", limits=Limits())
        pool.run([slow], lambda event: events.append(event) or [])
        killer.join()
        assert [(type(e).__name__, getattr(e, "message", "")) for e in events] == [
            ("Failed", "the reader crashed (killed by signal SIGSEGV)")
        ]
        pool.run([_text_task(2, b"after")], lambda event: events.append(event) or [])
        assert isinstance(events[-1], Done)
        assert pool.workers[0].process.pid != pid
    finally:
        pool.close()


def test_threads_reading_at_once_each_get_their_own_document(make) -> None:
    datas = [make.text_pdf([[f"Letter {n}"]]) for n in range(4)]
    results: dict[int, str] = {}

    def read(number: int) -> None:
        results[number] = read_bytes(datas[number], f"{number}.pdf", cache=False).blocks[0].text

    threads = [threading.Thread(target=read, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {n: f"Letter {n}" for n in range(4)}

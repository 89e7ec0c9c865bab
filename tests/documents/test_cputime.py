"""Processor time of a reader and the programs it starts, which the time limit counts."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from sightline.documents import Limits, cputime, read_bytes

BURN = "import time\nend = time.process_time() + {seconds}\nwhile time.process_time() < end: pass\n"


def _spin(seconds: float, nested: bool = False) -> subprocess.Popen[bytes]:
    code = BURN.format(seconds=seconds)
    if nested:  # a child that runs the burner as its own child and waits for it
        code = f"import subprocess, sys\nsubprocess.run([sys.executable, '-c', {code!r}])\n"
    return subprocess.Popen([sys.executable, "-c", code])


def test_processor_time_of_a_process_grows_with_its_work() -> None:
    busy = _spin(30)
    try:
        first = cputime.cpu_seconds(busy.pid)
        assert first is not None
        deadline = time.monotonic() + 60
        while (cputime.cpu_seconds(busy.pid) or 0) < first + 0.3:
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        busy.kill()
        busy.wait()


def test_a_running_grandchild_counts_for_its_ancestor() -> None:
    parent = _spin(30, nested=True)
    try:
        deadline = time.monotonic() + 60
        # the parent itself only waits: what it shows is its child's work
        while (cputime.cpu_seconds(parent.pid) or 0) < 0.5:
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        subprocess.run(["pkill", "-P", str(parent.pid)], check=False)
        parent.kill()
        parent.wait()


def test_a_process_that_is_gone_has_no_figure() -> None:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    assert cputime.cpu_seconds(process.pid) is None


@pytest.mark.ocr
def test_limits_trip_for_the_same_files_while_both_cores_are_busy(make) -> None:
    """Two processes keep both cores busy; a small file still reads within a tight limit
    and a slow one is still stopped by it (the limit counts work, not the clock)."""
    hogs = [_spin(120) for _ in range(2)]
    try:
        limits = Limits(seconds=1)
        note = read_bytes(b"A short note.", "note.txt", cache=False, limits=limits)
        assert make.located(note) == [("document", "A short note.")]
        slow = read_bytes(make.dense_scan_png(), "scan.png", cache=False, limits=limits)
        assert make.errors(slow) == [("document", "reading stopped: it took longer than 1 s")]
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()

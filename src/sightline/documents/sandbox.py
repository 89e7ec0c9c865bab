"""Worker processes that parse untrusted files, so a hostile or broken file costs only itself.

Each worker runs with a cap on its address space (``RLIMIT_AS``), and the parent kills a worker
that passes the time limit and starts a fresh one. The time limit counts processor time (the
worker's and its tesseract's, see ``cputime``), so it trips for the same files on a busy machine as
on a quiet one; the wall clock only stops a worker that makes no progress at all. A worker that dies (a parser crash, running out
of memory) is replaced too; the file it was reading gets a ``ReadError`` saying what happened.
Workers live as long as the parent so that start-up (about a fifth of a second) is paid once.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait

from sightline.documents import cputime
from sightline.documents.extract import Extraction
from sightline.documents.limits import MIB, Limits
from sightline.documents.pdf import PageRange


@dataclass
class Task:
    key: int
    data: bytes
    name: str
    limits: Limits
    kind: str | None = None
    pages: PageRange | None = None
    may_split: bool = False
    workers: int = 1


@dataclass
class Split:
    task: Task
    slices: list[PageRange]


@dataclass
class Done:
    task: Task
    extraction: Extraction


@dataclass
class Failed:
    task: Task
    message: str


Event = Split | Done | Failed
EXIT_OUT_OF_MEMORY = 3


def worker_count() -> int:
    """Workers to run: ``SIGHTLINE_WORKERS``, else the CPUs this process may use (at most 8)."""
    from sightline.config import settings

    configured = settings().workers
    if configured is not None:
        return configured
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, 8))


def serve(conn: Connection, memory_mb: int) -> None:
    """The worker's loop: receive a task, read it, send back events, until told to stop."""
    limit = memory_mb * MIB
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    os.environ["OMP_THREAD_LIMIT"] = "1"  # tesseract: one thread per worker, workers fill the cores
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    from sightline.documents.extract import extract

    conn.send(("ready", None, None))
    while True:
        try:
            task = conn.recv()
        except MemoryError:  # the file alone does not fit: the parent reports it
            os._exit(EXIT_OUT_OF_MEMORY)
        except (EOFError, OSError):
            return
        if task is None:
            return
        assert isinstance(task, Task)

        def split(slices: list[PageRange], task: Task = task) -> None:
            conn.send(("split", task.key, slices))

        try:
            result = extract(
                task.data,
                task.name,
                task.limits,
                kind=task.kind,
                pages=task.pages,
                split=split if task.may_split else None,
                workers=task.workers,
            )
            conn.send(("done", task.key, result))
        except MemoryError:
            conn.send(("failed", task.key, f"reading stopped: it needed more than {memory_mb} MB"))
            return  # the heap may be damaged: let the parent start a fresh worker
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException:  # any parser bug (a Rust panic too) is this file's error
            # the library's own words stay out of the message: they change between releases
            conn.send(("failed", task.key, "the reader failed on this file (damaged or unusual)"))


class _Worker:
    """One worker: a fresh interpreter (``python -m sightline.documents.worker FD MB``) joined
    to us by a socket pair. Not multiprocessing's spawn, which re-runs the caller's main script."""

    def __init__(self, memory_mb: int) -> None:
        ours, theirs = socket.socketpair()
        fd = theirs.fileno()
        # the worker imports sightline from wherever this process did (a source checkout too)
        path = os.pathsep.join(entry for entry in sys.path if entry)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sightline.documents.worker", str(fd), str(memory_mb)],
            pass_fds=(fd,),
            stdin=subprocess.DEVNULL,
            env={**os.environ, "PYTHONPATH": path, "RUST_BACKTRACE": "0"},
            start_new_session=True,  # its own process group: killing it kills its tesseract too
        )
        theirs.close()
        self.conn = Connection(ours.detach())
        self.task: Task | None = None
        self.deadline = 0.0  # wall clock: the backstop for a worker that uses no processor time
        self.cpu_start: float | None = None  # processor seconds used when the task was handed over
        self.ready = False  # until the worker says it has started

    def stop(self, kill: bool = False) -> None:
        if kill:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)
        else:
            with contextlib.suppress(OSError):
                self.conn.send(None)
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.conn.close()


CPU_POLL_SECONDS = 0.05


def _over_time(worker: _Worker, limits: Limits) -> str | None:
    """Why the worker's task must stop now, or None while it is within its time."""
    if worker.cpu_start is not None:
        used = cputime.cpu_seconds(worker.process.pid)
        if used is not None and used - worker.cpu_start >= limits.seconds:
            return f"reading stopped: it took longer than {limits.seconds:g} s"
    if time.monotonic() >= worker.deadline:
        if worker.cpu_start is None:
            return f"reading stopped: it took longer than {limits.seconds:g} s"
        waited = limits.wall_seconds(counted_in_cpu=True)
        return f"reading stopped: no answer after {waited:g} s"
    return None


class WorkerPool:
    """A fixed set of reader processes; ``run`` feeds them tasks until none are left."""

    def __init__(self, size: int, memory_mb: int) -> None:
        self.size = size
        self.memory_mb = memory_mb
        self.workers: list[_Worker] = []
        self.lock = threading.Lock()

    def _fill(self) -> None:
        while len(self.workers) < self.size:
            self.workers.append(_Worker(self.memory_mb))

    def _replace(self, worker: _Worker, kill: bool) -> None:
        self.workers.remove(worker)
        worker.stop(kill=kill)
        self._fill()

    def close(self) -> None:
        for worker in self.workers:
            worker.stop()
        self.workers = []

    def run(self, tasks: Iterable[Task], handle: Callable[[Event], Iterable[Task]]) -> None:
        """Run ``tasks``; ``handle`` receives every event and returns any further tasks.
        One run at a time: threads of a web server reading at once take turns."""
        with self.lock:
            self._guarded_run(deque(tasks), handle)

    def _guarded_run(self, queue: deque[Task], handle: Callable[[Event], Iterable[Task]]) -> None:
        try:
            self._run(queue, handle)
        except BaseException:
            # interrupted (Ctrl-C, an error in ``handle``): workers still busy would answer the
            # next run with this run's results, so they are replaced
            for worker in [w for w in self.workers if w.task is not None]:
                worker.task = None
                self._replace(worker, kill=True)
            raise

    def _run(self, queue: deque[Task], handle: Callable[[Event], Iterable[Task]]) -> None:
        self._fill()
        failed_starts = 0
        while True:
            for worker in self.workers:
                if worker.ready and worker.task is None and queue:
                    task = queue.popleft()
                    # a long PDF is split between workers only when they would otherwise idle
                    idle = [
                        w for w in self.workers if w.ready and w.task is None and w is not worker
                    ]
                    task.workers = 1 + (len(idle) if not queue else 0)
                    # the clock starts when a started worker takes the task, not at start-up
                    worker.task = task
                    worker.cpu_start = cputime.cpu_seconds(worker.process.pid)
                    worker.deadline = time.monotonic() + task.limits.wall_seconds(
                        counted_in_cpu=worker.cpu_start is not None
                    )
                    with contextlib.suppress(OSError):
                        # a worker that died taking it shows as end-of-file below: the task
                        # fails once, it is never handed to worker after worker
                        worker.conn.send(task)
            busy = [worker for worker in self.workers if worker.task is not None]
            starting = [worker for worker in self.workers if not worker.ready]
            if not busy and not queue:
                return
            if failed_starts >= 3 and not busy:  # workers cannot even start: give up honestly
                while queue:
                    queue.extend(handle(Failed(queue.popleft(), "the reader could not start")))
                return
            timeout = None
            if busy:
                timeout = max(0.0, min(worker.deadline for worker in busy) - time.monotonic())
                if any(worker.cpu_start is not None for worker in busy):
                    timeout = min(timeout, CPU_POLL_SECONDS)  # look at processor time often
            ready = set(wait([worker.conn for worker in busy + starting], timeout=timeout))
            for worker in starting:
                if worker.conn in ready:
                    try:
                        worker.conn.recv()
                        worker.ready = True
                        failed_starts = 0
                    except (EOFError, OSError):
                        failed_starts += 1
                        self._replace(worker, kill=True)
            for worker in busy:
                current = worker.task
                assert current is not None
                if worker.conn in ready:
                    queue.extend(self._receive(worker, current, handle))
                else:
                    message = _over_time(worker, current.limits)
                    if message is not None:
                        worker.task = None
                        self._replace(worker, kill=True)
                        queue.extend(handle(Failed(current, message)))

    def _receive(
        self, worker: _Worker, task: Task, handle: Callable[[Event], Iterable[Task]]
    ) -> Iterable[Task]:
        try:
            kind, _key, payload = worker.conn.recv()
        except (EOFError, OSError):
            worker.task = None
            try:
                code: int | None = worker.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                code = None
            self._replace(worker, kill=True)
            if code == EXIT_OUT_OF_MEMORY:
                return handle(
                    Failed(task, f"reading stopped: it needed more than {self.memory_mb} MB")
                )
            if code is not None and code < 0:
                cause = f"killed by signal {signal.Signals(-code).name}"
            else:
                cause = f"exit status {code}"
            return handle(Failed(task, f"the reader crashed ({cause})"))
        if kind == "split":
            return handle(Split(task, list(payload)))
        worker.task = None
        if kind == "done":
            assert isinstance(payload, Extraction)
            return handle(Done(task, payload))
        if worker.process.poll() is not None or "more than" in str(payload):
            self._replace(worker, kill=True)
        return handle(Failed(task, str(payload)))


_pools: dict[tuple[int, int], WorkerPool] = {}
_pools_lock = threading.Lock()


def shared_pool(memory_mb: int) -> WorkerPool:
    """The process-wide pool for this memory limit, started on first use, stopped at exit."""
    key = (worker_count(), memory_mb)
    with _pools_lock:
        pool = _pools.get(key)
        if pool is None:
            pool = _pools[key] = WorkerPool(*key)
    return pool


@atexit.register
def _close_pools() -> None:
    for pool in _pools.values():
        pool.close()
    _pools.clear()

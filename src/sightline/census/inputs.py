"""Reading scan files: gzip or plain, in bounded chunks of whole lines, with line numbers.

Memory stays flat: a file is read ``CHUNK_SIZE`` bytes at a time however large it is. Gzip is
decompressed with isal's igzip (ISA-L: several times faster than the standard library's zlib).
"""

from __future__ import annotations

import errno
import queue
import sys
import threading
import zlib
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Generic, TypeVar, cast

from isal import igzip_lib, isal_zlib

from sightline.errors import SightlineError

CHUNK_SIZE = 1024 * 1024  # small enough to stay in cache between inflating and decoding
GZIP_MAGIC = b"\x1f\x8b"
U = TypeVar("U")


@dataclass(frozen=True, slots=True)
class Problem:
    """A record that could not be read: where it is and why. Printed on stderr, then skipped."""

    path: str
    line: int
    message: str
    detail: str = field(default="", compare=False)  # a library's words: never in the message

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True, slots=True)
class Chunk:
    """Whole lines of a file; ``first_line`` is the 1-based number of the first one."""

    first_line: int
    data: bytes
    lines: int


@dataclass(frozen=True, slots=True)
class Counted:
    """``n`` well-formed records that no fingerprint rule can match (counted, not decoded)."""

    n: int


class InputError(SightlineError):
    """The file cannot be read at all (missing, unreadable)."""


_WHY = {
    errno.ENOENT: "no such file",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EISDIR: "it is a folder, not a file",
    errno.ENOTDIR: "no such file",
    errno.ELOOP: "too many symbolic links",
}


def cannot_read(path: Path, exc: OSError) -> InputError:
    """An InputError in our words for an operating-system failure to open ``path``."""
    why = _WHY.get(exc.errno or 0, "the operating system refused to open it")
    return InputError(f"cannot read {path}: {why}", detail=str(exc))


def is_gzip(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(2) == GZIP_MAGIC
    except OSError as exc:
        raise cannot_read(path, exc) from exc


class TruncatedStream(EOFError):
    """The gzip stream stops before its end marker (a cut-off download)."""


def _gunzip(handle: BinaryIO, max_out: int) -> Iterator[bytes]:
    """Decompressed blocks of a gzip file (several members allowed), at most max_out each.

    Uses isal's igzip decompressor directly rather than through a file object, so every byte
    that came out before a break in the stream is kept; output is bounded, so a gzip bomb
    cannot fill memory.
    """
    inflater = igzip_lib.IgzipDecompressor(flag=igzip_lib.DECOMP_GZIP)
    fed = False
    carry = b""
    while True:
        if carry:
            raw, carry = carry, b""
        elif inflater.needs_input:
            raw = handle.read(1024 * 1024)
            if not raw:
                if fed and not inflater.eof:
                    raise TruncatedStream("compressed file ended before the end-of-stream marker")
                return
        else:
            raw = b""  # output is waiting inside the decompressor
        fed = True
        out = inflater.decompress(raw, max_out)
        if out:
            yield out
        if inflater.eof:  # end of one gzip member; another may follow
            carry = inflater.unused_data
            inflater = igzip_lib.IgzipDecompressor(flag=igzip_lib.DECOMP_GZIP)
            fed = False


#: decompress on a second thread while the caller decodes and matches (ISA-L releases the GIL
#: while it inflates, so the two overlap on two cores); the benchmark turns it off to compare
OVERLAP_DECOMPRESSION = True
#: compressed files smaller than this are inflated in the caller's thread (no gain to share)
OVERLAP_MIN_BYTES = 4 * 1024 * 1024
_AHEAD = 4  # decompressed blocks the thread may hold ready: bounded memory


#: while a worker thread inflates, the interpreter hands the GIL between threads this often (s);
#: at the default 5 ms the worker waits for the reader so long after each block that the two
#: barely overlap
SWITCH_INTERVAL = 0.0005


_switching = threading.Lock()
_switch_users = 0
_switch_before = 0.0


def _quick_switching(on: bool) -> None:
    """Lower the switch interval while any worker thread runs; the last one out restores it
    (several files may be read at once on threads, as Dask workers do)."""
    global _switch_users, _switch_before
    with _switching:
        if on:
            if _switch_users == 0:
                _switch_before = sys.getswitchinterval()
                sys.setswitchinterval(min(_switch_before, SWITCH_INTERVAL))
            _switch_users += 1
        else:
            _switch_users -= 1
            if _switch_users == 0:
                sys.setswitchinterval(_switch_before)


class _Ahead(Generic[U]):
    """Items produced on a worker thread (started at once) up to ``ahead`` items ahead of the
    reader of ``items()``.

    An exception in the worker is raised in the reader at the point it happened; a reader that
    stops early, or ``close()``, stops the worker. While it runs, the GIL is handed over every
    SWITCH_INTERVAL seconds at most.
    """

    def __init__(self, items: Iterator[U], ahead: int) -> None:
        self._ready: queue.Queue[tuple[object, BaseException | None]] = queue.Queue(ahead)
        self._stop = threading.Event()
        self._end = object()
        self._closed = False
        _quick_switching(True)
        self._worker = threading.Thread(
            target=self._work, args=(items,), name="census-inflate", daemon=True
        )
        self._worker.start()

    def _work(self, items: Iterator[U]) -> None:
        ready, stop = self._ready, self._stop
        try:
            for item in items:
                while not stop.is_set():
                    try:
                        ready.put((item, None), timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            ready.put((self._end, None))
        except BaseException as exc:  # handed to the reader, who raises it
            ready.put((self._end, exc))

    def narrow(self, ahead: int) -> None:
        """Hold at most ``ahead`` items ready from now on."""
        with self._ready.mutex:
            self._ready.maxsize = ahead

    def items(self) -> Generator[U, None, None]:
        try:
            while True:
                item, error = self._ready.get()
                if error is not None:
                    raise error
                if item is self._end:
                    return
                yield cast(U, item)
        finally:
            self.close()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._stop.set()
        while self._worker.is_alive():
            try:
                self._ready.get_nowait()
            except queue.Empty:
                self._worker.join(0.05)
        _quick_switching(False)


def _ahead(items: Iterator[U]) -> Generator[U, None, None]:
    """The same items, produced on a worker thread up to _AHEAD items ahead of the reader (the
    thread starts when the first item is asked for)."""
    yield from _Ahead(items, _AHEAD).items()


#: blocks a prefetch may inflate while the command is still starting up (its imports and rules
#: take about as long as inflating twenty); narrowed to _AHEAD once the reader takes over
PREFETCH_AHEAD = 32
_prefetched: dict[tuple[int, int, int, int], _Ahead[Lines | StreamBreak | LongLine]] = {}
_prefetch_lock = threading.Lock()


def _identity(path: Path) -> tuple[int, int, int, int]:
    found = path.stat()
    return (found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns)


def prefetch_lines(path: Path) -> None:
    """Start inflating a large gzip file of JSON lines on the second thread now, while the
    command is still starting up (importing, loading rules, detecting the format); the first
    iter_line_blocks of the same unchanged file takes the thread over.

    Does nothing for a file that would not be read that way (small, not gzip, a JSON document)
    or that cannot be read: the reading itself finds and reports that. Call
    discard_prefetched() when the command ends.
    """
    try:
        if not _overlap(path, CHUNK_SIZE) or layout(read_head(path, 4096)) != "lines":
            return
        key = _identity(path)
    except (InputError, OSError):  # read_head keeps its stream errors to itself
        return
    with _prefetch_lock:
        if key not in _prefetched:
            lines = _line_views(_inflate(path, CHUNK_SIZE))
            _prefetched[key] = _Ahead(lines, PREFETCH_AHEAD)


def discard_prefetched() -> None:
    """Stop every prefetch no reader took over."""
    with _prefetch_lock:
        left = list(_prefetched.values())
        _prefetched.clear()
    for ahead in left:
        ahead.close()


def _take_prefetched(path: Path, size: int) -> _Ahead[Lines | StreamBreak | LongLine] | None:
    if not _prefetched or size != CHUNK_SIZE:
        return None
    try:
        key = _identity(path)
    except OSError:
        return None
    with _prefetch_lock:
        taken = _prefetched.pop(key, None)
    if taken is not None:
        taken.narrow(_AHEAD)
    return taken


def layout(head: bytes) -> str:
    """``lines`` for one record per line, ``document`` for arrays and pretty-printed objects."""
    text = head.lstrip()
    if text.startswith(b"["):
        return "document"
    if text.startswith(b"{"):
        first = text.split(b"\n", 1)[0].strip()
        if first == b"{":
            return "document"
    return "lines"


def _overlap(path: Path, size: int) -> bool:
    """Whether to inflate on a second thread: a large enough gzip file, read in full blocks."""
    return (
        OVERLAP_DECOMPRESSION
        and size >= CHUNK_SIZE
        and is_gzip(path)
        and _size(path) >= OVERLAP_MIN_BYTES
    )


def iter_blocks(path: Path, size: int | None = None) -> Iterator[bytes]:
    """Raw (decompressed) blocks of a file, in order."""
    size = size or CHUNK_SIZE
    blocks = _inflate(path, size)
    yield from (_ahead(blocks) if _overlap(path, size) else blocks)


def _inflate(path: Path, size: int) -> Iterator[bytes]:
    """Blocks of at most ``size`` bytes, inflated when the file is gzip."""
    gz = is_gzip(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise cannot_read(path, exc) from exc
    with handle:
        if gz:
            yield from _gunzip(handle, size)
        else:
            while block := handle.read(size):
                yield block


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


_STREAM_ERRORS: tuple[type[BaseException], ...] = (
    TruncatedStream,
    cast(type[BaseException], isal_zlib.error),
    cast(type[BaseException], igzip_lib.IsalError),
    zlib.error,
    OSError,
)


def read_head(path: Path, size: int = 65536) -> bytes:
    """The first ``size`` decompressed bytes (for format detection); short on a broken stream."""
    head = b""
    blocks = iter_blocks(path, size)
    try:
        for block in blocks:
            head += block
            if len(head) >= size:
                break
    except _STREAM_ERRORS:
        pass
    return head[:size]


@dataclass(frozen=True, slots=True)
class StreamBreak:
    """The compressed stream stopped early or is corrupt, after the lines already yielded."""

    detail: str

    def problem(self, path: str, line: int) -> Problem:
        return Problem(path, line, "compressed stream is truncated or corrupt", self.detail)


@dataclass(frozen=True, slots=True)
class LongLine:
    """One line longer than MAX_LINE_BYTES was dropped (the next line follows it)."""

    def problem(self, path: str, line: int) -> Problem:
        return Problem(path, line, f"line longer than {MAX_LINE_BYTES:,} bytes")


MAX_LINE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Lines:
    """Whole lines, each ending with a newline: ``head`` (one line begun in earlier blocks, or
    empty), then ``data[start:stop]``, a part of one decompressed block (not a copy of it)."""

    head: bytes
    data: bytes
    start: int
    stop: int

    def parts(self) -> Iterator[tuple[bytes, int, int]]:
        """(buffer, start, stop) of each non-empty part, in order."""
        if self.head:
            yield self.head, 0, len(self.head)
        if self.stop > self.start:
            yield self.data, self.start, self.stop

    def tobytes(self) -> bytes:
        """The lines as one bytes object (a copy, unless they are one whole block)."""
        data, start, stop = self.data, self.start, self.stop
        body = data if start == 0 and stop == len(data) else data[start:stop]
        return self.head + body if self.head else body


def iter_line_blocks(
    path: Path, chunk_size: int | None = None
) -> Generator[Lines | StreamBreak | LongLine, None, None]:
    """Blocks of whole lines (Lines), then a StreamBreak if the stream broke.

    A block is not copied to join it to the line the previous block left unfinished: that line
    comes as the next item's ``head``. A partial line at a break is not yielded: the caller
    reports it (one skipped record) rather than guessing at it. A line longer than
    MAX_LINE_BYTES is dropped as it streams past (LongLine), so memory stays bounded. For a
    large gzip file, inflating and cutting into lines run on a second thread.
    """
    size = chunk_size or CHUNK_SIZE
    taken = _take_prefetched(path, size)
    if taken is not None:
        return taken.items()
    if _overlap(path, size):
        return _ahead(_line_views(_inflate(path, size)))
    return _line_views(iter_blocks(path, size))


def _line_views(blocks: Iterator[bytes]) -> Generator[Lines | StreamBreak | LongLine, None, None]:
    parts: list[bytes] = []  # pieces of one line that has not ended yet (joined once it ends)
    size = 0
    dropping = False
    while True:
        try:
            block = next(blocks, b"")
        except _STREAM_ERRORS as exc:
            yield StreamBreak(str(exc) or type(exc).__name__)
            return
        if not block:
            break
        begin = 0
        if dropping:
            end = block.find(b"\n")
            if end < 0:
                continue
            dropping = False
            yield LongLine()
            begin = end + 1
            if begin == len(block):
                continue
        first = block.find(b"\n", begin)
        if first < 0:  # the line goes on: keep the piece, join once it ends (linear, not quadratic)
            parts.append(block[begin:] if begin else block)
            size += len(block) - begin
            if size > MAX_LINE_BYTES:
                parts, size, dropping = [], 0, True
            continue
        head = b""
        if parts:
            head = b"".join([*parts, block[begin : first + 1]])
            parts, size = [], 0
            begin = first + 1
        cut = block.rfind(b"\n") + 1
        if cut < len(block):
            parts, size = [block[cut:]], len(block) - cut
        yield Lines(head, block, begin, cut)
    if dropping:
        yield LongLine()
    elif parts:
        last = b"".join([*parts, b"\n"])
        yield Lines(b"", last, 0, len(last))


def iter_chunks(path: Path, chunk_size: int | None = None) -> Iterator[Chunk | Problem]:
    """Numbered chunks of complete lines, then a Problem if the stream ends early or is corrupt."""
    name = str(path)
    line = 1
    for item in iter_line_blocks(path, chunk_size):
        if isinstance(item, StreamBreak):
            yield item.problem(name, line)
            return
        if isinstance(item, LongLine):
            yield item.problem(name, line)
            line += 1
            continue
        data = item.tobytes()
        lines = data.count(b"\n")
        yield Chunk(line, data, lines)
        line += lines


def iter_lines(path: Path, chunk_size: int | None = None) -> Iterator[tuple[int, bytes] | Problem]:
    """Every line with its 1-based number (newline stripped), and any stream Problem."""
    for item in iter_chunks(path, chunk_size):
        if isinstance(item, Problem):
            yield item
            continue
        number = item.first_line
        for raw in item.data.split(b"\n")[:-1]:
            yield number, raw
            number += 1

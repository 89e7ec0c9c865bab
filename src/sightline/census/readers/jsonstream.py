"""JSON files that are not one record per line: arrays (pretty-printed or on one line) and
streams of pretty-printed objects (``jq .`` output), read one record at a time.

The splitter finds where each top-level value (or each element of a top-level array) starts and
ends without decoding it: a regular expression steps over whole strings and stops at brackets,
so a record of any size is found in one pass and memory holds only the record being read. The
bytes of each record then go to the reader's own decoder.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sightline.census.inputs import _STREAM_ERRORS, Problem, iter_blocks

# a whole string, a bracket, or (when neither fits) the quote of a string cut off by the block end
_TOKEN = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]|"')
_OPEN = frozenset(b"[{")
_CLOSE = frozenset(b"]}")
MAX_RECORD_BYTES = 1024 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Piece:
    """The bytes of one JSON value and the 1-based line it starts on."""

    line: int
    data: bytes


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


def iter_values(path: Path) -> Iterator[Piece | Problem]:
    """Each top-level JSON value of a file, and each element of a top-level array.

    Scalars and commas between records are skipped; text that is not JSON ends the file with
    one Problem at its line.
    """
    name = str(path)
    buf = b""
    pos = 0  # where scanning resumes in buf
    start = -1  # start of the record being collected, in buf (-1: between records)
    depth = 0  # bracket depth, the outer array included
    outer = False  # inside a top-level array
    counted = 0  # buf offset up to which newlines are counted
    line = 1  # the line number at buf[counted]
    need = 0  # buf must grow to this before scanning again (a string cut off by a block end)
    blocks = iter_blocks(path)
    ended = False

    def line_at(offset: int) -> int:
        nonlocal counted, line
        line += buf.count(b"\n", counted, offset)
        counted = offset
        return line

    while True:
        if (pos >= len(buf) or len(buf) < need) and not ended:
            keep = start if start >= 0 else pos
            line_at(keep)
            parts = [buf[keep:]]
            size = len(parts[0])
            try:
                while True:
                    block = next(blocks, b"")
                    if not block:
                        ended = True
                        break
                    parts.append(block)
                    size += len(block)
                    if size >= need:
                        break
            except _STREAM_ERRORS as exc:
                yield Problem(
                    name,
                    line,
                    "compressed stream is truncated or corrupt",
                    str(exc) or type(exc).__name__,
                )
                return
            buf = b"".join(parts)
            pos -= keep
            start = start - keep if start >= 0 else -1
            counted = 0
            if ended:
                need = 0  # all there is: scan it
            if start >= 0 and size > MAX_RECORD_BYTES:
                yield Problem(name, line, f"record longer than {MAX_RECORD_BYTES:,} bytes")
                return
            continue
        if pos >= len(buf):
            break
        match = _TOKEN.search(buf, pos)
        if match is None:
            if start < 0 and buf[pos:].strip(b" \t\r\n,"):
                yield _not_json(name, line_at(pos))
                return
            pos = len(buf)
            continue
        token = match.group()
        if token == b'"':  # a string the buffer cuts off
            if ended:
                break
            need = len(buf) * 2  # read on until it can close: linear in its size, not quadratic
            pos = match.start()
            continue
        if start < 0 and buf[pos : match.start()].strip(b" \t\r\n,:"):
            yield _not_json(name, line_at(pos))
            return
        pos = match.end()
        need = 0
        first = token[0]
        if first in _OPEN:
            if depth == 0 and first == 0x5B and not outer:
                outer = True
                depth = 1
                continue
            if start < 0:
                start = match.start()
            depth += 1
        elif first in _CLOSE:
            depth -= 1
            if depth < 0:
                yield _not_json(name, line_at(match.start()))
                return
            if outer and depth == 0 and start < 0:
                outer = False  # the end of the top-level array
                continue
            if start >= 0 and depth == (1 if outer else 0):
                yield Piece(line_at(start), buf[start : match.end()])
                start = -1
    if start >= 0:
        yield Problem(name, line_at(start), "invalid JSON: the record ends early")


def _not_json(name: str, line: int) -> Problem:
    return Problem(name, line, "not JSON: the file holds text outside its records")

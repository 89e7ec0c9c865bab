"""Reading a large JSON file a value at a time, in bounded memory: the one streaming JSON reader.

Scan exports (a Shodan array, ``jq .`` output, a search reply) and national OCDS files (one
object of several gigabytes, ``{"uri": ..., "releases": [...]}``, or millions of JSON lines) are
both read through :class:`JsonStream`, a cursor over the text of the file held in a sliding
buffer. The structure around the records is read token by token, and each record is taken whole
in one of two ways: ``value`` decodes it with the C decoder of :mod:`json` (``raw_decode``, which
finds its end and builds it in one pass); ``raw`` finds its end without decoding it (a regular
expression steps over whole strings and everything that is not a bracket, so a record of any size
is found in one pass) and hands over its bytes, for a reader with its own decoder (the census
decodes them into its structs). Memory holds the record being read and one buffer, never the
file.

A file compressed with gzip is recognised by its first two bytes (RFC 1952 section 2.3.1: 0x1f
0x8b) by :func:`open_binary` and read through :mod:`gzip`, whatever its name; a reader with its
own decompression passes an iterator of blocks instead of a file.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import re
import zlib
from collections.abc import Iterable, Iterator
from typing import IO, Any, Literal, cast

from sightline.errors import SightlineError

CHUNK = 1 << 20  # bytes read at a time (a gzip stream: compressed bytes)
MAX_VALUE = 256 << 20  # one value larger than this is refused, not read forever
GZIP_MAGIC = b"\x1f\x8b"

#: why the text stopped being read: the file could not be read on (``read``), it ends inside a
#: value (``end``), a value is longer than the stream allows (``long``), the text is not JSON
#: (``syntax``) or not UTF-8 (``encoding``)
Kind = Literal["read", "end", "long", "syntax", "encoding"]

# Everything up to the next bracket: runs of other characters and whole strings. What it stops at
# is a bracket, the end of the buffer, or the quote of a string the buffer cuts off.
_SKIP = re.compile(r'(?:[^"\[\]{}]+|"[^"\\]*(?:\\.[^"\\]*)*")*', re.DOTALL)
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
# a number or a literal, as far as the standard library's decoder takes one
_SCALAR = re.compile(
    r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|true|false|null|NaN|-?Infinity"
)
_NOT_SPACE = re.compile(r"[^ \t\r\n]")
_READ_ERRORS: tuple[type[BaseException], ...] = (OSError, EOFError, zlib.error)
_decoder = json.JSONDecoder()


class JsonStreamError(SightlineError, ValueError):
    """The text stops being JSON: ``line`` and ``column`` say where, ``truncated`` whether the
    file ended inside a value (or could not be read to its end), ``kind`` why."""

    def __init__(
        self,
        message: str,
        line: int,
        column: int,
        truncated: bool,
        kind: Kind = "syntax",
        detail: str = "",
    ) -> None:
        super().__init__(message, detail=detail)
        self.line = line
        self.column = column
        self.truncated = truncated
        self.kind: Kind = kind


def open_binary(handle: IO[bytes]) -> IO[bytes]:
    """``handle`` itself, or a gzip reader over it when it starts with the gzip magic bytes."""
    buffered: io.BufferedReader = (
        handle if isinstance(handle, io.BufferedReader) else io.BufferedReader(cast(Any, handle))
    )
    if buffered.peek(2)[:2] == GZIP_MAGIC:
        return cast(IO[bytes], gzip.GzipFile(fileobj=buffered, mode="rb"))
    return cast(IO[bytes], buffered)


def _read_blocks(handle: IO[bytes]) -> Iterator[bytes]:
    # read1: one underlying read at a time, so a stream that breaks off (a cut gzip file)
    # still hands over what came before the break
    read = getattr(handle, "read1", handle.read)
    while block := read(CHUNK):
        yield block


class JsonStream:
    """A cursor over the JSON text of a binary file, or of an iterator of its blocks.

    ``check_utf8``: the text is UTF-8 (a byte-order mark is skipped), checked as it is read;
    without it, bytes are taken one character each (Latin-1), so that ``raw`` hands them back
    exactly as they are and their decoder judges them. ``errors``: the exceptions the blocks may
    raise when the file cannot be read on (a damaged or cut compressed stream); the values
    before the break are still read. ``max_value``: the longest value read, in characters.
    """

    def __init__(
        self,
        source: IO[bytes] | Iterable[bytes],
        *,
        check_utf8: bool = True,
        errors: tuple[type[BaseException], ...] = _READ_ERRORS,
        max_value: int | None = None,
    ) -> None:
        self._blocks: Iterator[bytes] = (
            _read_blocks(cast(IO[bytes], source)) if hasattr(source, "read") else iter(source)
        )
        self._errors = errors
        self._encoding = "utf-8" if check_utf8 else "latin-1"
        self._decode = codecs.getincrementaldecoder("utf-8-sig" if check_utf8 else "latin-1")(
            errors="strict"
        )
        self._max = MAX_VALUE if max_value is None else max_value
        self._buffer = ""
        self._pos = 0
        self._eof = False
        self._broken = ""  # why the file could not be read on ("": it could)
        self._counted = 0  # buffer index up to which newlines are counted
        self._line = 1  # the line number at buffer[_counted]
        self._mark: int | None = None  # buffer index kept for ``rewind``, or None

    # -- the buffer -------------------------------------------------------------------------

    def _more(self, at_least: int = 0) -> bool:
        """Read at least ``at_least`` more characters (one block at least); False at the end."""
        if self._eof:
            if self._broken:  # the text before the break has all been used
                raise self._read_error()
            return False
        if self._mark is not None and self._pos - self._mark > self._max:
            self._mark = None  # too far back to keep: memory stays bounded
        keep = self._pos if self._mark is None else self._mark
        if keep > CHUNK:  # drop what has been read, keeping line numbers right
            self._line_at(keep)
            self._buffer = self._buffer[keep:]
            self._counted = 0
            self._pos -= keep
            if self._mark is not None:
                self._mark -= keep
        parts: list[str] = []
        got = 0
        while got < max(at_least, 1):
            try:
                data = next(self._blocks, b"")
            except self._errors as error:
                # keep what was read before it: the values there are still read
                self._broken = str(error) or type(error).__name__
                self._eof = True
                break
            try:
                text = self._decode.decode(data, final=not data)
            except UnicodeDecodeError:
                raise self._error("the file is not UTF-8 text", False, "encoding") from None
            parts.append(text)
            got += len(text)
            if not data:
                self._eof = True
                break
        self._buffer += "".join(parts)
        if got == 0 and self._broken:
            raise self._read_error()
        return got > 0

    def _read_error(self) -> JsonStreamError:
        return self._error("the file cannot be read to its end", True, "read", detail=self._broken)

    def _line_at(self, index: int) -> int:
        if index < self._counted:  # back to a mark
            self._line -= self._buffer.count("\n", index, self._counted)
        else:
            self._line += self._buffer.count("\n", self._counted, index)
        self._counted = index
        return self._line

    def line(self) -> int:
        """The line of the cursor, from 1."""
        return self._line_at(self._pos)

    def position(self) -> tuple[int, int]:
        """(line, column) of the cursor, both from 1; the column counts characters."""
        start = self._buffer.rfind("\n", 0, self._pos) + 1
        return self.line(), self._pos - start + 1

    def _error(
        self, message: str, truncated: bool, kind: Kind, at: int | None = None, detail: str = ""
    ) -> JsonStreamError:
        saved = self._pos
        if at is not None:
            self._pos = at
        line, column = self.position()
        self._pos = saved
        return JsonStreamError(message, line, column, truncated, kind, detail)

    # -- tokens -----------------------------------------------------------------------------

    def peek(self) -> str:
        """The next character that is not whitespace ('' at the end of the file)."""
        while True:
            found = _NOT_SPACE.search(self._buffer, self._pos)
            if found is not None:
                self._pos = found.start()
                return self._buffer[self._pos]
            self._pos = len(self._buffer)
            if not self._more():
                return ""

    def expect(self, characters: str) -> str:
        char = self.peek()
        if char == "" or char not in characters:
            wanted = " or ".join(repr(c) for c in characters)
            if char:
                raise self._error(f"expected {wanted} here", False, "syntax")
            raise self._error(f"the file ends where {wanted} was due", True, "end")
        self._pos += 1
        return char

    def raw(self) -> bytes:
        """The bytes of the next whole value, not decoded: a container's brackets and strings
        are matched, what lies between them is left to the decoder."""
        char = self.peek()
        if char == "":
            raise self._error("the file ends where a value was due", True, "end")
        if char in "{[":
            end = self._container_end()
        elif char == '"':
            end = self._string_end()
        else:
            end = self._scalar_end()
        data = self._buffer[self._pos : end].encode(self._encoding)
        self._pos = end
        return data

    def _grow(self, scan: int) -> int:
        """Read on for the value at the cursor; ``scan`` (a buffer index) as moved by it."""
        size = len(self._buffer) - self._pos
        if size > self._max:
            raise self._error(
                f"a value longer than {self._max >> 20} MB, or not JSON", False, "long"
            )
        before = self._pos
        # doubling what is held: linear in the value's size, not quadratic
        if not self._more(at_least=size):
            raise self._error("the file ends inside a value", True, "end")
        return scan - (before - self._pos)

    def _container_end(self) -> int:
        skip = _SKIP.match
        scan = self._pos + 1
        depth = 1
        while True:
            buffer = self._buffer
            stop = skip(buffer, scan).end()  # type: ignore[union-attr]  # it matches anywhere
            if stop < len(buffer):
                byte = buffer[stop]
                if byte != '"':
                    scan = stop + 1
                    if byte in "[{":
                        depth += 1
                    else:
                        depth -= 1
                        if depth == 0:
                            return scan
                    continue
                scan = self._grow(stop)  # a string the buffer cuts off
            else:
                scan = self._grow(stop)

    def _string_end(self) -> int:
        while True:
            found = _STRING.match(self._buffer, self._pos)
            if found is not None:
                return found.end()
            self._grow(self._pos)

    def _scalar_end(self) -> int:
        while True:
            found = _SCALAR.match(self._buffer, self._pos)
            end = len(self._buffer)
            # a number at the end of the buffer may go on, a cut literal may be completed
            if not self._eof and (found.end() == end if found else end - self._pos < 9):
                try:
                    self._grow(self._pos)
                    continue
                except JsonStreamError as error:
                    if error.kind != "end":
                        raise
            # nothing that is a value: one byte, which the decoder refuses where it is
            return found.end() if found else self._pos + 1

    def value(self) -> Any:
        """Decode the next whole JSON value."""
        if self.peek() == "":
            raise self._error("the file ends where a value was due", True, "end")
        while True:
            try:
                value, end = _decoder.raw_decode(self._buffer, self._pos)
            except json.JSONDecodeError as error:
                size = len(self._buffer) - self._pos
                if size > self._max:
                    raise self._error(
                        f"a value longer than {self._max >> 20} MB, or not JSON", False, "long"
                    ) from None
                if self._more(at_least=size):  # perhaps the value goes on past the buffer
                    continue
                if self._ends_inside():
                    raise self._error("the file ends inside a value", True, "end") from None
                raise self._error("not JSON", False, "syntax", at=error.pos) from None
            except RecursionError:
                raise self._error("not JSON (nested too deeply)", False, "syntax") from None
            # a number at the end of the buffer may continue in the next block
            if end == len(self._buffer) and isinstance(value, int | float) and self._more():
                continue
            self._pos = end
            return value

    def _ends_inside(self) -> bool:
        """Whether the rest of the file is an unfinished value rather than a wrong one."""
        rest = self._buffer[self._pos :].rstrip()
        try:
            _decoder.raw_decode(rest)
        except json.JSONDecodeError as error:
            # the decoder stopped at the very end, or inside a string that never closes
            return error.pos >= len(rest) or error.msg.startswith("Unterminated")
        except RecursionError:
            return False
        return False

    @property
    def failed(self) -> bool:
        """Whether the file could not be read to its end (a damaged or cut compressed file)."""
        return bool(self._broken)

    def mark(self) -> None:
        """Remember the cursor, so that ``rewind`` can come back to it."""
        self.peek()
        self._mark = self._pos

    def unmark(self) -> None:
        self._mark = None

    def rewind(self) -> bool:
        """Back to the mark, if it is still held; False if not."""
        if self._mark is None:
            return False
        self._pos, self._mark = self._mark, None
        return True

    def skip_line(self) -> None:
        """Move past the end of the current line (to carry on after a bad JSON line)."""
        while True:
            newline = self._buffer.find("\n", self._pos)
            if newline >= 0:
                self._pos = newline + 1
                return
            self._pos = len(self._buffer)
            if not self._more():
                return

    # -- structure --------------------------------------------------------------------------

    def members(self, streamed: frozenset[str]) -> Iterator[tuple[str, Any, bool]]:
        """The members of the object at the cursor: (key, value, False), except for a key in
        ``streamed`` whose value is an array: (key, element, True) once per element, decoded one
        at a time."""
        self.expect("{")
        if self.peek() == "}":
            self._pos += 1
            return
        while True:
            key = self.value()
            if not isinstance(key, str):
                raise self._error("expected a member name here", False, "syntax")
            self.expect(":")
            if key in streamed and self.peek() == "[":
                self._pos += 1
                if self.peek() == "]":
                    self._pos += 1
                else:
                    while True:
                        yield key, self.value(), True
                        if self.expect(",]") == "]":
                            break
            else:
                yield key, self.value(), False
            if self.expect(",}") == "}":
                return

    def elements(self) -> Iterator[Any]:
        """The elements of the array at the cursor, decoded one at a time."""
        self.expect("[")
        if self.peek() == "]":
            self._pos += 1
            return
        while True:
            yield self.value()
            if self.expect(",]") == "]":
                return

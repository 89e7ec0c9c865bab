"""Reading a large JSON file a value at a time, in bounded memory, with the standard library.

A national OCDS file is one JSON object of several gigabytes (``{"uri": ..., "releases": [...]}``)
or millions of JSON lines. ``JsonStream`` walks the text through a sliding buffer: the structure
around the big arrays is read token by token, and each element is decoded whole by the C decoder
of :mod:`json` (``raw_decode``), so memory holds one element and one buffer, never the file.

Files compressed with gzip are recognised by their first two bytes (RFC 1952 section 2.3.1:
0x1f 0x8b) and read through :mod:`gzip`, whatever their name.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import zlib
from collections.abc import Iterator
from typing import IO, Any, cast

from sightline.errors import SightlineError

CHUNK = 1 << 20  # characters read at a time
MAX_VALUE = 256 << 20  # one release or record larger than this is refused, not read forever
GZIP_MAGIC = b"\x1f\x8b"
_WHITESPACE = " \t\r\n"
_decoder = json.JSONDecoder()


class JsonStreamError(SightlineError, ValueError):
    """The text stops being JSON: ``line`` and ``column`` say where, ``truncated`` whether the
    file ended inside a value."""

    def __init__(self, message: str, line: int, column: int, truncated: bool) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.truncated = truncated


def open_binary(handle: IO[bytes]) -> IO[bytes]:
    """``handle`` itself, or a gzip reader over it when it starts with the gzip magic bytes."""
    buffered: io.BufferedReader = (
        handle if isinstance(handle, io.BufferedReader) else io.BufferedReader(cast(Any, handle))
    )
    if buffered.peek(2)[:2] == GZIP_MAGIC:
        return cast(IO[bytes], gzip.GzipFile(fileobj=buffered, mode="rb"))
    return cast(IO[bytes], buffered)


class JsonStream:
    """A cursor over JSON text read from a binary file, UTF-8 (a byte-order mark is skipped)."""

    def __init__(self, handle: IO[bytes]) -> None:
        self._handle = handle
        # read1: one underlying read at a time, so a stream that breaks off (a cut gzip file)
        # still hands over what came before the break
        self._read = getattr(handle, "read1", handle.read)
        self._decode = codecs.getincrementaldecoder("utf-8-sig")(errors="strict")
        self._buffer = ""
        self._pos = 0
        self._eof = False
        self._lines_before = 0  # newlines in the text already dropped from the buffer
        self._mark: int | None = None  # buffer index kept for ``rewind``, or None
        self._failure: JsonStreamError | None = None  # the file could not be read on

    # -- the buffer -------------------------------------------------------------------------

    def _more(self, at_least: int = CHUNK) -> bool:
        """Read more text into the buffer; False at the end of the file."""
        if self._eof:
            if self._failure is not None:  # the text before the failure has all been used
                raise self._error(self._failure.message, truncated=True)
            return False
        if self._mark is not None and self._pos - self._mark > MAX_VALUE:
            self._mark = None  # too far back to keep: memory stays bounded
        keep = self._pos if self._mark is None else self._mark
        if keep > CHUNK:  # drop what has been read, keeping line numbers right
            self._lines_before += self._buffer.count("\n", 0, keep)
            self._buffer = self._buffer[keep:]
            self._pos -= keep
            if self._mark is not None:
                self._mark -= keep
        wanted = max(at_least, CHUNK)
        parts: list[str] = []
        got = 0
        while got < wanted:
            try:
                data = self._read(CHUNK)
            except (OSError, EOFError, zlib.error):  # a damaged or cut gzip stream
                # keep what was read before it: the values there are still read
                self._failure = self._error("the file cannot be read to its end", truncated=True)
                self._eof = True
                break
            if not data:
                try:
                    parts.append(self._decode.decode(b"", final=True))
                except UnicodeDecodeError:
                    raise self._error("the file is not UTF-8 text", truncated=False) from None
                self._eof = True
                break
            try:
                text = self._decode.decode(data)
            except UnicodeDecodeError:
                raise self._error("the file is not UTF-8 text", truncated=False) from None
            parts.append(text)
            got += len(text)
        self._buffer += "".join(parts)
        if got == 0 and self._failure is not None:
            raise self._error(self._failure.message, truncated=True)
        return got > 0 or bool(parts and parts[-1])

    def position(self) -> tuple[int, int]:
        """(line, column) of the cursor, both from 1."""
        line = self._lines_before + self._buffer.count("\n", 0, self._pos) + 1
        start = self._buffer.rfind("\n", 0, self._pos) + 1
        return line, self._pos - start + 1

    def _error(self, message: str, truncated: bool, at: int | None = None) -> JsonStreamError:
        saved = self._pos
        if at is not None:
            self._pos = at
        line, column = self.position()
        self._pos = saved
        return JsonStreamError(message, line, column, truncated)

    # -- tokens -----------------------------------------------------------------------------

    def peek(self) -> str:
        """The next character that is not whitespace ('' at the end of the file)."""
        while True:
            buffer, pos = self._buffer, self._pos
            while pos < len(buffer) and buffer[pos] in _WHITESPACE:
                pos += 1
            self._pos = pos
            if pos < len(buffer):
                return buffer[pos]
            if not self._more():
                return ""

    def expect(self, characters: str) -> str:
        char = self.peek()
        if char == "" or char not in characters:
            wanted = " or ".join(repr(c) for c in characters)
            raise self._error(
                f"expected {wanted} here" if char else f"the file ends where {wanted} was due",
                truncated=char == "",
            )
        self._pos += 1
        return char

    def value(self) -> Any:
        """Decode the next whole JSON value."""
        if self.peek() == "":
            raise self._error("the file ends where a value was due", truncated=True)
        while True:
            try:
                value, end = _decoder.raw_decode(self._buffer, self._pos)
            except json.JSONDecodeError as error:
                size = len(self._buffer) - self._pos
                if size > MAX_VALUE:
                    raise self._error(
                        f"a value longer than {MAX_VALUE >> 20} MB, or not JSON", truncated=False
                    ) from None
                if self._more(at_least=size):  # perhaps the value goes on past the buffer
                    continue
                inside = self._ends_inside()
                raise self._error(
                    "the file ends inside a value" if inside else "not JSON",
                    truncated=inside,
                    at=None if inside else error.pos,  # an unfinished value: where it starts
                ) from None
            at_end = end == len(self._buffer) and not self._eof
            # a number at the end of the buffer may continue in the next chunk
            if at_end and isinstance(value, int | float) and self._more():
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
        return False

    @property
    def failed(self) -> bool:
        """Whether the file could not be read to its end (a damaged or cut compressed file)."""
        return self._failure is not None

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
                raise self._error("expected a member name here", truncated=False)
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

"""JSON-lines decoding shared by the Shodan, Censys, ZGrab2 and masscan readers, and JSON files
that are not one record per line: arrays (pretty-printed or on one line) and streams of
pretty-printed objects (``jq .`` output), read one record at a time.

A chunk of lines is decoded in one call (msgspec ``decode_lines``) into structs holding only the
fields the census reads; everything else in a record is validated and skipped without building
Python objects. When a chunk holds a bad line, that chunk is decoded again line by line so each
problem is reported with its own line number and every good line around it is kept.

In a JSON document each record is found by :class:`sightline.jsonstream.JsonStream` without being
decoded (a record of any size in one pass, memory holding only that record); its bytes then go
to the reader's own decoder.
"""

from __future__ import annotations

import codecs
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from sightline.census.inputs import (
    _STREAM_ERRORS,
    Chunk,
    Counted,
    LongLine,
    Problem,
    StreamBreak,
    iter_blocks,
    iter_chunks,
    iter_line_blocks,
    layout,
    read_head,
)
from sightline.census.prefilter import LinePrefilter
from sightline.census.records import RecordError, ScanRecord

T = TypeVar("T")

Converter = Callable[[Any, int], ScanRecord]
MAX_RECORD_BYTES = 1024 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Piece:
    """The bytes of one JSON value and the 1-based line it starts on."""

    line: int
    data: bytes


def iter_values(path: Path) -> Iterator[Piece | Problem]:
    """Each top-level JSON value of a file, and each element of a top-level array.

    Strings and commas between records are skipped; text that is not JSON ends the file with
    one Problem at its line.
    """
    from sightline.jsonstream import JsonStream, JsonStreamError  # only for JSON documents

    name = str(path)
    stream = JsonStream(
        iter_blocks(path), check_utf8=False, errors=_STREAM_ERRORS, max_value=MAX_RECORD_BYTES
    )
    outer = False  # inside a top-level array
    try:
        while char := stream.peek():
            if char in "{[" and (outer or char == "{"):
                line = stream.line()
                yield Piece(line, stream.raw())
            elif char == "[":
                outer = stream.expect("[") == "["
            elif char == "]" and outer:
                outer = stream.expect("]") != "]"
            elif char in ",:":
                stream.expect(char)
            elif char == '"':  # a string between records: skipped, even one cut off
                try:
                    stream.raw()
                except JsonStreamError as error:
                    if error.kind != "end":
                        raise
                    return
            else:
                yield _not_json(name, stream.line())
                return
    except JsonStreamError as error:
        if error.kind == "read":
            message = "compressed stream is truncated or corrupt"
            yield Problem(name, error.line, message, error.detail)
        elif error.kind == "long":
            yield Problem(name, error.line, f"record longer than {MAX_RECORD_BYTES:,} bytes")
        else:
            yield Problem(name, error.line, "invalid JSON: the record ends early")


def _not_json(name: str, line: int) -> Problem:
    return Problem(name, line, "not JSON: the file holds text outside its records")


def describe_decode_error(exc: Exception, raw: bytes, wanted: Any = None) -> tuple[str, str]:
    """One short reason, in the census's own words, why ``raw`` could not be decoded.

    The decoder's exception only says *that* the line failed; the reason is found again here
    (UTF-8, JSON syntax, then the fields of ``wanted``, the struct the reader asked for), so the
    wording does not change with the JSON library. The library's text goes to the detail.
    """
    import json

    detail = str(exc)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as bad:
        return (f"not UTF-8 (invalid byte 0x{raw[bad.start]:02x} at byte {bad.start + 1})", detail)
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as syntax:
        if syntax.pos >= len(text.rstrip()):
            return ("invalid JSON: the record ends early", detail)
        return (f"invalid JSON at character {syntax.pos + 1}", detail)
    except RecursionError:
        return ("invalid JSON: nested too deeply", detail)
    if wanted is not None and isinstance(wanted, type) and issubclass(wanted, msgspec.Struct):
        return (_field_problem(obj, wanted, "") or "record lacks what the census needs", detail)
    return ("record lacks what the census needs", detail)


def _field_problem(obj: Any, wanted: type[msgspec.Struct], prefix: str) -> str | None:
    """The first field of ``obj`` that does not fit ``wanted``, in our words (None: none found)."""
    if not isinstance(obj, dict):
        return f"`{prefix or 'record'}` is not a JSON object"
    for field in msgspec.structs.fields(wanted):
        name = f"{prefix}.{field.encode_name}" if prefix else field.encode_name
        if field.encode_name not in obj:
            if field.required:
                return f"record lacks the field `{name}`"
            continue
        value = obj[field.encode_name]
        try:
            msgspec.convert(value, field.type, strict=True)
        except msgspec.ValidationError:
            inner = _struct_in(field.type)
            if inner is not None and isinstance(value, dict):
                found = _field_problem(value, inner, name)
                if found is not None:
                    return found
            return f"field `{name}` has the wrong type ({_json_kind(value)})"
    return None


def _struct_in(annotation: Any) -> type[msgspec.Struct] | None:
    """The Struct type in ``X`` or ``X | None``, if any."""
    candidates = typing.get_args(annotation) or (annotation,)
    for candidate in candidates:
        if isinstance(candidate, type) and issubclass(candidate, msgspec.Struct):
            return candidate
    return None


def _json_kind(value: Any) -> str:
    kinds = {bool: "true or false", int: "a number", float: "a number", str: "a string"}
    if value is None:
        return "null"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return kinds.get(type(value), type(value).__name__)


_DECODE_ERRORS = (msgspec.DecodeError, msgspec.ValidationError, UnicodeDecodeError)


def _one_line(
    name: str,
    number: int,
    raw: bytes,
    decoder: msgspec.json.Decoder[Any],
    convert: Converter,
    clean: Callable[[bytes], bytes] | None,
) -> ScanRecord | Problem | list[ScanRecord | Problem] | None:
    if clean is not None:
        raw = clean(raw)
    if not raw.strip():
        return None
    try:
        obj = decoder.decode(raw)
    except _DECODE_ERRORS as exc:
        if isinstance(exc, msgspec.ValidationError) and unwrap(raw):  # an API reply on one line
            return list(_document_piece(name, number, raw, decoder, convert))
        return Problem(name, number, *describe_decode_error(exc, raw, decoder.type))
    try:
        return convert(obj, number)
    except RecordError as exc:
        return Problem(name, number, str(exc))


def read_json_lines(
    path: Path,
    decoder: msgspec.json.Decoder[Any],
    convert: Converter,
    clean: Callable[[bytes], bytes] | None = None,
) -> Iterator[ScanRecord | Problem]:
    """Records of a JSON-lines file in order, with a Problem for each line that is skipped.

    ``clean`` rewrites a line before decoding (masscan's separator commas); when given, lines
    are always decoded one by one.
    """
    if layout(read_head(path, 4096)) == "document":
        yield from read_json_document(path, decoder, convert)
        return
    name = str(path)
    for item in iter_chunks(path):
        if isinstance(item, Problem):
            yield item
            continue
        if clean is None:
            fast = _fast_chunk(name, item, decoder, convert)
            if fast is not None:
                yield from fast
                continue
        number = item.first_line
        for raw in item.data.split(b"\n")[:-1]:
            result = _one_line(name, number, raw, decoder, convert, clean)
            if isinstance(result, list):
                yield from result
            elif result is not None:
                yield result
            number += 1


def _fast_chunk(
    name: str, chunk: Chunk, decoder: msgspec.json.Decoder[Any], convert: Converter
) -> list[ScanRecord | Problem] | None:
    """Decode a whole chunk at once; None when it must be done line by line."""
    try:
        objs = decoder.decode_lines(chunk.data)
    except _DECODE_ERRORS:
        return None
    if len(objs) != chunk.lines:
        return None  # blank lines: object i is no longer on line first_line + i
    out: list[ScanRecord | Problem] = []
    number = chunk.first_line
    for obj in objs:
        try:
            out.append(convert(obj, number))
        except RecordError as exc:
            out.append(Problem(name, number, str(exc)))
        number += 1
    return out


def read_json_lines_prefiltered(
    path: Path,
    lean: msgspec.json.Decoder[Any],
    full: msgspec.json.Decoder[Any],
    convert: Converter,
    prefilter: LinePrefilter,
    also_decode: Callable[[list[Any]], list[int]] | None = None,
) -> Iterator[ScanRecord | Problem | Counted]:
    """Like read_json_lines, but only lines with a needle are decoded in full and converted.

    Every line is still checked: ``lean`` decodes the fields every record must have (one call
    per block; it validates the JSON and builds almost nothing), and a block that is not all
    ASCII is checked to be UTF-8; a block that fails either is read line by line as
    read_json_lines does, so each bad line is reported with its number. The other lines are
    yielded as a Counted total per block. Lines are counted from the decoded records (a block
    whose lines all start with "{" has no blank line), so newlines are counted only where a
    problem needs its line number. ``also_decode`` picks, from the lean records, more lines
    to decode in full (by index): what a needle cannot show, such as the MD5 of a favicon
    Shodan keeps as base64.
    """
    if layout(read_head(path, 4096)) == "document":
        yield from read_json_document(path, full, convert)
        return
    name = str(path)
    line = 1
    out: list[ScanRecord | Problem | Counted] = []
    for item in iter_line_blocks(path):
        if isinstance(item, StreamBreak):
            yield item.problem(name, line)
            return
        if isinstance(item, LongLine):
            yield item.problem(name, line)
            line += 1
            continue
        for data, start, stop in item.parts():
            line += _prefiltered_part(
                name, data, start, stop, line, lean, full, convert, prefilter, also_decode, out
            )
            yield from out
            out.clear()


def _is_utf8(data: bytes, start: int, stop: int) -> bool:
    """Whether data[start:stop] is UTF-8 (ASCII, as Python's json writes, is checked first:
    it is much cheaper, and the whole block is checked to avoid a copy)."""
    if data.isascii():
        return True
    try:
        codecs.utf_8_decode(memoryview(data)[start:stop], "strict", True)
    except UnicodeDecodeError:
        return False
    return True


def _prefiltered_part(
    name: str,
    data: bytes,
    start: int,
    stop: int,
    line: int,
    lean: msgspec.json.Decoder[Any],
    full: msgspec.json.Decoder[Any],
    convert: Converter,
    prefilter: LinePrefilter,
    also_decode: Callable[[list[Any]], list[int]] | None,
    out: list[ScanRecord | Problem | Counted],
) -> int:
    """Read the whole lines data[start:stop] (line ``line`` first) into ``out``; returns how
    many lines they were."""
    whole = start == 0 and stop == len(data)
    view = data if whole else memoryview(data)[start:stop]
    try:
        objs = lean.decode_lines(view)
    except _DECODE_ERRORS:
        objs = None
    irregular = True
    if objs is not None and _is_utf8(data, start, stop):
        candidates, irregular = prefilter.scan(data, start, stop)
    if irregular:  # a bad or blank line: read line by line, each numbered
        chunk = data if whole else data[start:stop]
        lines = chunk.count(b"\n")
        out.extend(_slow_chunk(name, Chunk(line, chunk, lines), full, convert))
        return lines
    assert objs is not None
    extra = also_decode(objs) if also_decode is not None else []
    if extra:  # find those lines (index i is line i: every line starts with "{")
        starts = {begin for begin, _ in candidates}
        begin, index = start, 0
        for wanted in sorted(extra):  # one walk through the chunk, however many there are
            while index < wanted:
                begin = data.index(b"\n", begin) + 1
                index += 1
            if begin not in starts:
                candidates.append((begin, data.index(b"\n", begin)))
                starts.add(begin)
        candidates.sort()
    out.append(Counted(len(objs) - len(candidates)))
    for begin, end in candidates:
        # line numbers only matter for problems: count newlines only when there is one
        result = _one_line(name, 0, data[begin:end], full, convert, None)
        if isinstance(result, Problem):
            number = line + data.count(b"\n", start, begin)
            result = Problem(name, number, result.message, result.detail)
        if isinstance(result, list):
            out.extend(_renumber(result, line + data.count(b"\n", start, begin)))
        elif result is not None:
            out.append(result)
    return len(objs)


def _renumber(items: list[ScanRecord | Problem], line: int) -> Iterator[ScanRecord | Problem]:
    for item in items:
        if isinstance(item, Problem):
            yield Problem(item.path, line, item.message, item.detail)
        else:
            item.line = line
            yield item


def _slow_chunk(
    name: str, chunk: Chunk, decoder: msgspec.json.Decoder[Any], convert: Converter
) -> Iterator[ScanRecord | Problem]:
    number = chunk.first_line
    for raw in chunk.data.split(b"\n")[:-1]:
        result = _one_line(name, number, raw, decoder, convert, None)
        if isinstance(result, list):
            yield from result
        elif result is not None:
            yield result
        number += 1


class _Wrapper(msgspec.Struct):
    """Containers exports put records in: a Shodan search result (``matches``), a Shodan host
    (``data``: its banners), a Censys API reply (``result``, ``result.hits``)."""

    matches: list[msgspec.Raw] | None = None
    data: list[msgspec.Raw] | None = None
    result: msgspec.Raw = msgspec.field(default_factory=msgspec.Raw)  # empty: absent
    hits: list[msgspec.Raw] | None = None


_WRAPPER = msgspec.json.Decoder(_Wrapper)


def unwrap(raw: bytes | msgspec.Raw) -> list[msgspec.Raw]:
    """The records inside a container object (empty: it is not one)."""
    try:
        wrapper = _WRAPPER.decode(raw)
    except _DECODE_ERRORS:
        return []
    inner: list[msgspec.Raw] = []
    for part in (wrapper.matches, wrapper.data, wrapper.hits):
        inner.extend(part or ())
    if len(wrapper.result) and bytes(wrapper.result).lstrip()[:1] == b"{":
        inner.append(wrapper.result)
    return inner


def _document_piece(
    name: str,
    line: int,
    raw: bytes | msgspec.Raw,
    decoder: msgspec.json.Decoder[Any],
    convert: Converter,
    depth: int = 0,
) -> Iterator[ScanRecord | Problem]:
    try:
        obj = decoder.decode(raw)
    except _DECODE_ERRORS as exc:
        inner = unwrap(raw) if depth < 2 else []
        if not inner:
            data = bytes(raw) if isinstance(raw, msgspec.Raw) else raw
            yield Problem(name, line, *describe_decode_error(exc, data, decoder.type))
            return
        for part in inner:
            yield from _document_piece(name, line, part, decoder, convert, depth + 1)
        return
    try:
        yield convert(obj, line)
    except RecordError as exc:
        yield Problem(name, line, str(exc))


def read_json_document(
    path: Path, decoder: msgspec.json.Decoder[Any], convert: Converter
) -> Iterator[ScanRecord | Problem]:
    """Records of a JSON array or of pretty-printed objects, one top-level value at a time.

    A value that is a container (a Shodan search result or host, a Censys API reply) gives the
    records inside it; each is reported at the line its container starts on.
    """
    name = str(path)
    for piece in iter_values(path):
        if isinstance(piece, Piece):
            yield from _document_piece(name, piece.line, piece.data, decoder, convert)
        else:
            yield piece

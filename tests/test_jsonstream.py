"""The one streaming JSON reader: values found and decoded a piece at a time, in our words."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from sightline import jsonstream
from sightline.census.inputs import Problem
from sightline.census.readers.jsonlines import Piece, iter_values
from sightline.jsonstream import JsonStream, JsonStreamError, open_binary


def blocks(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


def test_raw_hands_over_each_value_whole_across_block_ends() -> None:
    values = [{"s": 'a"b\\' * 40, "n": [1, [2, {"k": "}]"}]]}, [], "x", 12.5e3, None]
    text = "\n".join(json.dumps(v) for v in values).encode()
    stream = JsonStream(blocks(text, 7), check_utf8=False)
    got = []
    while stream.peek():
        line = stream.line()
        got.append((line, json.loads(stream.raw())))
    assert got == [(i + 1, v) for i, v in enumerate(values)]


def test_a_value_larger_than_many_blocks_is_read_in_one_pass() -> None:
    big = {"data": ["é" * 1000 for _ in range(3000)], "end": True}
    data = json.dumps(big, ensure_ascii=False).encode()
    stream = JsonStream(blocks(data, 4096), check_utf8=False)
    assert stream.raw() == data
    assert stream.peek() == ""


def test_members_stream_one_array_and_decode_the_rest() -> None:
    doc = {"uri": "u", "releases": [{"ocid": str(i)} for i in range(5)], "n": 1e400}
    stream = JsonStream(io.BytesIO(json.dumps(doc).encode()))
    members = list(stream.members(frozenset({"releases"})))
    assert members[0] == ("uri", "u", False)
    assert [m[1] for m in members[1:6]] == doc["releases"]
    assert all(m[2] for m in members[1:6])
    assert members[6] == ("n", float("inf"), False)  # what msgspec refuses, json takes


def test_tiny_chunks_and_a_number_at_a_buffer_end() -> None:
    values = [{"n": i, "pad": "é" * 50} for i in range(300)] + [1234567890123]
    old = jsonstream.CHUNK
    jsonstream.CHUNK = 16
    try:
        stream = JsonStream(io.BytesIO(json.dumps(values).encode()))
        assert list(stream.elements()) == values
    finally:
        jsonstream.CHUNK = old


def test_a_gzip_file_is_recognised_by_its_magic_bytes() -> None:
    data = gzip.compress(b'\xef\xbb\xbf[{"a": 1}, {"b": 2}]')
    stream = JsonStream(open_binary(io.BytesIO(data)))
    assert list(stream.elements()) == [{"a": 1}, {"b": 2}]  # the byte-order mark is skipped


@pytest.mark.parametrize(
    ("data", "message", "where", "truncated", "kind"),
    [
        (b'{"releases": [', "the file ends where a value was due", (1, 15), True, "end"),
        (b'\n  {"a": "b', "the file ends inside a value", (2, 3), True, "end"),
        (b'{"a": 1\n{"b": 2}\n', "not JSON", (2, 1), False, "syntax"),
        (b'["\xc3\xa9", 1 2]', "not JSON", (1, 9), False, "syntax"),
        (b"\xff\xfe{}", "the file is not UTF-8 text", (1, 1), False, "encoding"),
    ],
)
def test_errors_say_where_and_why(
    data: bytes, message: str, where: tuple[int, int], truncated: bool, kind: str
) -> None:
    stream = JsonStream(io.BytesIO(data))
    with pytest.raises(JsonStreamError) as caught:
        while stream.peek():
            if stream.peek() == "{" and data.startswith(b'{"releases"'):
                list(stream.members(frozenset({"releases"})))
            else:
                stream.value()
    error = caught.value
    assert (error.message, (error.line, error.column), error.truncated, error.kind) == (
        message,
        where,
        truncated,
        kind,
    )


def test_a_cut_compressed_stream_keeps_the_values_before_the_break() -> None:
    data = gzip.compress(b"".join(b'{"n": %d}\n' % i for i in range(20000)))
    stream = JsonStream(open_binary(io.BytesIO(data[: len(data) // 2])))
    seen = []
    with pytest.raises(JsonStreamError) as caught:
        while stream.peek():
            seen.append(stream.value()["n"])
    assert seen == list(range(len(seen))) and 0 < len(seen) < 20000
    assert (caught.value.message, caught.value.kind) == (
        "the file cannot be read to its end",
        "read",
    )
    assert caught.value.line == len(seen) + 1
    assert caught.value.detail  # the library's words, kept aside
    assert stream.failed


def test_a_value_longer_than_the_limit_is_refused() -> None:
    stream = JsonStream(blocks(b'[{"a": "' + b"x" * 5000 + b'"}]', 100), max_value=1000)
    with pytest.raises(JsonStreamError) as caught:
        list(stream.elements())
    assert caught.value.kind == "long"


def test_a_bad_line_is_skipped_from_its_mark() -> None:
    stream = JsonStream(io.BytesIO(b'{"a": 1}\n{"a": 1 2}\n{"a": 3}\n'))
    got = []
    while stream.peek():
        stream.mark()
        try:
            got.append(stream.value())
        except JsonStreamError as error:
            got.append((error.line, error.column))
            assert stream.rewind()
            stream.skip_line()
    assert got == [{"a": 1}, (2, 9), {"a": 3}]


# -- the census's use: records of a JSON document handed over as bytes ---------------------


def test_census_records_of_an_array_keep_their_bytes_and_lines(tmp_path: Path) -> None:
    path = tmp_path / "scan.json"
    # a stray string between records is skipped; bytes that are not UTF-8 reach the decoder
    path.write_bytes(b'[\n  {"a": "\xff"},\n  "note",\n  {"b": [1,\n 2]}\n]\n{"c": {}}\n')
    assert list(iter_values(path)) == [
        Piece(2, b'{"a": "\xff"}'),
        Piece(4, b'{"b": [1,\n 2]}'),
        Piece(7, b'{"c": {}}'),
    ]


def test_census_reports_text_outside_records_and_a_cut_record_in_its_words(
    tmp_path: Path,
) -> None:
    path = tmp_path / "scan.json"
    path.write_bytes(b'[{"a": 1},\n oops {"b": 2}]')
    assert list(iter_values(path)) == [
        Piece(1, b'{"a": 1}'),
        Problem(str(path), 2, "not JSON: the file holds text outside its records"),
    ]
    path.write_bytes(b'[{"a": 1},\n{"b": "x\\\n y"},\n{"c": [')
    assert list(iter_values(path)) == [
        Piece(1, b'{"a": 1}'),
        Piece(2, b'{"b": "x\\\n y"}'),  # a bad escape is the decoder's to report: not the rest
        Problem(str(path), 4, "invalid JSON: the record ends early"),
    ]


def test_census_reads_a_cut_compressed_document_up_to_the_break(tmp_path: Path) -> None:
    rows = b",\n".join(
        b'{"n": %d, "pad": "%s"}' % (i, b"%d" % (i * 7919) * 40) for i in range(4000)
    )
    data = gzip.compress(b"[\n" + rows + b"\n]\n")
    path = tmp_path / "cut.json.gz"
    path.write_bytes(data[: len(data) // 2])
    items = list(iter_values(path))
    *pieces, last = items
    assert [json.loads(p.data)["n"] for p in pieces if isinstance(p, Piece)] == list(
        range(len(pieces))
    )
    assert isinstance(last, Problem)
    assert (last.line, last.message) == (
        len(pieces) + 2,
        "compressed stream is truncated or corrupt",
    )

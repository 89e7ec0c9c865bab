"""Reading files in blocks of whole lines, inflating on a second thread for large gzip files."""

from __future__ import annotations

import gzip
import json
import sys
import threading
from pathlib import Path

import pytest

from sightline.census import inputs
from sightline.census.inputs import Lines, LongLine, StreamBreak, iter_line_blocks


def _rows(n: int) -> bytes:
    # lines of varied length, so blocks cut them at many places
    return b"".join(
        json.dumps(
            {"ip_str": f"10.0.{i // 250}.{i % 250}", "port": 80, "data": "x" * (i % 97)}
        ).encode()
        + b"\n"
        for i in range(n)
    )


def _read(path: Path) -> tuple[bytes, list[str]]:
    text = b""
    others = []
    for item in iter_line_blocks(path):
        if isinstance(item, StreamBreak | LongLine):
            others.append(type(item).__name__)
        else:
            assert item.tobytes().endswith(b"\n")
            text += item.tobytes()
    return text, others


@pytest.mark.parametrize("cut", [False, True], ids=["whole", "cut-off"])
def test_lines_cut_on_the_thread_are_the_lines_cut_inline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cut: bool
) -> None:
    monkeypatch.setattr(inputs, "CHUNK_SIZE", 4096)
    monkeypatch.setattr(inputs, "OVERLAP_MIN_BYTES", 0)
    data = _rows(5000)
    packed = gzip.compress(data)
    path = tmp_path / "rows.json.gz"
    path.write_bytes(packed[: len(packed) * 2 // 3] if cut else packed)
    read = {}
    for overlap in (True, False):
        monkeypatch.setattr(inputs, "OVERLAP_DECOMPRESSION", overlap)
        read[overlap] = _read(path)
    assert read[True] == read[False]
    text, others = read[True]
    if cut:
        assert others == ["StreamBreak"]
        assert 0 < len(text) < len(data) and data.startswith(text)
    else:
        assert (text, others) == (data, [])


def test_the_switch_interval_is_lowered_while_the_thread_runs_and_restored_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inputs, "CHUNK_SIZE", 4096)
    monkeypatch.setattr(inputs, "OVERLAP_MIN_BYTES", 0)
    monkeypatch.setattr(inputs, "OVERLAP_DECOMPRESSION", True)
    path = tmp_path / "rows.json.gz"
    path.write_bytes(gzip.compress(_rows(3000)))
    before = sys.getswitchinterval()
    threads = threading.active_count()
    blocks = iter_line_blocks(path)
    next(blocks)
    assert sys.getswitchinterval() == min(before, inputs.SWITCH_INTERVAL)
    assert threading.active_count() == threads + 1
    blocks.close()  # a reader that stops early stops the thread
    assert sys.getswitchinterval() == before
    assert threading.active_count() == threads


def test_a_missing_file_is_reported_in_our_words(tmp_path: Path) -> None:
    with pytest.raises(inputs.InputError) as caught:
        list(iter_line_blocks(tmp_path / "gone.json.gz"))
    assert caught.value.message == f"cannot read {tmp_path / 'gone.json.gz'}: no such file"


def test_two_files_read_at_once_restore_the_switch_interval_when_both_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inputs, "CHUNK_SIZE", 4096)
    monkeypatch.setattr(inputs, "OVERLAP_MIN_BYTES", 0)
    monkeypatch.setattr(inputs, "OVERLAP_DECOMPRESSION", True)
    path = tmp_path / "rows.json.gz"
    path.write_bytes(gzip.compress(_rows(3000)))
    before = sys.getswitchinterval()
    first, second = iter_line_blocks(path), iter_line_blocks(path)
    next(first)
    next(second)
    first.close()  # the first ends while the second still reads
    assert sys.getswitchinterval() == min(before, inputs.SWITCH_INTERVAL)
    assert sum(len(item.tobytes()) for item in second if isinstance(item, Lines)) > 0
    assert sys.getswitchinterval() == before


def test_a_prefetched_file_is_taken_over_by_the_first_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inputs, "CHUNK_SIZE", 4096)
    monkeypatch.setattr(inputs, "OVERLAP_MIN_BYTES", 0)
    monkeypatch.setattr(inputs, "OVERLAP_DECOMPRESSION", True)
    data = _rows(3000)
    path = tmp_path / "rows.json.gz"
    path.write_bytes(gzip.compress(data))
    threads = threading.active_count()
    inputs.prefetch_lines(path)
    assert threading.active_count() == threads + 1  # inflating before anyone reads
    assert _read(path) == (data, [])
    assert inputs._prefetched == {}
    assert threading.active_count() == threads
    assert _read(path) == (data, [])  # a second reading reads it afresh


def test_a_prefetch_nobody_reads_is_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inputs, "CHUNK_SIZE", 4096)
    monkeypatch.setattr(inputs, "OVERLAP_MIN_BYTES", 0)
    monkeypatch.setattr(inputs, "OVERLAP_DECOMPRESSION", True)
    path = tmp_path / "rows.json.gz"
    path.write_bytes(gzip.compress(_rows(3000)))
    before, threads = sys.getswitchinterval(), threading.active_count()
    inputs.prefetch_lines(path)
    inputs.prefetch_lines(tmp_path / "gone.json.gz")  # nothing to read: nothing started
    inputs.prefetch_lines(tmp_path)  # a folder: the same
    assert threading.active_count() == threads + 1
    inputs.discard_prefetched()
    assert (sys.getswitchinterval(), threading.active_count()) == (before, threads)
    assert inputs._prefetched == {}


def test_a_json_document_is_not_prefetched_as_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inputs, "OVERLAP_MIN_BYTES", 0)
    path = tmp_path / "array.json.gz"
    path.write_bytes(gzip.compress(b"[\n" + _rows(3000).replace(b"}\n", b"},\n") + b"{}]\n"))
    inputs.prefetch_lines(path)
    assert inputs._prefetched == {}

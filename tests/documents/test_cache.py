"""Each distinct file content is read once and remembered on disk by its SHA-256."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from sightline.documents import DocumentCache, Limits, read_bytes, read_message


def test_default_cache_lives_in_sightline_home(make, tmp_path: Path) -> None:
    data = make.text_pdf([["Cached letter"]])
    read_bytes(data, "a.pdf")
    digest = hashlib.sha256(data).hexdigest()
    stored = json.loads((tmp_path / "home" / "documents" / "cache" / f"{digest}.json").read_text())
    assert stored["document"]["blocks"][0]["text"] == "Cached letter"
    assert stored["document"]["blocks"][0]["location"] == {"page": 1, "at": "page 1"}


def test_second_read_comes_from_the_cache(make, tmp_path: Path) -> None:
    cache = DocumentCache(tmp_path / "cache")
    data = make.text_pdf([["Original text"]])
    first = read_bytes(data, "a.pdf", cache=cache)
    path = tmp_path / "cache" / f"{hashlib.sha256(data).hexdigest()}.json"
    stored = json.loads(path.read_text())
    stored["document"]["blocks"][0]["text"] = "Text from the cache"
    path.write_text(json.dumps(stored))
    second = read_bytes(data, "b.pdf", cache=cache)
    assert make.located(first) == [("page 1", "Original text")]
    assert make.located(second) == [("page 1", "Text from the cache")]
    assert second.source == "b.pdf"
    # other reading options are other readings
    third = read_bytes(data, "a.pdf", cache=cache, limits=Limits(ocr=False))
    assert make.located(third) == [("page 1", "Original text")]


def test_attachments_are_cached_on_their_own(make, tmp_path: Path) -> None:
    cache = DocumentCache(tmp_path / "cache")
    pdf = make.text_pdf([["Shared annex"]])
    read_message(make.plain_email("One", [("annex.pdf", "application/pdf", pdf)]), cache=cache)
    assert cache.get(hashlib.sha256(pdf).hexdigest(), "ocr=True;dpi=300;pages=2000") is not None
    again = read_message(
        make.plain_email("Two", [("copy.pdf", "application/pdf", pdf)]), cache=cache
    )
    assert make.located(again) == [("body", "Two"), ("copy.pdf page 1", "Shared annex")]
    assert len(list((tmp_path / "cache").glob("*.json"))) == 3


@pytest.mark.ocr
def test_a_reading_stopped_by_a_limit_is_not_cached(make, tmp_path: Path) -> None:
    cache = DocumentCache(tmp_path / "cache")
    document = read_bytes(make.dense_scan_png(), "scan.png", cache=cache, limits=Limits(seconds=1))
    assert make.errors(document) == [("document", "reading stopped: it took longer than 1 s")]
    assert not (tmp_path / "cache").exists()


def test_no_cache_writes_nothing(make, tmp_path: Path) -> None:
    read_bytes(make.text_pdf([["x"]]), "a.pdf", cache=False)
    assert not (tmp_path / "home").exists()


def test_damaged_cache_entry_is_read_again(make, tmp_path: Path) -> None:
    cache = DocumentCache(tmp_path / "cache")
    data = make.text_pdf([["Fresh"]])
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / f"{hashlib.sha256(data).hexdigest()}.json").write_text("{not json")
    assert make.located(read_bytes(data, "a.pdf", cache=cache)) == [("page 1", "Fresh")]

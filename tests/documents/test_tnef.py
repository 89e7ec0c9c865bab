"""TNEF (winmail.dat) streams."""

from __future__ import annotations

import pytest

from sightline.documents.limits import Unreadable
from sightline.documents.tnef import read_tnef


def test_body_and_attachments_in_order(make) -> None:
    document, members = read_tnef(make.winmail_dat("Body", [("a.txt", b"A"), ("", b"B")]))
    assert [(str(b.location), b.text) for b in document.blocks] == [("body", "Body")]
    assert members == [("a.txt", b"A"), ("attachment-2.bin", b"B")]


def test_truncated_stream() -> None:
    data = b"\x78\x9f\x3e\x22\x01\x01" + b"\x01\x0c\x80\x01\x00\xff\x00\x00\x00abc"
    with pytest.raises(Unreadable, match=r"^damaged TNEF \(winmail\.dat\): an attribute runs"):
        read_tnef(data)


def test_not_tnef() -> None:
    with pytest.raises(Unreadable, match=r"^damaged TNEF \(winmail\.dat\): no signature$"):
        read_tnef(b"nothing")

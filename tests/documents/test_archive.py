"""Zip archives: members, limits, and archives that lie about their sizes."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest

from sightline.documents.archive import read_zip
from sightline.documents.limits import LimitExceeded, Limits, Unreadable


def test_members_in_order_with_directories_skipped(make) -> None:
    data = make.zip_of([("a/one.txt", b"1"), ("two.txt", b"2")])
    document, members = read_zip(data, Limits())
    assert members == [("a/one.txt", b"1"), ("two.txt", b"2")]
    assert document.errors == []


def test_too_many_members(make) -> None:
    data = make.zip_of([(f"{n}.txt", b"x") for n in range(5)])
    with pytest.raises(LimitExceeded, match=r"^zip archive has 5 files \(limit 4\); not opened$"):
        read_zip(data, Limits(members=4))


def test_sizes_that_lie_do_not_expand_past_them(make) -> None:
    data = bytearray(make.zip_bomb(megabytes=20))
    # claim 1000 bytes in both the local header and the central directory
    local = data.index(b"PK\x03\x04")
    struct.pack_into("<I", data, local + 22, 1000)
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 1000)
    document, members = read_zip(bytes(data), Limits())
    assert members == []
    assert [(str(e.location), e.message) for e in document.errors] == [
        ("zeros.txt", "damaged zip member: it cannot be unpacked")
    ]


def test_total_expansion_is_capped_while_decompressing(make) -> None:
    members = [(f"part{n}.txt", b"\0" * (3 << 20)) for n in range(4)]
    data = make.zip_of(members)
    with pytest.raises(LimitExceeded, match=r"^zip bomb refused: "):
        read_zip(data, Limits(ratio_floor_mb=1, ratio=1000, expanded_mb=10))


def test_encrypted_member_reported() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("open.txt", b"plain")
        info = zipfile.ZipInfo("locked.txt")
        archive.writestr(info, b"secret")
    data = bytearray(buffer.getvalue())
    # set the "encrypted" flag bit of the second member in both headers
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        position = data.index(signature, data.index(signature) + 1)
        flags = struct.unpack_from("<H", data, position + offset)[0]
        struct.pack_into("<H", data, position + offset, flags | 1)
    document, members = read_zip(bytes(data), Limits())
    assert members == [("open.txt", b"plain")]
    assert [(str(e.location), e.message) for e in document.errors] == [
        ("locked.txt", "encrypted zip member: it needs a password")
    ]


def test_not_a_zip() -> None:
    with pytest.raises(Unreadable, match=r"^damaged zip archive: "):
        read_zip(b"PK\x03\x04 broken", Limits())

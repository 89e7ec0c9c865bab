"""Text encodings of CSV and text files."""

from __future__ import annotations

import pytest

from sightline.documents.encoding import decode_text, detect_encoding


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("Café £5".encode(), "utf-8"),
        ("Café £5 – “quoted”".encode("cp1252"), "cp1252"),
        (b"\x81\xe9", "latin-1"),  # 0x81 is unassigned in Windows-1252
        ("\ufeffCafé".encode(), "utf-8-sig"),
        ("Café".encode("utf-16"), "utf-16"),
        ("Camera list".encode("utf-16-le"), "utf-16-le"),
    ],
)
def test_detect_encoding(data: bytes, encoding: str) -> None:
    assert detect_encoding(data) == encoding


def test_decode_text_normalises_line_ends_and_falls_back_from_a_wrong_charset() -> None:
    assert decode_text("a\r\nb\rc £".encode("cp1252"), declared="utf-8") == "a\nb\nc £"
    assert decode_text(b"x", declared="no-such-charset") == "x"

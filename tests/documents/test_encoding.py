"""Text encodings of CSV and text files."""

from __future__ import annotations

import pytest

from sightline.documents.encoding import codec_name, decode_text, detect_encoding


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("Café £5".encode(), "utf-8"),
        ("Café £5 – “quoted”".encode("cp1252"), "cp1252"),
        (b"\x81\xe9", "cp1252"),  # 0x81 is unassigned in Windows-1252: read as ISO-8859-1
        ("监控摄像头的数量".encode("gb2312"), "gb18030"),  # GB2312 text, no charset said
        ("Straße – Köln, Müller".encode("cp1252"), "cp1252"),
        ("\ufeffCafé".encode(), "utf-8-sig"),
        ("Café".encode("utf-16"), "utf-16"),
        ("Camera list".encode("utf-16-le"), "utf-16-le"),
    ],
)
def test_detect_encoding(data: bytes, encoding: str) -> None:
    assert detect_encoding(data) == encoding


def test_undeclared_windows_1252_and_gb2312() -> None:
    assert decode_text(b"2019 \x96 2021") == "2019 – 2021"  # an en dash, not U+0096
    assert decode_text(b"\x81\xe9") == "\x81é"
    chinese = "我们的闭路电视系统使用海康威视摄像机。"
    assert decode_text(chinese.encode("gb2312")) == chinese


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("windows-950", "cp950"),
        ("Windows-1252", "cp1252"),
        ("iso-8859-1", "cp1252"),
        ("GB2312", "gb18030"),
        ("ks_c_5601-1987", "cp949"),
        ("x-no-such-charset", None),
        ("", None),
    ],
)
def test_charset_labels_as_mailers_send_them(label: str, codec: str | None) -> None:
    assert codec_name(label) == codec


def test_decode_text_normalises_line_ends_and_falls_back_from_a_wrong_charset() -> None:
    assert decode_text("a\r\nb\rc £".encode("cp1252"), declared="utf-8") == "a\nb\nc £"
    assert decode_text(b"x", declared="no-such-charset") == "x"

"""Files that broke readers in the wild, each written here with the same shape: each is read, or
stops with its own one-line error in Sightline's words (never a library's exception)."""

from __future__ import annotations

import io
import json
import struct
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from sightline.cli.main import cli


@pytest.fixture
def read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SIGHTLINE_HOME", str(tmp_path / "home"))

    def invoke(name: str, data: bytes, *options: str):
        path = tmp_path / name
        path.write_bytes(data)
        result = CliRunner().invoke(
            cli, ["read", "--no-cache", "--no-ocr", *options, str(path)], catch_exceptions=False
        )
        assert result.exit_code == 0, result.stderr
        assert "Traceback" not in result.stdout and "Exception" not in result.stdout
        return result.stdout

    return invoke


def errors(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("!!! ")]


def test_rtf_with_an_invalid_unicode_escape(read) -> None:
    # \u-10179 is 0xD83D, half of a surrogate pair with no other half
    out = read("reply.rtf", b"{\\rtf1\\ansi We own 12 cameras \\u-10179? in total.\\par}")
    assert "We own 12 cameras \ufffd in total." in out
    assert errors(out) == []


def test_xlsb_whose_binary_parts_are_damaged(read) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.bin", b"\x83\x01\x00\xff" * 64)
    out = read("register.xlsb", buffer.getvalue())
    [error] = errors(out)
    assert error.startswith("!!! document: damaged spreadsheet: ")
    assert "Panic" not in error and "Error" not in error


def test_password_protected_xls_says_so(read, make) -> None:
    bof = struct.pack("<HH", 0x0809, 16) + struct.pack("<HHHHII", 0x0600, 5, 0, 0, 0, 0)
    filepass = struct.pack("<HH", 0x002F, 54) + b"\x01\x00" + b"\x01\x00\x01\x00" + b"\0" * 48
    data = make.compound_file({"Workbook": bof + filepass + b"\0" * 4096})
    assert errors(read("register.xls", data)) == [
        "!!! document: password-protected Office file: it cannot be read without the password"
    ]


def test_outlook_message_in_windows_950(read, make) -> None:
    body = "<html><body><p>本局共有海康威視攝影機 12 台。</p></body></html>"
    data = make.outlook_msg("回覆: 資訊公開申請", "", [], html=(body.encode("cp950"), 950))
    out = read("reply.msg", data)
    assert "本局共有海康威視攝影機 12 台。" in out
    assert errors(out) == []


def test_macro_enabled_word_file_is_read(read, make) -> None:
    source = zipfile.ZipFile(io.BytesIO(make.word_file()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "[Content_Types].xml":
                content = content.replace(
                    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                    b"application/vnd.ms-word.document.macroEnabled.main+xml",
                )
                assert b"macroEnabled" in content
            archive.writestr(info, content)
    out = read("reply.docm", buffer.getvalue(), "--json")
    document = json.loads(out)
    assert document["kind"] == "docx" and document["errors"] == []
    assert document["blocks"]


def test_html_page_with_an_unclosed_script_keeps_its_body(read) -> None:
    page = (
        b"<html><head><title>FOI response</title><script>if (a < b) { track();"
        b"</head><body><p>We own 3 Axis cameras.</p><p>No Hikvision.</p></body></html>"
    )
    out = read("reply.html", page)
    assert "We own 3 Axis cameras.\n\nNo Hikvision." in out
    assert "track" not in out

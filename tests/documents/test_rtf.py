"""RTF bodies and Outlook's compressed RTF."""

from __future__ import annotations

import pytest

from sightline.documents import read_bytes
from sightline.documents.limits import Unreadable
from sightline.documents.rtf import decompress_rtf, rtf_to_text

# the worked example of [MS-OXRTFCP] section 3.1.1 (compressed "hello world" RTF)
SPEC_EXAMPLE = bytes.fromhex(
    "2d0000002b0000004c5a4675f1c5c7a703000a00726370673132354232"
    "0af32068656c090020627705b06c647d0a800fa0"
)


def test_decompress_the_specification_example() -> None:
    assert decompress_rtf(SPEC_EXAMPLE) == b"{\\rtf1\\ansi\\ansicpg1252\\pard hello world}\r\n"


def test_decompress_refuses_unknown_kinds() -> None:
    with pytest.raises(Unreadable, match=r"^damaged compressed RTF: unknown type 0x58585858$"):
        decompress_rtf(b"\x10\0\0\0\x04\0\0\0XXXX\0\0\0\0abcd")


def test_rtf_to_text() -> None:
    rtf = (
        rb"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0 Arial;}}{\*\generator Riched20;}\pard "
        rb"We own 12 Hikvision cameras\par Caf\'e9 \u8364? 5\tab x\par{\*\unknown hidden}End}"
    )
    assert rtf_to_text(rtf) == ("We own 12 Hikvision cameras\nCafé € 5\tx\nEnd", False)


def test_html_encapsulated_in_rtf() -> None:
    rtf = (
        rb"{\rtf1\ansi\fromhtml1 {\*\htmltag64 <p>}\htmlrtf {\b\htmlrtf0 Dahua: 4\htmlrtf}"
        rb"\htmlrtf0 {\*\htmltag72 </p>}}"
    )
    assert rtf_to_text(rtf) == ("<p>Dahua: 4</p>", True)


def test_outlook_body_stored_only_as_rtf(make) -> None:
    rtf = rb"{\rtf1\ansi\pard Our reply: 3 Hikvision NVRs.\par}"
    document = read_bytes(make.outlook_msg("RE: FOI", "", [], rtf=rtf), "reply.msg", cache=False)
    assert make.located(document) == [("body", "Our reply: 3 Hikvision NVRs.")]


def test_rtf_file(make) -> None:
    document = read_bytes(rb"{\rtf1\ansi\pard Letter text\par second line}", "a.doc", cache=False)
    assert document.kind == "rtf"
    assert make.located(document) == [("document", "Letter text\nsecond line")]

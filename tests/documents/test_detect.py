"""The kind of a file from its content, never from its name."""

from __future__ import annotations

import io

import pytest

from sightline.documents.detect import sniff


def test_office_and_pdf_kinds(make) -> None:
    assert sniff(make.text_pdf([["x"]]), "letter.docx") == "pdf"
    assert sniff(make.word_file(), "x.pdf") == "docx"
    assert sniff(make.register_xlsx(), "x") == "xlsx"
    assert sniff(make.sheet_ods(), "x") == "ods"
    assert sniff(make.outlook_msg("s", "b", []), "x") == "msg"
    assert sniff(make.zip_of([("a.txt", b"a")]), "x.docx") == "zip"


def test_msg_holding_a_pdf_in_its_first_kilobyte_is_still_a_msg(make) -> None:
    data = make.outlook_msg("s", "b", [("a.pdf", make.text_pdf([["x"]]))])
    assert b"%PDF-" in data[:4096]
    assert sniff(data, "x") == "msg"


def test_ole_kinds(make) -> None:
    assert sniff(make.compound_file({"EncryptionInfo": b"1", "EncryptedPackage": b"2"})) == (
        "encrypted-office"
    )
    assert sniff(make.compound_file({"Workbook": b"\0" * 10})) == "xls"
    assert sniff(make.compound_file({"WordDocument": b"\0" * 10})) == "doc"


def test_images(make) -> None:
    buffer = io.BytesIO()
    make.letter_image(["x"], dpi=20).save(buffer, "PNG")
    assert sniff(buffer.getvalue(), "scan.pdf") == "png"
    buffer = io.BytesIO()
    make.letter_image(["x"], dpi=20).save(buffer, "JPEG")
    assert sniff(buffer.getvalue()) == "jpeg"


@pytest.mark.parametrize(
    ("data", "name", "kind"),
    [
        (b"From: a@b.example\nSubject: hi\n\nbody", "x.txt", "message"),
        (b"Received: from x\n\tby y\nDate: Mon, 1 Mar 2021\nFrom: a\n\nbody", "x", "message"),
        (b"From:\n A <a@b.example>\nSubject:\n folded\n\nbody", "x", "message"),
        (b"From:a@b.example\r\nSubject:hi\r\nX-Mailer:Case 4\r\n\r\nbody", "x", "message"),
        (b"\xef\xbb\xbfFrom: a@b.example\r\nSubject: hi\r\n\r\nbody", "x", "message"),
        (
            b"From a@b.example Thu Dec 10 14:02:09 2026\nFrom: a@b.example\nDate: x\n\nb",
            "",
            "message",
        ),
        (b"Note: this is not a message\nJust text\n", "x", "text"),
        (b"<!DOCTYPE html><html><body>x</body></html>", "x.txt", "html"),
        (b"\xef\xbb\xbf<html>x</html>", "x", "html"),
        (b"a,b\n1,2\n", "list.csv", "csv"),
        (b"a,b\n1,2\n", "list.txt", "text"),
        (b"BMW cameras\n", "x", "text"),
        (b"{\\rtf1 hello}", "x", "rtf"),
        (b"\x00\x01\x02", "x", "binary"),
        (b" \n\t", "x", "empty"),
    ],
)
def test_text_kinds(data: bytes, name: str, kind: str) -> None:
    assert sniff(data, name) == kind

"""E-mail bodies and attachments, read in-process (the worker runs the same functions)."""

from __future__ import annotations

import base64
from email.message import EmailMessage

from sightline.documents.messages import read_email, read_outlook


def test_base64_forwarded_message_is_decoded() -> None:
    inner = b"From: a@example.gov.uk\r\nSubject: Inner\r\n\r\nInner body\r\n"
    raw = (
        b"From: b@example.gov.uk\r\nSubject: Outer\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="XX"\r\n\r\n'
        b"--XX\r\nContent-Type: text/plain\r\n\r\nOuter body\r\n"
        b"--XX\r\nContent-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + base64.encodebytes(inner)
        + b"--XX--\r\n"
    )
    document, members = read_email(raw)
    assert [(b.text, str(b.location)) for b in document.blocks] == [("Outer body", "body")]
    assert members == [("Inner.eml", inner)]


def test_html_only_message_and_unnamed_and_duplicate_attachments() -> None:
    message = EmailMessage()
    message["Subject"] = "=?utf-8?q?R=C3=A9ponse?="
    message.set_content("<p>Only <i>HTML</i></p>", subtype="html")
    message.add_attachment(b"%PDF-1.4 x", maintype="application", subtype="pdf")
    message.add_attachment(b"a", maintype="text", subtype="plain", filename="../../etc/passwd")
    document, members = read_email(message.as_bytes())
    assert document.blocks[0].text == "Only HTML"
    assert document.meta["subject"] == "Réponse"
    assert [name for name, _ in members] == ["attachment-1.pdf", "passwd"]


def test_folded_headers_are_unfolded() -> None:
    document, _ = read_email(
        b"From:\r\n Fallowfield DC <foi@f.example>\r\nSubject: a\r\n\tb\r\n\r\nx"
    )
    assert document.meta == {"from": "Fallowfield DC <foi@f.example>", "subject": "a b"}


def test_message_without_body() -> None:
    document, members = read_email(b"From: a@b.example\r\nSubject: empty\r\n\r\n")
    assert document.blocks == []
    assert members == []


def test_outlook_message_without_attachments(make) -> None:
    document, members = read_outlook(make.outlook_msg("Hello", "Body of the msg", []))
    assert [(b.text, str(b.location)) for b in document.blocks] == [("Body of the msg", "body")]
    assert members == []

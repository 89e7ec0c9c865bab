"""Reading the fixture messages: charsets, encodings, HTML, attachments, bounces, auto-replies."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from sightline.replies import MalformedMessage, read_reply

FIXTURES = Path(__file__).parents[1] / "mail" / "fixtures"


def parse_mail(raw: bytes):
    return read_reply(raw)


def parsed(name: str):
    return read_reply((FIXTURES / name).read_bytes())


def test_multipart_with_pdf_attachment_and_quoted_printable_body():
    mail = parsed("answer_with_pdf.eml")
    assert mail.message_id == "CAM-20261210-0001@camden.gov.uk"
    assert (mail.from_name, mail.from_address, mail.from_domain) == (
        "Camden FOI",
        "foi@camden.gov.uk",
        "camden.gov.uk",
    )
    assert mail.recipients == ("foi+cctv-0002-366b34d797@replies.example.org",)
    assert mail.attachment_names == ("FOI CCTV-0002 response.pdf",)
    assert "attached letter — cameras, recorders" in mail.text  # QP-encoded UTF-8 dash
    assert mail.date == datetime(2026, 12, 10, 14, 2, 9, tzinfo=UTC)
    assert (mail.auto_reply, mail.bounce) == ("", None)


def test_html_only_body_in_base64_becomes_text_without_markup_or_script():
    mail = parsed("html_only_refusal.eml")
    assert [line for line in mail.text.splitlines() if line][:2] == [
        "Dear Alex Example,",
        "Your request for information about CCTV equipment has been considered.",
    ]
    assert "Hackney Information Governance & Records" in mail.text
    assert "alert" not in mail.text and "<" not in mail.text and "color" not in mail.text


def test_non_utf8_charsets_are_decoded():
    latin = parsed("acknowledgement_latin1.eml")
    assert latin.from_name == "Gláschu City Council FOI"  # RFC 2047 in ISO-8859-1
    assert latin.subject == (
        "Acknowledgement: Freedom of Information request: CCTV vendors [CCTV-0001]"
    )
    assert "would be £0.00." in latin.text and "(réf GCC/2026/8812)" in latin.text
    windows = parsed("clarification_cp1252.eml")
    assert "by “public\nspace CCTV” – street cameras" in windows.text  # base64 windows-1252
    assert windows.recipients == (
        "info@camden.gov.uk",
        "foi+cctv-0002-366b34d797@replies.example.org",  # Cc, lower-cased
    )


def test_delivery_status_notification():
    mail = parsed("bounce_dsn.eml")
    assert mail.bounce is not None
    assert mail.bounce.status == "5.1.1"
    assert mail.bounce.diagnostic == (
        "550 5.1.1 <foi@hackney.gov.uk>: Recipient address rejected: User unknown"
    )
    assert mail.bounce.recipients == ("foi@hackney.gov.uk",)
    assert mail.bounce.original_message_id == "179568600412.100.1234@replies.example.org"
    assert mail.thread_ids == ("179568600412.100.1234@replies.example.org",)
    assert mail.auto_reply == ""  # a bounce is a bounce, not an auto-reply


def test_delayed_dsn_is_a_delay_notice_not_a_failure():
    raw = (FIXTURES / "bounce_dsn.eml").read_bytes().replace(b"Action: failed", b"Action: delayed")
    mail = parse_mail(raw)
    assert (mail.kind, mail.bounce, mail.reading.state) == ("delay", None, None)


def test_out_of_office_and_auto_acknowledgement():
    assert parsed("out_of_office.eml").auto_reply == "out_of_office"
    raw = (FIXTURES / "acknowledgement_latin1.eml").read_bytes()
    automatic = parse_mail(b"Auto-Submitted: auto-generated\r\n" + raw)
    assert automatic.auto_reply == "auto_reply"
    assert parse_mail(b"Auto-Submitted: no\r\n" + raw).auto_reply == ""
    assert parse_mail(b"X-Autoreply: yes\r\n" + raw).auto_reply == "auto_reply"


def test_several_recipients():
    assert parsed("to_several_requests.eml").recipients == (
        "foi+cctv-0002-366b34d797@replies.example.org",
        "foi+cctv-0003-20f5845bbd@replies.example.org",
    )


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (b"", "empty message"),
        (b"\r\n\r\n", "empty message"),
        ((FIXTURES / "malformed.eml").read_bytes(), "does not start with a header field"),
        (b"X-Spam: yes\r\n\r\nbody\r\n", "has none of From, Message-ID, Subject, Date"),
    ],
)
def test_malformed(raw, problem):
    with pytest.raises(MalformedMessage) as error:
        parse_mail(raw)
    assert str(error.value) == problem


def test_bad_date_and_unknown_charset_do_not_fail():
    raw = (
        b"From: a@b.org\r\nDate: the day after tomorrow\r\nSubject: x\r\n"
        b"Content-Type: text/plain; charset=x-no-such-charset\r\n\r\ncaf\xc3\xa9\r\n"
    )
    mail = parse_mail(raw)
    assert (mail.date, mail.text) == (None, "café\n")


def test_raw_eight_bit_headers_are_read_as_utf8_or_windows_1252():
    latin = parse_mail(b"From: Caf\xe9 <a@b.org>\r\nSubject: R\xe9ponse \xe0 [A-0001]\r\n\r\nx\r\n")
    assert (latin.subject, latin.from_name) == ("Réponse à [A-0001]", "Café")
    utf8 = parse_mail(b"From: a@b.org\r\nSubject: R\xc3\xa9ponse\r\n\r\nx\r\n")
    assert utf8.subject == "Réponse"


def test_a_byte_order_mark_or_mbox_line_in_front_is_not_refused():
    body = b"From: a@b.org\r\nSubject: Re: [A-0001]\r\n\r\nx\r\n"
    for raw in (b"\xef\xbb\xbf" + body, b"From a@b.org Thu Dec 10 14:02:09 2026\n" + body):
        assert read_reply(raw).subject == "Re: [A-0001]"


def test_folded_headers():
    mail = parse_mail(
        b"From: a@b.org\r\nTo: one@x.org,\r\n\tfoi+a-0001-0123456789@r.example.org\r\n"
        b"Subject: a long\r\n subject\r\nReferences: <a@x>\r\n <b@x>\r\n\r\nx\r\n"
    )
    assert mail.recipients == ("one@x.org", "foi+a-0001-0123456789@r.example.org")
    assert (mail.subject, mail.references) == ("a long subject", ("a@x", "b@x"))

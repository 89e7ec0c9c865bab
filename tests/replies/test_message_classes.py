"""Each shape of real mail, written as a fixture (``tests/mail/fixtures/build_classes.py``), read
by the one reader: its kind, what it says, its own text and its attachments."""

from __future__ import annotations

from pathlib import Path

import pytest

from sightline.lifecycle import State
from sightline.replies import read_reply

FIXTURES = Path(__file__).parents[1] / "mail" / "fixtures"


def reply(name: str):
    return read_reply((FIXTURES / name).read_bytes())


@pytest.mark.parametrize(
    ("name", "kind", "state", "attachments"),
    [
        ("class_mbox_from_line.eml", "reply", State.ANSWERED, []),
        ("class_raw_8bit_headers.eml", "reply", State.ANSWERED, ["Réponse caméras.csv"]),
        ("class_tnef_only.eml", "reply", State.ANSWERED, ["asset register.csv"]),
        ("class_uuencoded.eml", "reply", State.ANSWERED, ["cameras.csv"]),
        ("class_no_space_headers.eml", "reply", State.ANSWERED, []),
        ("class_gb2312_no_charset.eml", "reply", None, []),
        ("class_cp1252_no_charset.eml", "reply", State.NOT_HELD, []),
        (
            "class_folded_filenames.eml",
            "reply",
            State.ANSWERED,
            ["FOI response – CCTV asset register.csv", "Réponse à votre demande.pdf"],
        ),
        ("class_gateway_bounce.eml", "bounce", None, []),
        ("class_delay_notice.eml", "delay", None, ["delivery-status.txt", "original-headers.txt"]),
        ("class_auto_acknowledgement.eml", "auto_reply", None, []),
        ("out_of_office.eml", "out_of_office", None, []),
    ],
)
def test_each_class_is_recognised(name, kind, state, attachments):
    mail = reply(name)
    assert (mail.kind, mail.reading.state, list(mail.attachment_names)) == (
        kind,
        state,
        attachments,
    )


def test_mbox_separator_line_is_not_a_header():
    mail = reply("class_mbox_from_line.eml")
    assert (mail.from_address, mail.message_id) == (
        "foi@camden.gov.uk",
        "class-mbox-1@camden.gov.uk",
    )
    assert mail.text.startswith("Dear Alex Example,\n")


def test_raw_eight_bit_subject_and_file_name():
    mail = reply("class_raw_8bit_headers.eml")
    assert mail.subject == "Réponse – Freedom of Information request: CCTV vendors [CCTV-0001]"
    assert mail.attachments[0].data == b"Make,Count\r\nDahua,6"


def test_tnef_only_message_gives_its_html_body_and_files():
    mail = reply("class_tnef_only.eml")
    assert (mail.body_type, mail.text) == (
        "text/html",
        "Dear Alex Example,\n\nWe can confirm that the council owns 12 Hikvision cameras. "
        "The register is attached.",
    )
    assert "<p>" in mail.html
    assert mail.attachments[0].data == b"Make,Count\r\nHikvision,12\r\n"


def test_uuencoded_block_becomes_an_attachment():
    mail = reply("class_uuencoded.eml")
    assert mail.attachments[0].data == b"Make,Count\r\nHikvision,40\r\nAxis,3\r\n"
    assert mail.text == (
        "Please find attached the camera register.\n\nCamden Information Governance\n"
    )


def test_headers_without_a_space_after_the_colon():
    mail = reply("class_no_space_headers.eml")
    assert (mail.from_address, mail.subject) == (
        "foi@camden.gov.uk",
        "RE: Freedom of Information request: CCTV vendors [CCTV-0002]",
    )
    assert mail.headers.first("x-mailer") == "FOI Case Manager 4.2"


def test_undeclared_charsets():
    assert "海康威视网络摄像机二十台，已安装完毕。" in reply("class_gb2312_no_charset.eml").text
    text = reply("class_cp1252_no_charset.eml").text
    assert "“body-worn” cameras for 2019 – 2021." in text


def test_folded_file_names_keep_their_spaces():
    first, second = reply("class_folded_filenames.eml").attachments
    assert (first.name, first.content_type) == (
        "FOI response – CCTV asset register.csv",
        "text/csv",
    )
    assert (second.name, second.data) == ("Réponse à votre demande.pdf", b"%PDF-1.4 not a real pdf")


def test_a_delay_is_neither_a_bounce_nor_an_answer():
    mail = reply("class_delay_notice.eml")
    assert (mail.kind, mail.bounce, mail.auto_reply) == ("delay", None, "")


def test_the_reply_text_apart_from_the_quoted_request():
    raw = (
        b"From: foi@camden.gov.uk\r\nSubject: RE: request\r\n\r\n"
        b"We do not hold this information.\r\n\r\n-----Original Message-----\r\n"
        b"From: Alex\r\nSent: 26 November 2026\r\n\r\nIf you need clarification, ask me.\r\n"
    )
    mail = read_reply(raw)
    assert mail.own_text == "We do not hold this information.\n"
    assert mail.reading.state is State.NOT_HELD

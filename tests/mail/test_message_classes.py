"""Every class of real-shaped mail through `mail import`, `read` and `extract-file`: nothing
refused, each recognised, no request state set from a bounce, delay or automatic answer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"

pytestmark = [pytest.mark.django_db, pytest.mark.db]

REPLY_CLASSES = [
    "class_mbox_from_line.eml",
    "class_raw_8bit_headers.eml",
    "class_tnef_only.eml",
    "class_uuencoded.eml",
    "class_no_space_headers.eml",
    "class_gb2312_no_charset.eml",
    "class_cp1252_no_charset.eml",
    "class_folded_filenames.eml",
]
AUTOMATIC_CLASSES = [
    "class_gateway_bounce.eml",
    "class_delay_notice.eml",
    "out_of_office.eml",
    "class_auto_acknowledgement.eml",
]


def kinds():
    from sightline.mail.models import IncomingMessage

    return dict(IncomingMessage.objects.values_list("message_id", "kind"))


def states():
    from sightline.campaigns.models import Request

    return {r.reference: r.state for r in Request.objects.all()}


def rule_guesses():
    from sightline.campaigns.models import RequestEvent

    return sorted(
        (e.request.reference, e.state)
        for e in RequestEvent.objects.filter(kind="state_set").select_related("request")
    )


def test_automatic_messages_set_no_reply_state(run, sent_campaign, maildir):
    folder = maildir(*AUTOMATIC_CLASSES)
    result = run("mail", "import", "--maildir", str(folder), "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["imported"], report["malformed"], report["unmatched"]) == (4, [], 0)
    assert (report["bounces"], report["delays"], report["auto_replies"]) == (1, 1, 2)
    assert kinds() == {
        "class-gateway-1@hackney.gov.uk": "bounce",
        "class-delay-1@glasgow.gov.uk": "delay",
        "oof-5521@camden.gov.uk": "out_of_office",
        "class-autoack-1@hackney.gov.uk": "auto_reply",
    }
    # the gateway's notice is a delivery failure, the rest leave the requests as sent
    assert states() == {"CCTV-0001": "sent", "CCTV-0002": "sent", "CCTV-0003": "delivery_failed"}
    assert rule_guesses() == []


def test_every_reply_class_imports_and_is_read(run, sent_campaign, maildir):
    folder = maildir(*REPLY_CLASSES)
    result = run("mail", "import", "--maildir", str(folder), "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["imported"], report["malformed"], report["matched"]) == (8, [], 8)
    assert set(kinds().values()) == {"reply"}
    assert rule_guesses() == [
        ("CCTV-0001", "answered"),  # raw 8-bit headers, matched by the subject's reference
        ("CCTV-0002", "answered"),
        ("CCTV-0003", "answered"),  # the TNEF-only reply: its body was read
        ("CCTV-0003", "not_held"),  # the later Windows-1252 one: a guess may follow a guess
    ]


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("class_mbox_from_line.eml", ["--- body\nDear Alex Example,"]),
        (
            "class_raw_8bit_headers.eml",
            [
                "  subject: Réponse – Freedom of Information request: CCTV vendors [CCTV-0001]",
                "--- Réponse caméras.csv row 2\nDahua | 6",
            ],
        ),
        (
            "class_tnef_only.eml",
            [
                "--- body\nDear Alex Example,\n\nWe can confirm that the council owns 12 Hikvision",
                "--- asset register.csv row 2\nHikvision | 12",
            ],
        ),
        ("class_uuencoded.eml", ["--- cameras.csv row 3\nAxis | 3"]),
        ("class_no_space_headers.eml", ["  from: foi@camden.gov.uk", "9 Dahua recorders."]),
        ("class_gb2312_no_charset.eml", ["海康威视网络摄像机二十台，已安装完毕。"]),
        ("class_cp1252_no_charset.eml", ["“body-worn” cameras for 2019 – 2021."]),
        (
            "class_folded_filenames.eml",
            [
                "--- FOI response – CCTV asset register.csv row 1",
                "!!! Réponse à votre demande.pdf: corrupt PDF",
            ],
        ),
        ("class_gateway_bounce.eml", ["  message kind: bounce"]),
        ("class_delay_notice.eml", ["  message kind: delay"]),
        ("out_of_office.eml", ["  message kind: out_of_office"]),
        ("class_auto_acknowledgement.eml", ["  message kind: auto_reply"]),
    ],
)
def test_read_shows_the_text_and_attachments(run, name, shown):
    result = run("read", "--no-cache", "--no-ocr", str(FIXTURES / name))
    assert result.exit_code == 0, result.stderr
    for text in shown:
        assert text in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("class_mbox_from_line.eml", "answered"),
        ("class_tnef_only.eml", "answered"),
        ("class_uuencoded.eml", "answered"),
        ("class_raw_8bit_headers.eml", "answered"),
        ("class_gateway_bounce.eml", "unclear"),  # not the authority's answer
        ("class_delay_notice.eml", "unclear"),
        ("out_of_office.eml", "unclear"),
        ("class_auto_acknowledgement.eml", "acknowledgement"),
    ],
)
def test_extract_file_reads_each_class(run, name, status):
    result = run("extract-file", "--no-ocr", "--json", str(FIXTURES / name))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["status"] == status


def test_extract_file_counts_from_a_tnef_only_reply(run):
    result = run("extract-file", "--no-ocr", "--json", str(FIXTURES / "class_tnef_only.eml"))
    hikvision = json.loads(result.stdout)["vendors"]["hikvision"]
    assert (hikvision["owned"], hikvision["count"]) == ("yes", 12)


def test_import_and_extraction_agree_on_an_answer_that_opens_with_thanks(run, tmp_path):
    from sightline.replies import read_reply

    path = tmp_path / "reply.eml"
    path.write_bytes(
        b"From: foi@camden.gov.uk\r\nSubject: RE: FOI [CCTV-0002]\r\n"
        b"Date: Thu, 10 Dec 2026 14:02:09 +0000\r\n\r\n"
        b"Thank you for your request. The Council can confirm that it operates twelve "
        b"Hikvision cameras in its town centre system.\r\n"
    )
    assert read_reply(path.read_bytes()).reading.state.value == "answered"
    result = run("extract-file", "--no-ocr", "--json", str(path))
    assert json.loads(result.stdout)["status"] == "answered"

"""`sightline mail import`, `unmatched` and `assign` with real-shaped fixture messages."""

from __future__ import annotations

import json
import mailbox
import shutil
from email.message import EmailMessage
from pathlib import Path

import pytest

from sightline.mail.rawstore import RawStore

FIXTURES = Path(__file__).parent / "fixtures"

pytestmark = [pytest.mark.django_db, pytest.mark.db]

REPLIES = [
    "out_of_office.eml",
    "acknowledgement_latin1.eml",
    "clarification_cp1252.eml",
    "answer_with_pdf.eml",
    "html_only_refusal.eml",
    "unmatched_press.eml",
    "forged_address.eml",
    "malformed.eml",
]


def states():
    from sightline.campaigns.models import Request

    return {r.reference: (r.state, r.state_is_guess) for r in Request.objects.all()}


def timeline(reference):
    from sightline.campaigns.models import RequestEvent

    return [
        (e.kind, e.state, e.guess, e.actor)
        for e in RequestEvent.objects.filter(request__reference=reference).order_by("at", "id")
    ]


def test_import_maildir_matches_tracks_and_keeps_everything(run, sent_campaign, maildir, home):
    folder = maildir(*REPLIES)
    result = run("mail", "import", "--maildir", str(folder))
    assert result.exit_code == 0
    malformed_sha = (
        __import__("hashlib").sha256((FIXTURES / "malformed.eml").read_bytes()).hexdigest()
    )
    assert result.stderr == (
        f"{folder}:1795686007.M1P1.test: malformed message, stored raw as {malformed_sha[:12]} "
        "and skipped: does not start with a header field\n"
    )
    assert result.stdout == (
        f"maildir {folder}: 7 new message(s): 5 matched, 2 unmatched, 0 further copies; "
        "0 bounce(s), 1 automatic repl(ies); 0 already imported; 1 malformed\n"
    )
    assert states() == {
        "CCTV-0001": ("acknowledged", True),  # matched by the reference in its subject
        "CCTV-0002": ("answered", True),
        "CCTV-0003": ("refused", True),
    }
    assert timeline("CCTV-0002") == [
        ("created", "", False, "system"),
        ("queued", "", False, "system"),
        ("sent", "", False, "system"),
        ("message_received", "", False, "system"),  # out of office: no guess
        ("message_received", "", False, "system"),
        ("state_set", "clarification_requested", True, "rule:status.clarification"),
        ("message_received", "", False, "system"),
        ("state_set", "answered", True, "rule:status.attached"),
    ]
    # Every raw message, the malformed one too, is stored as received.
    for name in REPLIES:
        raw = (FIXTURES / name).read_bytes()
        sha = __import__("hashlib").sha256(raw).hexdigest()
        assert RawStore(home / "mail" / "raw").get(sha) == raw
    status = json.loads(run("campaign", "status", "cctv", "--json").stdout)
    assert status["counts"] == {"acknowledged": 1, "answered": 1, "refused": 1}
    assert {r["reference"]: r["last_message_on"] is not None for r in status["requests"]} == {
        "CCTV-0001": True,
        "CCTV-0002": True,
        "CCTV-0003": True,
    }


def test_importing_twice_changes_nothing(run, sent_campaign, maildir):
    from sightline.campaigns.models import RequestEvent
    from sightline.mail.models import IncomingMessage, MessageLink

    folder = maildir(*REPLIES)
    run("mail", "import", "--maildir", str(folder))
    before = (
        IncomingMessage.objects.count(),
        MessageLink.objects.count(),
        RequestEvent.objects.count(),
        states(),
    )
    again = run("mail", "import", "--maildir", str(folder))
    assert (again.exit_code, again.stderr) == (0, "")
    assert again.stdout == (
        f"maildir {folder}: 0 new message(s): 0 matched, 0 unmatched, 0 further copies; "
        "0 bounce(s), 0 automatic repl(ies); 8 already imported; 0 malformed\n"
    )
    after = (
        IncomingMessage.objects.count(),
        MessageLink.objects.count(),
        RequestEvent.objects.count(),
        states(),
    )
    assert after == before


def test_unmatched_is_listed_and_can_be_assigned(run, sent_campaign, home):
    files = [str(FIXTURES / "unmatched_press.eml"), str(FIXTURES / "forged_address.eml")]
    assert run("mail", "import", *files).exit_code == 0
    listed = json.loads(run("mail", "unmatched", "--json").stdout)
    assert [(m["subject"], m["from"], m["suggestions"]) for m in listed] == [
        ("Hackney news this week", "press@hackney.gov.uk", ["CCTV-0003"]),
        ("Guessing addresses", "someone@example.net", []),
    ]
    assert listed[0]["raw_path"] == (
        f"{home / 'mail' / 'raw' / 'messages.sqlite'}#{listed[0]['sha256']}"
    )
    assigned = run("mail", "assign", str(listed[0]["id"]), "cctv-0003", "--by", "sam")
    assert (assigned.exit_code, assigned.stdout) == (
        0,
        f"Message {listed[0]['id']} assigned to CCTV-0003 (sent): message_received\n",
    )
    assert timeline("CCTV-0003")[-1] == ("message_received", "", False, "sam")
    assert [m["subject"] for m in json.loads(run("mail", "unmatched", "--json").stdout)] == [
        "Guessing addresses"
    ]
    twice = run("mail", "assign", str(listed[0]["id"]), "CCTV-0003")
    assert (twice.exit_code, twice.stderr) == (
        1,
        f"Error: message {listed[0]['id']} is already linked to CCTV-0003\n",
    )
    unknown = run("mail", "assign", "999999", "CCTV-0003")
    assert unknown.stderr == "Error: no received message '999999'\n"


def test_malformed_messages_are_listed_separately(run, sent_campaign):
    run("mail", "import", str(FIXTURES / "malformed.eml"))
    assert json.loads(run("mail", "unmatched", "--json").stdout) == []
    malformed = json.loads(run("mail", "unmatched", "--malformed", "--json").stdout)
    assert [(m["kind"], m["problem"]) for m in malformed] == [
        ("malformed", "does not start with a header field")
    ]
    refused = run("mail", "assign", str(malformed[0]["id"]), "CCTV-0001")
    assert refused.exit_code == 1
    assert refused.stderr.startswith(
        f"Error: message {malformed[0]['id']} could not be read (does not start with a header "
        "field); its raw copy is "
    )


def test_one_reply_to_several_request_addresses_matches_all(run, sent_campaign):
    from sightline.mail.models import IncomingMessage

    result = run("mail", "import", str(FIXTURES / "to_several_requests.eml"))
    assert "1 new message(s): 1 matched" in result.stdout
    message = IncomingMessage.objects.get()
    assert sorted(message.links.values_list("request__reference", "method")) == [
        ("CCTV-0002", "address"),
        ("CCTV-0003", "address"),
    ]
    assert states()["CCTV-0002"] == ("answered", True)
    assert states()["CCTV-0003"] == ("answered", True)


def test_bounce_marks_the_request_delivery_failed(run, sent_campaign):
    from sightline.campaigns.models import RequestEvent

    result = run("mail", "import", str(FIXTURES / "bounce_dsn.eml"))
    assert "1 bounce(s)" in result.stdout
    assert states()["CCTV-0003"] == ("delivery_failed", False)
    event = RequestEvent.objects.get(request__reference="CCTV-0003", kind="delivery_failed")
    assert (event.data["status"], event.data["diagnostic"], event.data["recipients"]) == (
        "5.1.1",
        "550 5.1.1 <foi@hackney.gov.uk>: Recipient address rejected: User unknown",
        ["foi@hackney.gov.uk"],
    )


def _reply(subject: str, in_reply_to: str = "", references: str = "") -> bytes:
    message = EmailMessage()
    message["From"] = "foi@camden.gov.uk"
    message["To"] = "requests@replies.example.org"
    message["Subject"] = subject
    message["Date"] = "Wed, 02 Dec 2026 10:00:00 +0000"
    message["Message-ID"] = f"<{abs(hash(subject + in_reply_to))}@camden.gov.uk>"
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = references
    message.set_content("We acknowledge receipt of your request.\n")
    return message.as_bytes()


def test_threading_headers_match_when_address_and_subject_do_not(run, sent_campaign, tmp_path):
    from sightline.mail.models import IncomingMessage, OutgoingMessage

    sent_id = OutgoingMessage.objects.get(request__reference="CCTV-0002").message_id
    path = tmp_path / "threaded.eml"
    path.write_bytes(_reply("Your e-mail", references=f"<other@x.org> <{sent_id}>"))
    run("mail", "import", str(path))
    link = IncomingMessage.objects.get().links.get()
    assert (link.request.reference, link.method) == ("CCTV-0002", "thread")
    assert states()["CCTV-0002"] == ("acknowledged", True)


def test_a_second_delivery_of_one_message_is_a_copy(run, sent_campaign, tmp_path):
    from sightline.campaigns.models import RequestEvent
    from sightline.mail.models import IncomingMessage

    raw = (FIXTURES / "answer_with_pdf.eml").read_bytes()
    copy = tmp_path / "copy.eml"
    copy.write_bytes(b"Received: from relay.example.net by mx.replies.example.org;\r\n" + raw)
    result = run("mail", "import", str(FIXTURES / "answer_with_pdf.eml"), str(copy))
    assert "2 new message(s): 1 matched, 0 unmatched, 1 further copies" in result.stdout
    original, second = IncomingMessage.objects.order_by("id")
    assert second.copy_of == original
    assert RequestEvent.objects.filter(kind="message_received").count() == 1


def test_mbox_import(run, sent_campaign, tmp_path):
    path = tmp_path / "replies.mbox"
    box = mailbox.mbox(path)
    for name in ("acknowledgement_latin1.eml", "html_only_refusal.eml"):
        box.add((FIXTURES / name).read_bytes())
    box.close()
    result = run("mail", "import", "--mbox", str(path), "--json")
    report = json.loads(result.stdout)
    assert (report["imported"], report["matched"], report["malformed"]) == (2, 2, [])
    assert states()["CCTV-0001"] == ("acknowledged", True)
    assert states()["CCTV-0003"] == ("refused", True)


def test_bad_sources_are_refused(run, sent_campaign, tmp_path):
    none = run("mail", "import")
    assert none.stderr == "Error: give exactly one of --maildir DIR, --mbox FILE or FILE.eml ...\n"
    missing = run("mail", "import", "--maildir", str(tmp_path / "nowhere"))
    assert missing.stderr == f"Error: {tmp_path / 'nowhere'} does not exist\n"
    plain = tmp_path / "plain"
    plain.mkdir()
    not_maildir = run("mail", "import", "--maildir", str(plain))
    assert (not_maildir.exit_code, not_maildir.stderr) == (
        1,
        f"Error: {plain} is not a maildir (it needs cur, new and tmp folders)\n",
    )
    text = tmp_path / "notes.txt"
    text.write_text("hello\n")
    not_mbox = run("mail", "import", "--mbox", str(text))
    assert (
        not_mbox.stderr == f"Error: {text} is not an mbox file (it does not start with 'From ')\n"
    )


def test_import_before_any_campaign_keeps_mail_unmatched(run, tmp_path):
    assert run("init").exit_code == 0
    shutil.copy(FIXTURES / "answer_with_pdf.eml", tmp_path / "a.eml")
    result = run("mail", "import", str(tmp_path / "a.eml"))
    assert "1 new message(s): 0 matched, 1 unmatched" in result.stdout
    assert len(json.loads(run("mail", "unmatched", "--json").stdout)) == 1


def test_a_copy_of_our_own_request_is_kept_but_not_a_reply(
    run, sent_campaign, smtp_server, tmp_path
):
    from sightline.campaigns.models import RequestEvent
    from sightline.mail.models import IncomingMessage

    own = tmp_path / "bcc.eml"
    own.write_bytes(smtp_server.handler.received[0].content)  # a Bcc of what we sent
    result = run("mail", "import", str(own), "--json")
    report = json.loads(result.stdout)
    assert (report["imported"], report["matched"], report["unmatched"], report["own_messages"]) == (
        1,
        0,
        0,
        1,
    )
    assert IncomingMessage.objects.get().kind == "own"
    assert json.loads(run("mail", "unmatched", "--json").stdout) == []
    assert RequestEvent.objects.filter(kind="message_received").count() == 0


def test_a_full_answer_assigned_by_hand_moves_the_request(run, sent_campaign, tmp_path):
    from sightline.campaigns.models import Request

    answer = EmailMessage()
    answer["From"] = "Information Governance <foi@hackney.gov.uk>"
    answer["To"] = "Sam Requester <sam@elsewhere.example.org>"
    answer["Subject"] = "Your information request"
    answer["Date"] = "Mon, 08 Feb 2021 10:00:00 +0000"
    answer["Message-ID"] = "<handfiled-answer@hackney.gov.uk>"
    answer.set_content(
        "Dear Sam,\n\nThe Council operates 40 CCTV cameras. All of them are made by Hikvision."
        " We hold no Dahua equipment.\n\nThis completes our response to your request.\n"
    )
    path = tmp_path / "answer.eml"
    path.write_bytes(answer.as_bytes())
    assert run("mail", "import", str(path)).exit_code == 0
    [waiting] = json.loads(run("mail", "unmatched", "--json").stdout)
    assert Request.objects.get(reference="CCTV-0003").state == "sent"
    assigned = run("mail", "assign", str(waiting["id"]), "CCTV-0003", "--by", "sam")
    assert assigned.exit_code == 0
    request = Request.objects.get(reference="CCTV-0003")
    assert (request.state, request.state_is_guess) == ("answered", True)
    assert timeline("CCTV-0003")[-2:] == [
        ("message_received", "", False, "sam"),
        ("state_set", "answered", True, "rule:status.answered"),
    ]


def test_large_messages_are_written_before_a_batch_fills(sent_campaign, monkeypatch):
    """Parsed messages are held for the next database write only up to a size: a batch of 500
    large replies would otherwise hold them all in memory."""
    from sightline.mail import inbox
    from sightline.mail.models import IncomingMessage

    monkeypatch.setattr(inbox, "RAW_BATCH_BYTES", 4000)
    importer = inbox.Importer(batch_size=500)
    for number in range(3):
        raw = (
            f"From: foi@camden.gov.uk\r\nSubject: Register {number}\r\n"
            f"Message-ID: <register-{number}@camden.gov.uk>\r\n\r\n"
            + "Camera 1: Hikvision\r\n"
            * 120
        ).encode()
        importer.add(raw, f"test#{number}")
    # the first two (over 4,000 bytes together) are stored and written; the third waits
    assert sorted(IncomingMessage.objects.values_list("subject", flat=True)) == [
        "Register 0",
        "Register 1",
    ]
    importer.close()
    assert IncomingMessage.objects.count() == 3

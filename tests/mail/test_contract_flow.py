"""A campaign end to end (docs/formats.md, campaigns) with the installed `sightline` command in a fresh data
folder: 52 requests sent through a real SMTP server, replies taken in from a maildir."""

from __future__ import annotations

import json
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

pytestmark = pytest.mark.slow


def reply_to(sent: bytes, text: str, number: int, attachment: bytes = b"") -> bytes:
    """An authority's answer, sent to the Reply-To of our request, quoting its subject (with a
    PDF attached when ``attachment`` is given)."""
    original = message_from_bytes(sent, policy=policy.default)
    reply = EmailMessage()
    reply["From"] = original["To"]
    reply["To"] = original["Reply-To"]
    reply["Subject"] = f"RE: {original['Subject']}"
    reply["Date"] = "Thu, 10 Dec 2026 12:00:00 +0000"
    reply["Message-ID"] = f"<reply-{number}@authority.example>"
    reply["In-Reply-To"] = original["Message-ID"]
    reply.set_content(text)
    if attachment:
        reply.add_attachment(attachment, "application", "pdf", filename="response.pdf")
    return reply.as_bytes()


def test_campaign_end_to_end(sightline, smtp_server, tmp_path):
    assert sightline("init").returncode == 0
    listed = sightline("authorities", "list", "--set", "seed-52", "--json")
    authorities = json.loads(listed.stdout)
    contacts = tmp_path / "contacts.csv"
    contacts.write_text(
        "gss_code,email\n"
        + "".join(f"{a['gss_code']},foi@{a['gss_code'].lower()}.example\n" for a in authorities)
    )
    assert sightline("contacts", "import", str(contacts)).returncode == 0
    template = tmp_path / "request.txt"
    template.write_text("Dear {authority_name},\n\nUnder {law_section} of the {law_name}...\n")
    created = sightline(
        "campaign",
        "create",
        "cctv",
        "--set",
        "seed-52",
        "--template",
        str(template),
        "--title",
        "CCTV",
    )
    assert created.returncode == 0, created.stderr
    # Without a requester's name and a reply domain that receives mail nothing goes (FOIA
    # s.8(1)(b)): one line, exit 1, nothing stored.
    refused = sightline("campaign", "send", "cctv", "--smtp", smtp_server.url)
    assert (refused.returncode, refused.stdout) == (1, "")
    assert refused.stderr == (
        "Error: campaign cctv has no requester name; nothing sent (set it with "
        "`sightline campaign edit cctv --requester NAME`)\n"
    )
    edited = sightline(
        "campaign", "edit", "cctv", "--requester", "Alex Example",
        "--reply-domain", "replies.example.org",
    )  # fmt: skip
    assert edited.returncode == 0, edited.stderr

    sent = sightline("campaign", "send", "cctv", "--smtp", smtp_server.url)
    assert (sent.returncode, sent.stdout) == (0, "Sent 52 message(s); 0 deferred, 0 failed\n")
    received = smtp_server.handler.received
    assert len(received) == 52
    messages = [message_from_bytes(r.content, policy=policy.default) for r in received]
    assert len({m["Reply-To"] for m in messages}) == 52  # one reply address per request
    references = [m["X-Sightline-Reference"] for m in messages]
    assert all(f"[{ref}]" in m["Subject"] for ref, m in zip(references, messages, strict=True))
    again = sightline("campaign", "send", "cctv", "--smtp", smtp_server.url)
    assert again.stdout == "Sent 0 message(s); 0 deferred, 0 failed\n"
    assert len(smtp_server.handler.received) == 52

    maildir = tmp_path / "Maildir"
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True)
    for number, delivery in enumerate(received[:10]):
        # an answer's promised attachment is there (without it the reply would be unclear)
        text = "Please find attached our response." if number % 2 else "We acknowledge receipt."
        pdf = b"%PDF-1.4\n%%EOF\n" if number % 2 else b""
        (maildir / "new" / f"{number}.test").write_bytes(
            reply_to(delivery.content, text, number, pdf)
        )
    (maildir / "new" / "stray.test").write_bytes(
        b"From: someone@example.net\r\nSubject: hello\r\nMessage-ID: <stray@x>\r\n\r\nhi\r\n"
    )
    imported = sightline("mail", "import", "--maildir", str(maildir))
    assert imported.returncode == 0, imported.stderr
    assert "11 new message(s): 10 matched, 1 unmatched" in imported.stdout
    second = sightline("mail", "import", "--maildir", str(maildir))
    assert "0 new message(s)" in second.stdout and "11 already imported" in second.stdout
    unmatched = json.loads(sightline("mail", "unmatched", "--json").stdout)
    assert [m["subject"] for m in unmatched] == ["hello"]

    status = json.loads(sightline("campaign", "status", "cctv", "--json").stdout)
    assert status["slug"] == "cctv"
    assert status["counts"] == {"acknowledged": 5, "answered": 5, "sent": 42}
    rows = {r["reference"]: r for r in status["requests"]}
    assert set(rows[references[0]]) >= {
        "reference",
        "gss_code",
        "authority",
        "state",
        "sent_on",
        "due",
        "last_message_on",
    }
    assert rows[references[1]]["state"] == "answered"
    assert rows[references[1]]["last_message_on"] is not None
    assert rows[references[20]]["last_message_on"] is None

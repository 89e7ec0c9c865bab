"""A campaign whose requests went through a real SMTP server (aiosmtpd on loopback) and whose
replies came in through `sightline mail import`, for the export tests."""

from __future__ import annotations

import contextlib
import datetime as dt
import socket
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner

from sightline.cli.main import cli

COUNCILS = {
    "E09000007": "foi@camden.gov.uk",  # London Borough of Camden -> CCTV-0001
    "E09000012": "foi@hackney.gov.uk",  # London Borough of Hackney -> CCTV-0002
}
TEMPLATE = (
    "Dear {authority_name},\n\nUnder {law_section} of the {law_name}, please tell me which "
    "companies made the CCTV cameras you own.\n\n{requester_name}\nReference {reference}\n"
)
# Bytes of a small PDF-like attachment (content is never read as PDF here, only carried).
PDF_BYTES = b"%PDF-1.4\n% test attachment\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


@dataclass
class Recorder:
    received: list[bytes] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):
        self.received.append(bytes(envelope.content))
        return "250 2.0.0 Ok: queued"


@pytest.fixture
def run(sightline_home: Path):
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return invoke


@pytest.fixture
def smtp():
    with contextlib.closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Recorder()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, f"smtp://127.0.0.1:{port}"
    finally:
        controller.stop()


def reply_to(sent: bytes, text: str, number: int, date: str, attachment: str = "") -> bytes:
    """An authority's answer to the Reply-To of our request, quoting its subject."""
    original = message_from_bytes(sent, policy=policy.default)
    reply = EmailMessage()
    reply["From"] = original["To"]
    reply["To"] = original["Reply-To"]
    reply["Subject"] = f"RE: {original['Subject']}"
    reply["Date"] = date
    reply["Message-ID"] = f"<reply-{number}@authority.example>"
    reply["In-Reply-To"] = original["Message-ID"]
    reply.set_content(text)
    if attachment:
        reply.add_attachment(PDF_BYTES, maintype="application", subtype="pdf", filename=attachment)
    return reply.as_bytes()


@dataclass
class SentCampaign:
    wire: list[bytes]  # what the SMTP server received, in sending order
    replies: list[bytes]  # the raw replies imported
    answered_at: dt.datetime  # the Date of both replies
    attachment: bytes = PDF_BYTES  # the bytes attached to Camden's answer


@pytest.fixture
def sent_campaign(run, smtp, tmp_path: Path, db) -> SentCampaign:
    """Campaign ``cctv`` to Camden and Hackney, sent through aiosmtpd; Camden answered with an
    attachment whose name tries to climb out of its folder, Hackney acknowledged."""
    from sightline.authorities.registry import add_to_set

    handler, url = smtp
    assert run("init").exit_code == 0
    add_to_set("pair", list(COUNCILS), title="Two councils")
    contacts = tmp_path / "contacts.csv"
    contacts.write_text("gss_code,email\n" + "".join(f"{c},{e}\n" for c, e in COUNCILS.items()))
    assert run("contacts", "import", str(contacts)).exit_code == 0
    template = tmp_path / "request.txt"
    template.write_text(TEMPLATE)
    created = run(
        "campaign", "create", "cctv", "--set", "pair", "--template", str(template),
        "--title", "CCTV vendors", "--requester", "Alex Example",
        "--reply-domain", "replies.example.org",
    )  # fmt: skip
    assert created.exit_code == 0, created.stderr
    sent = run("campaign", "send", "cctv", "--smtp", url)
    assert sent.exit_code == 0, sent.stderr
    assert len(handler.received) == 2
    by_to = {message_from_bytes(raw)["To"]: raw for raw in handler.received}
    # Answered straight away (a reply dated later than the import would be dated by the import).
    # (The Date header has whole seconds: the next whole second, so it follows the sending.)
    answered_at = (dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)).replace(microsecond=0)
    time.sleep(max(0.0, (answered_at - dt.datetime.now(dt.UTC)).total_seconds()))
    date = format_datetime(answered_at)
    replies = [
        reply_to(
            by_to["foi@camden.gov.uk"], "Please find our response attached.", 1, date,
            attachment="../../etc/CCTV response.pdf",
        ),
        reply_to(by_to["foi@hackney.gov.uk"], "We acknowledge receipt of your request.", 2, date),
    ]  # fmt: skip
    maildir = tmp_path / "Maildir"
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True)
    for number, raw in enumerate(replies):
        (maildir / "new" / f"{number}.test").write_bytes(raw)
    imported = run("mail", "import", "--maildir", str(maildir))
    assert imported.exit_code == 0, imported.stderr
    assert "2 new message(s): 2 matched" in imported.stdout
    return SentCampaign(list(handler.received), replies, answered_at)

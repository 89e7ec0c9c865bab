"""The invented councils' side of the demo: a mail server that receives the requests, and the
replies each council writes back into a mailbox that Sightline then imports.

The SMTP server is aiosmtpd on a free loopback port, so the requests really go out over SMTP.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import mailbox
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from sightline.demo.attachments import asset_register_xlsx, scanned_pdf, text_pdf
from sightline.demo.scenario import COUNCILS, FictionalCouncil, Reply


@dataclass(frozen=True)
class Received:
    """A request as the council's mail server got it."""

    mail_from: str
    recipient: str
    message: EmailMessage


class _Sink:
    def __init__(self) -> None:
        self.received: list[Received] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = BytesParser(policy=policy.default).parsebytes(envelope.content)
        assert isinstance(parsed, EmailMessage)
        for recipient in envelope.rcpt_tos:
            self.received.append(Received(envelope.mail_from, recipient, parsed))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def council_mail_server() -> Iterator[tuple[str, list[Received]]]:
    """An SMTP server on loopback for the duration; yields its URL and what it received."""
    sink = _Sink()
    port = _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{port}", sink.received
    finally:
        controller.stop()


def council_for(address: str) -> FictionalCouncil | None:
    domain = address.rsplit("@", 1)[-1].lower()
    return next((c for c in COUNCILS if c.domain == domain), None)


def _stamp(message: EmailMessage, council: FictionalCouncil, when: dt.datetime, n: int) -> None:
    message["Date"] = email.utils.format_datetime(when)
    message["Message-ID"] = f"<reply-{n}-{when:%Y%m%d}@{council.domain}>"


def _reply(request: Received, council: FictionalCouncil, reply: Reply, n: int) -> EmailMessage:
    original = request.message
    sent = email.utils.parsedate_to_datetime(str(original["Date"]))
    when = sent + dt.timedelta(days=reply.days_after, hours=1)
    message = EmailMessage()
    message["From"] = f"Information Governance <foi@{council.domain}>"
    message["To"] = str(original["Reply-To"] or original["From"])
    message["Subject"] = f"RE: {original['Subject']}"
    message["In-Reply-To"] = str(original["Message-ID"])
    message["References"] = str(original["Message-ID"])
    _stamp(message, council, when, n)
    body = reply.body.format(sent=f"{sent:%d %B %Y}", law_name=_law_name(council))
    if reply.form == "html":  # an HTML-only e-mail, as some case systems send
        message.set_content(f"<html><body>{body}</body></html>", subtype="html")
        return message
    message.set_content(body)
    slug = council.short_name.lower().replace(" ", "-")
    if reply.form == "pdf":
        message.add_attachment(
            text_pdf(list(reply.attachment_lines)),
            maintype="application",
            subtype="pdf",
            filename=f"{slug}-foi-response.pdf",
        )
    elif reply.form == "scan":
        message.add_attachment(
            scanned_pdf(list(reply.attachment_lines)),
            maintype="application",
            subtype="pdf",
            filename="scan0001.pdf",
        )
    elif reply.form == "register":
        message.add_attachment(
            asset_register_xlsx(list(reply.register_rows), hidden_notes="Checked by the CCTV team"),
            maintype="application",
            subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            filename="cctv-asset-register.xlsx",
        )
    return message


def _law_name(council: FictionalCouncil) -> str:
    if council.nation == "Scotland":
        return "Freedom of Information (Scotland) Act 2002"
    return "Freedom of Information Act 2000"


def _bounce(request: Received, n: int) -> bytes:
    """A delivery status notification (RFC 3464) from the council's mail server, as it arrives."""
    original = request.message
    sent = email.utils.parsedate_to_datetime(str(original["Date"]))
    domain = request.recipient.rsplit("@", 1)[-1]
    boundary = f"dsn-{n}"
    headers = "".join(f"{name}: {value}\r\n" for name, value in original.items())
    text = (
        f"From: Mail Delivery System <MAILER-DAEMON@mx.{domain}>\r\n"
        f"To: {request.mail_from}\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        f"Date: {email.utils.format_datetime(sent + dt.timedelta(minutes=2))}\r\n"
        f"Message-ID: <bounce-{n}@mx.{domain}>\r\n"
        "Auto-Submitted: auto-replied\r\n"
        "MIME-Version: 1.0\r\n"
        f'Content-Type: multipart/report; report-type=delivery-status; boundary="{boundary}"\r\n'
        "\r\n"
        f"--{boundary}\r\n"
        "Content-Type: text/plain; charset=us-ascii\r\n\r\n"
        f"This is the mail system at host mx.{domain}.\r\n\r\n"
        f"Your message could not be delivered to {request.recipient}: the mailbox does not exist.\r\n"
        f"\r\n--{boundary}\r\n"
        "Content-Type: message/delivery-status\r\n\r\n"
        f"Reporting-MTA: dns; mx.{domain}\r\n\r\n"
        f"Final-Recipient: rfc822; {request.recipient}\r\n"
        "Action: failed\r\nStatus: 5.1.1\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 mailbox unavailable\r\n"
        f"\r\n--{boundary}\r\n"
        "Content-Type: text/rfc822-headers\r\n\r\n"
        f"{headers}"
        f"\r\n--{boundary}--\r\n"
    )
    return text.encode("utf-8")


def write_replies(
    received: list[Received], maildir: Path, until: dt.datetime, after: dt.datetime | None = None
) -> list[str]:
    """Write every reply dated in (after, until] into ``maildir``; returns the councils that did."""
    box = mailbox.Maildir(maildir, create=True)
    wrote = []
    for number, request in enumerate(received, start=1):
        council = council_for(request.recipient)
        if council is None:
            continue
        sent = email.utils.parsedate_to_datetime(str(request.message["Date"]))
        for index, reply in enumerate(council.replies):
            when = sent + dt.timedelta(days=reply.days_after, hours=1)
            if when > until or (after is not None and when <= after):
                continue
            n = number * 10 + index
            if reply.form == "bounce":
                box.add(_bounce(request, n))
            else:
                box.add(_reply(request, council, reply, n).as_bytes())
            wrote.append(council.name)
    return wrote


__all__ = ["Received", "council_mail_server", "write_replies"]

"""The e-mail that carries a request or a follow-up: addresses, subject, threading headers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid

from sightline.law import Law


@dataclass(frozen=True)
class Envelope:
    """Addresses and identity of one outgoing message."""

    reply_address: str  # the per-request address: From, Reply-To and the envelope sender
    sender_name: str
    to: str
    domain: str  # for the Message-ID


def compose(
    envelope: Envelope,
    subject: str,
    body: str,
    reference: str,
    now: datetime,
    in_reply_to: str = "",
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = formataddr((envelope.sender_name, envelope.reply_address))
    message["Reply-To"] = envelope.reply_address
    message["To"] = envelope.to
    message["Subject"] = subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(idstring=reference.lower(), domain=envelope.domain)
    if in_reply_to:
        message["In-Reply-To"] = f"<{in_reply_to}>"
        message["References"] = f"<{in_reply_to}>"
    message["X-Sightline-Reference"] = reference
    message.set_content(body)
    return message


def request_subject(law: Law, title: str, reference: str) -> str:
    kind = "Environmental information" if law in (Law.EIR, Law.EISR) else "Freedom of Information"
    return f"{kind} request: {title} [{reference}]"

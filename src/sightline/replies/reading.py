"""The one judgement of a received message: what kind it is, and what a reply says, in the
request lifecycle's own state names (what a reply says is the facts status judgement, which
fact extraction asks too; this module finds the reply's own words for it).

Kinds: a ``reply`` from a person; a ``bounce`` (RFC 3464 delivery status "failed", or a mail
system's or gateway's non-standard failure notice); a ``delay`` notice (delivery status "delayed":
neither a bounce nor an answer); an ``auto_reply`` or ``out_of_office`` (RFC 3834
``Auto-Submitted``, the common ``X-Autoreply``/``Precedence`` headers and the usual subjects).
Only a reply is read for what it says; the reading is a guess for a person to confirm.
Rules are ordered: the first that fires wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email import policy
from email.message import Message
from email.parser import HeaderParser
from enum import StrEnum
from typing import TYPE_CHECKING

from sightline.lifecycle import State

if TYPE_CHECKING:
    from sightline.replies.reader import Bounce, Reply


class Kind(StrEnum):
    REPLY = "reply"
    BOUNCE = "bounce"
    DELAY = "delay"
    AUTO_REPLY = "auto_reply"
    OUT_OF_OFFICE = "out_of_office"


# Mail systems and filtering gateways that send failure notices under their own name.
_SYSTEM_SENDER = re.compile(
    r"^(?:mailer-daemon|mail-daemon|mailerdaemon|postmaster|mail\.?delivery(?:\.?system)?"
    r"|mailscanner|quarantine|antivirus|anti-virus|virus-?alert|mimecast|mailsweeper"
    r"|emailsecurity|email-security|mailguard|smtp-?gateway)@",
    re.IGNORECASE,
)
_BOUNCE_SUBJECT = re.compile(
    r"^\s*(?:\[[^\]]*\]\s*)?(?:undeliver|undelivered mail|delivery status notification \(failure\)"
    r"|mail delivery (?:failed|failure|subsystem)|returned mail|delivery has failed|failure notice"
    r"|delivery failure|non[- ]?delivery|message (?:was )?(?:blocked|rejected|quarantined)"
    r"|(?:blocked|rejected|quarantined) (?:message|e-?mail)|virus (?:detected|found|alert)"
    r"|(?:e-?mail )?viruses? detected|your message (?:could not|was not|has not been|cannot be)"
    r" (?:be )?delivered|could not (?:be )?delivered|message not delivered|notification of"
    r" (?:blocked|rejected|quarantined))",
    re.IGNORECASE,
)
_DELAY_SUBJECT = re.compile(
    r"^\s*(?:delivery (?:status notification \(delay\)|delayed|has been delayed|delay)"
    r"|delayed mail|delayed delivery|warning: (?:could not send|message .{0,80}delayed|delayed)"
    r"|mail delivery (?:warning|delayed)|.{0,40}\bstill being retried)",
    re.IGNORECASE,
)
_DELAY_TEXT = re.compile(
    r"has not (?:yet )?been delivered|delivery (?:has been|is) delayed|(?:will|shall) (?:continue|keep)"
    r" (?:trying|to try|retrying)|still (?:being )?(?:retried|trying)|no action is required",
    re.IGNORECASE,
)
_BOUNCE_TEXT = re.compile(
    r"could not be delivered|was not delivered|delivery (?:to the following recipients? )?"
    r"(?:has )?failed|permanent(?:ly)? (?:error|fail)|has been (?:blocked|rejected|quarantined)"
    r"|was (?:blocked|rejected|quarantined)|virus (?:was )?(?:detected|found)|recipient address rejected"
    r"|user unknown|mailbox unavailable|does not exist",
    re.IGNORECASE,
)
_AUTO_SUBJECT = re.compile(
    r"^\s*(automatic reply|auto(?:matic)?[- ]?(?:reply|response)|autoreply|out of (?:the )?office"
    r"|auto:|ooo\b|abwesenheitsnotiz|r[ée]ponse automatique)",
    re.IGNORECASE,
)
_OUT_OF_OFFICE = re.compile(
    r"out of (?:the )?office|on (?:annual )?leave|away from (?:the|my) (?:office|desk)"
    r"|on holiday|limited access to (?:my )?e-?mail|return(?:ing)? to (?:the )?office on",
    re.IGNORECASE,
)
_MESSAGE_ID = re.compile(r"<([^<>\s]+)>")


def _text(value: object) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def judge(reply: Reply, message: Message | None) -> tuple[str, Bounce | None]:
    """(kind, bounce details) of a parsed message."""
    from sightline.replies.reader import Bounce

    headers = reply.headers
    if message is not None and reply.content_type == "multipart/report":
        report = _delivery_status(message)
        if report is not None:
            return report
    system = bool(_SYSTEM_SENDER.match(reply.from_address)) or "x-failed-recipients" in headers
    automatic = _automatic(reply)
    head = reply.text[:3000]
    if (system or automatic) and (
        _DELAY_SUBJECT.search(reply.subject)
        or (system and _DELAY_TEXT.search(head) and not _BOUNCE_SUBJECT.search(reply.subject))
    ):
        return Kind.DELAY.value, None
    if _BOUNCE_SUBJECT.search(reply.subject) and (system or automatic or _BOUNCE_TEXT.search(head)):
        return Kind.BOUNCE.value, Bounce()  # a non-standard bounce: no details to read
    if system and _BOUNCE_TEXT.search(head):
        return Kind.BOUNCE.value, Bounce()
    if _DELAY_SUBJECT.search(reply.subject) and _DELAY_TEXT.search(head):
        return Kind.DELAY.value, None
    if automatic:
        if _OUT_OF_OFFICE.search(reply.subject) or _OUT_OF_OFFICE.search(head[:2000]):
            return Kind.OUT_OF_OFFICE.value, None
        return Kind.AUTO_REPLY.value, None
    return Kind.REPLY.value, None


def _automatic(reply: Reply) -> bool:
    headers = reply.headers
    auto_submitted = (headers.first("auto-submitted") or "").strip().lower()
    precedence = (headers.first("precedence") or "").strip().lower()
    return (
        (auto_submitted != "" and not auto_submitted.startswith("no"))
        or "x-autoreply" in headers
        or "x-autorespond" in headers
        or precedence == "auto_reply"
        or bool(_AUTO_SUBJECT.search(reply.subject))
    )


def _delivery_status(report: Message) -> tuple[str, Bounce | None] | None:
    """A delivery status report (RFC 3464): failed, delayed, or (delivered, relayed) neither."""
    from sightline.replies.reader import Bounce, decode_words

    recipients: list[str] = []
    status = diagnostic = original_id = original_subject = ""
    actions: set[str] = set()
    for part in report.walk():
        kind = part.get_content_type()
        if kind == "message/delivery-status":
            for block in part.get_payload():
                if not isinstance(block, Message):
                    continue
                action = str(block.get("Action", "")).strip().lower()
                recipient = str(
                    block.get("Final-Recipient") or block.get("Original-Recipient") or ""
                )
                if not recipient:
                    continue
                actions.add(action or "failed")
                if action and action != "failed":
                    continue
                recipients.append(recipient.split(";", 1)[-1].strip().lower())
                status = status or str(block.get("Status", "")).strip()
                diagnostic = (
                    diagnostic or _text(block.get("Diagnostic-Code", "")).split(";", 1)[-1].strip()
                )
        elif kind in ("text/rfc822-headers", "message/rfc822"):
            headers = _original_headers(part)
            if headers is not None:
                ids = _MESSAGE_ID.findall(str(headers.get("Message-ID", "")))
                original_id = original_id or (ids[0] if ids else "")
                original_subject = original_subject or decode_words(str(headers.get("Subject", "")))
    if recipients:
        return Kind.BOUNCE.value, Bounce(
            status, diagnostic, tuple(recipients), original_id, original_subject
        )
    if "delayed" in actions:
        return Kind.DELAY.value, None
    if actions:
        return Kind.AUTO_REPLY.value, None  # delivered, relayed, expanded: a receipt, no reply
    return None


def _original_headers(part: Message) -> Message | None:
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        if isinstance(inner, list) and inner and isinstance(inner[0], Message):
            return inner[0]
        return None
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return None
    return HeaderParser(policy=policy.compat32).parsestr(payload.decode("utf-8", "replace"))


# -- what a reply says -------------------------------------------------------------------------

# Where a reply's own words end and the message it answers begins (Outlook's "Original Message"
# and "From: ... Sent:" headers, a forwarded message, Gmail/Thunderbird/Apple Mail "On ... wrote:",
# a long rule of underscores); quoted lines start with ">". Our request is usually quoted below a
# reply, and its wording ("if you need clarification...") must not be read as the authority's.
# The one detector of quoted text, for the reader and for fact extraction's layout alike.
QUOTE_START = re.compile(
    r"^[ \t]*(?:-{2,}\s*(?:original message|forwarded message)|-{3,}\s*forwarded\b|_{5,}[ \t]*$"
    r"|from:[ \t][^\n]*?(?:\n|[ \t])(?:sent|date):[ \t]|on[ \t][^\n]{0,200}\bwrote:[ \t]*$)",
    re.IGNORECASE | re.MULTILINE,
)


def quote_start(text: str) -> int | None:
    """Where the quoted message in ``text`` begins, or None when nothing is quoted."""
    found = QUOTE_START.search(text)
    return found.start() if found else None


def quoted_line(line: str) -> bool:
    """A line quoted from the message answered ("> ...")."""
    return line.lstrip().startswith(">")


def own_words(text: str) -> str:
    """The part of a reply its sender wrote: without the quoted message it answers."""
    cut = quote_start(text)
    if cut is not None:
        text = text[:cut]
    return "\n".join(line for line in text.splitlines() if not quoted_line(line))


@dataclass(frozen=True)
class Reading:
    state: State | None  # the request state the reply points to, if any
    rule: str  # which rule fired, for the event log


def read_text(text: str, has_attachments: bool) -> Reading:
    """What a reply from an authority says, as the request state it points to: the facts status
    judgement (``sightline.facts.status``, the only one) of its text. A judgement that rests on
    no quote (a message that says nothing of its outcome) sets no state."""
    from sightline.facts.status import judge_text

    judgement = judge_text(text, has_attachments)
    return Reading(judgement.state if judgement.evidence else None, judgement.rule)


def read_reply_state(reply: Reply) -> Reading:
    """The reading of a parsed message: only a person's reply points to a state."""
    if reply.kind != Kind.REPLY:
        return Reading(None, reply.kind)
    return read_text(reply.text, bool(reply.attachments))

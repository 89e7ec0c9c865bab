"""The outbox: store each message before trying to send it, record the result after.

Idempotent by construction (issue 3): a request gets one request message, ever; a message is
marked ``sending`` (committed) before the SMTP transaction and ``sent`` after, so a crash between
the two leaves it ``sending`` and it is reported, never silently sent again.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.policy import SMTP

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from sightline.campaigns.models import Campaign, Request
from sightline.campaigns.service import CampaignError, record_event
from sightline.law import Law
from sightline.letters import LetterFields, render
from sightline.lifecycle import EventKind, State, TransitionError
from sightline.mail.addresses import DEFAULT_REPLY_DOMAIN, reply_address
from sightline.mail.models import OutgoingMessage
from sightline.mail.outgoing import Envelope, compose, request_subject
from sightline.mail.smtp import Outcome, RateLimiter, SmtpConnection, SmtpSetupError

# CRLF line ends as on the wire; long headers (a subject with a title) kept on one line rather
# than folded before their first word, which some clients show with a leading space (RFC 5322
# 2.1.1 allows up to 998 characters).
SMTP_POLICY = SMTP.clone(max_line_length=998)

# The event each kind of message adds to its request's log once it has gone.
SENT_EVENTS = {
    OutgoingMessage.Kind.REQUEST: EventKind.SENT,
    OutgoingMessage.Kind.REMINDER: EventKind.FOLLOW_UP_SENT,
    OutgoingMessage.Kind.INTERNAL_REVIEW: EventKind.INTERNAL_REVIEW_REQUESTED,
    OutgoingMessage.Kind.COMPLAINT: EventKind.REGULATOR_COMPLAINT,
}


class MissingContactsError(CampaignError):
    pass


def reply_domain(campaign: Campaign) -> str:
    return campaign.reply_domain or os.environ.get("SIGHTLINE_REPLY_DOMAIN") or DEFAULT_REPLY_DOMAIN


def request_reply_address(request: Request) -> str:
    campaign = request.campaign
    return reply_address(request.reference, campaign.secret, reply_domain(campaign))


def envelope_for(request: Request, to: str) -> Envelope:
    campaign = request.campaign
    return Envelope(
        reply_address=request_reply_address(request),
        sender_name=campaign.requester_name,
        to=to,
        domain=reply_domain(campaign),
    )


def request_letter(request: Request) -> tuple[str, str]:
    """The subject and body of a request as it is (or would be) sent."""
    campaign, authority = request.campaign, request.authority
    fields = LetterFields(
        authority_name=authority.name,
        authority_short_name=authority.short_name,
        law=Law(request.law),
        reference=request.reference,
        requester_name=campaign.requester_name,
    )
    subject = request_subject(Law(request.law), campaign.title, request.reference)
    return subject, render(campaign.template, fields)


def store_message(
    request: Request,
    kind: str,
    subject: str,
    body: str,
    to: str,
    in_reply_to: str = "",
    now: datetime | None = None,
) -> OutgoingMessage:
    envelope = envelope_for(request, to)
    message = compose(
        envelope, subject, body, request.reference, now or timezone.now(), in_reply_to
    )
    return OutgoingMessage.objects.create(
        request=request,
        kind=kind,
        message_id=str(message["Message-ID"]).strip("<>"),
        envelope_from=envelope.reply_address,
        to=to,
        subject=subject,
        raw=message.as_bytes(policy=SMTP_POLICY),
    )


def missing_contacts(requests: Iterable[Request]) -> list[Request]:
    return [r for r in requests if not r.authority.foi_email]


def queue_campaign(campaign: Campaign) -> list[OutgoingMessage]:
    """Store one request message for every draft request; refuse (storing nothing) when any
    authority lacks an FOI address."""
    drafts = list(
        campaign.requests.filter(state=State.DRAFT)
        .exclude(outgoing__kind=OutgoingMessage.Kind.REQUEST)
        .select_related("authority", "campaign")
        .prefetch_related("authority__contacts")
    )
    missing = missing_contacts(drafts)
    if missing:
        names = "; ".join(f"{r.authority.name} ({r.authority.gss_code})" for r in missing)
        raise MissingContactsError(
            f"{len(missing)} authorit{'y has' if len(missing) == 1 else 'ies have'} no FOI "
            f"contact address, nothing sent (import them with `sightline contacts import`): {names}"
        )
    queued = []
    with transaction.atomic():
        for request in drafts:
            subject, body = request_letter(request)
            email = request.authority.foi_email
            assert email is not None
            queued.append(
                store_message(request, OutgoingMessage.Kind.REQUEST, subject, body, email)
            )
            record_event(request, EventKind.QUEUED)
    return queued


@dataclass
class SendReport:
    sent: list[str] = field(default_factory=list)  # references
    deferred: list[tuple[str, str]] = field(default_factory=list)  # reference, server answer
    failed: list[tuple[str, str]] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)  # interrupted mid-attempt earlier

    def as_json(self) -> dict[str, object]:
        return {
            "sent": self.sent,
            "deferred": [{"reference": r, "answer": a} for r, a in self.deferred],
            "failed": [{"reference": r, "answer": a} for r, a in self.failed],
            "uncertain": self.uncertain,
        }


@dataclass
class SendPolicy:
    rate_per_minute: int = 60
    attempts: int = 3  # tries within one run before leaving a message deferred
    backoff: float = 30.0  # seconds before the second try; doubled each time after
    sleep: Callable[[float], None] = time.sleep


def _answer_text(outcome: Outcome) -> str:
    return f"{outcome.code} {outcome.answer}" if outcome.code else outcome.answer


def _record_sent(message: OutgoingMessage, outcome: Outcome) -> None:
    with transaction.atomic():
        message.status = OutgoingMessage.Status.SENT
        message.sent_at = timezone.now()
        message.smtp_code, message.smtp_answer = outcome.code, outcome.answer
        message.next_attempt_at = None
        message.save()
        data = {"message_id": message.message_id, "kind": message.kind, "to": message.to}
        try:
            record_event(message.request, SENT_EVENTS[message.kind], data=data, at=message.sent_at)
        except TransitionError as error:  # e.g. a review requested of a withdrawn request
            record_event(message.request, EventKind.NOTE, note=str(error), data=data)


def _record_failed(message: OutgoingMessage, outcome: Outcome) -> None:
    with transaction.atomic():
        message.status = OutgoingMessage.Status.FAILED
        message.smtp_code, message.smtp_answer = outcome.code, outcome.answer
        message.next_attempt_at = None
        message.save()
        data = {
            "message_id": message.message_id,
            "kind": message.kind,
            "to": message.to,
            "smtp_code": outcome.code,
            "smtp_answer": outcome.answer,
        }
        if message.kind == OutgoingMessage.Kind.REQUEST:
            record_event(message.request, EventKind.DELIVERY_FAILED, data=data)
        else:
            record_event(
                message.request, EventKind.NOTE, note=f"{message.kind} not delivered", data=data
            )


def deliver(
    message: OutgoingMessage, connection: SmtpConnection, policy: SendPolicy, limiter: RateLimiter
) -> Outcome:
    """Try ``message`` up to ``policy.attempts`` times; the result is stored before returning."""
    delays = [policy.backoff * 2**n for n in range(policy.attempts)]
    outcome = Outcome("temporary", None, "not tried")
    for attempt in range(policy.attempts):
        limiter.wait()
        # Claim the message (committed: the intent to try). A conditional update, so a second
        # sender running at the same time (a worker and a person) cannot take it too.
        claimed = OutgoingMessage.objects.filter(
            pk=message.pk,
            status__in=[OutgoingMessage.Status.PENDING, OutgoingMessage.Status.DEFERRED],
        ).update(status=OutgoingMessage.Status.SENDING, attempts=F("attempts") + 1)
        if not claimed:
            return Outcome("skipped", None, "taken by another sender")
        message.status = OutgoingMessage.Status.SENDING
        message.attempts += 1
        try:
            outcome = connection.deliver(message.envelope_from, message.to, bytes(message.raw))
        except SmtpSetupError:
            # Refused before MAIL FROM: nothing went, so the message simply waits again.
            message.status = OutgoingMessage.Status.PENDING
            message.save(update_fields=["status"])
            raise
        if outcome.sent:
            _record_sent(message, outcome)
            return outcome
        if outcome.status == "permanent":
            _record_failed(message, outcome)
            return outcome
        message.status = OutgoingMessage.Status.DEFERRED
        message.smtp_code, message.smtp_answer = outcome.code, outcome.answer
        message.next_attempt_at = timezone.now() + timedelta(seconds=delays[attempt] * 2)
        message.save(update_fields=["status", "smtp_code", "smtp_answer", "next_attempt_at"])
        if attempt + 1 < policy.attempts:
            policy.sleep(delays[attempt])
    return outcome


def send_outbox(
    messages: Iterable[OutgoingMessage],
    connection: SmtpConnection,
    policy: SendPolicy,
    report: SendReport | None = None,
    progress: Callable[[], None] | None = None,
) -> SendReport:
    report = report or SendReport()
    limiter = RateLimiter(policy.rate_per_minute, sleep=policy.sleep)
    try:
        for message in messages:
            outcome = deliver(message, connection, policy, limiter)
            reference = message.request.reference
            if outcome.status == "skipped":
                continue
            if outcome.sent:
                report.sent.append(reference)
            elif outcome.status == "permanent":
                report.failed.append((reference, _answer_text(outcome)))
            else:
                report.deferred.append((reference, _answer_text(outcome)))
            if progress:
                progress()
    finally:
        connection.close()
    return report


def sendable(campaign: Campaign | None = None, due_only: bool = False) -> list[OutgoingMessage]:
    """Messages waiting to go: pending ones, and deferred ones (only those due, if asked)."""
    waiting = OutgoingMessage.objects.filter(
        status__in=[OutgoingMessage.Status.PENDING, OutgoingMessage.Status.DEFERRED]
    )
    if campaign is not None:
        waiting = waiting.filter(request__campaign=campaign)
    if due_only:
        from django.db.models import Q

        waiting = waiting.filter(Q(next_attempt_at=None) | Q(next_attempt_at__lte=timezone.now()))
    return list(waiting.select_related("request", "request__campaign").order_by("id"))


def uncertain(campaign: Campaign | None = None) -> list[OutgoingMessage]:
    """Messages whose attempt was interrupted: they may have gone, so they wait for a person."""
    found = OutgoingMessage.objects.filter(status=OutgoingMessage.Status.SENDING)
    if campaign is not None:
        found = found.filter(request__campaign=campaign)
    return list(found.select_related("request"))


def release_uncertain(messages: Iterable[OutgoingMessage]) -> None:
    """A person checked (e.g. in the relay's log) that these did not go: make them sendable."""
    for message in messages:
        message.status = OutgoingMessage.Status.PENDING
        message.save(update_fields=["status"])

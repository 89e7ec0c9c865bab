"""The outbox: store each message before trying to send it, record the result after.

Idempotent by construction: a request gets one request message, ever; a message is marked
``sending`` (committed) before the SMTP transaction and ``sent`` after, so a crash between the two
leaves it ``sending``. A connection lost after the content went leaves it ``uncertain``. Both are
listed by ``uncertain()`` and wait for a person to settle each one (``settle_went`` with the day
it went, or ``settle_send_again``); no sender ever retries them by itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from email.policy import SMTP

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from sightline.campaigns.models import Campaign, Request
from sightline.campaigns.service import CampaignError, record_event
from sightline.campaigns.validity import reply_domain_problem, requester_problem
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
    OutgoingMessage.Kind.WITHDRAWAL: EventKind.WITHDRAWN,
}


class MissingContactsError(CampaignError):
    pass


class NotReadyError(CampaignError):
    pass


def reply_domain(campaign: Campaign) -> str:
    from sightline.config import settings

    return campaign.reply_domain or settings().reply_domain or DEFAULT_REPLY_DOMAIN


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


def check_letters_valid(campaign: Campaign) -> None:
    """Refuse, in one line, a campaign whose letters would not be valid requests: no real
    requester name (FOIA s.8(1)(b), FOISA s.8(1)(b)) or replies directed to a domain that cannot
    receive mail (sightline.campaigns.validity)."""
    problem = requester_problem(campaign.requester_name)
    fix = f"`sightline campaign edit {campaign.slug} --requester NAME`"
    if problem is None:
        problem = reply_domain_problem(reply_domain(campaign), campaign.is_test)
        fix = f"`sightline campaign edit {campaign.slug} --reply-domain DOMAIN`"
    if problem is not None:
        raise NotReadyError(f"campaign {campaign.slug} {problem}; nothing sent (set it with {fix})")


def drafts_to_queue(campaign: Campaign) -> list[Request]:
    return list(
        campaign.requests.filter(state=State.DRAFT)
        .exclude(outgoing__kind=OutgoingMessage.Kind.REQUEST)
        .select_related("authority", "campaign")
        .prefetch_related("authority__contacts")
    )


def check_ready(campaign: Campaign, drafts: list[Request] | None = None) -> None:
    """Everything `queue_campaign` needs, checked without storing anything: valid letters and
    an FOI address for every authority (only when there are drafts to queue)."""
    drafts = drafts_to_queue(campaign) if drafts is None else drafts
    if not drafts:
        return
    check_letters_valid(campaign)
    missing = missing_contacts(drafts)
    if missing:
        shown = "; ".join(f"{r.authority.name} ({r.authority.gss_code})" for r in missing[:5])
        more = f"; and {len(missing) - 5} more" if len(missing) > 5 else ""
        names = shown + more
        raise MissingContactsError(
            f"{len(missing)} authorit{'y has' if len(missing) == 1 else 'ies have'} no FOI "
            f"contact address, nothing sent (import them with `sightline contacts import`): {names}"
        )


def queue_campaign(campaign: Campaign) -> list[OutgoingMessage]:
    """Store one request message for every draft request; refuse (storing nothing) when a
    letter would not be valid or any authority lacks an FOI address."""
    drafts = drafts_to_queue(campaign)
    check_ready(campaign, drafts)
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


class SettleError(CampaignError):
    pass


@dataclass
class SendReport:
    sent: list[str] = field(default_factory=list)  # references
    deferred: list[tuple[str, str]] = field(default_factory=list)  # reference, server answer
    failed: list[tuple[str, str]] = field(default_factory=list)
    # Messages that may have gone: (outbox number, reference, what happened), this run's and
    # those left from earlier runs; each waits for `sightline campaign settle`.
    uncertain: list[tuple[int, str, str]] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {
            "sent": self.sent,
            "deferred": [{"reference": r, "answer": a} for r, a in self.deferred],
            "failed": [{"reference": r, "answer": a} for r, a in self.failed],
            "uncertain": [
                {"message": n, "reference": r, "answer": a} for n, r, a in self.uncertain
            ],
        }

    @property
    def complete(self) -> bool:
        """Everything tried went (nothing deferred, failed or uncertain)."""
        return not (self.deferred or self.failed or self.uncertain)


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


def _record_uncertain(message: OutgoingMessage, outcome: Outcome) -> None:
    with transaction.atomic():
        message.status = OutgoingMessage.Status.UNCERTAIN
        message.smtp_code, message.smtp_answer = None, outcome.answer
        message.next_attempt_at = None
        message.save(update_fields=["status", "smtp_code", "smtp_answer", "next_attempt_at"])
        record_event(
            message.request,
            EventKind.NOTE,
            actor="rule:outbox",
            note=f"{message.kind} may have gone: {outcome.answer}; waiting for a person to settle it",
            data={"message_id": message.message_id, "kind": message.kind, "uncertain": True},
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
        ).update(
            status=OutgoingMessage.Status.SENDING,
            attempts=F("attempts") + 1,
            attempted_at=timezone.now(),
        )
        if not claimed:
            return Outcome("skipped", None, "taken by another sender")
        message.refresh_from_db(fields=["status", "attempts", "attempted_at"])
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
        if outcome.status == "uncertain":
            _record_uncertain(message, outcome)  # never tried again without a person
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
            elif outcome.status == "uncertain":
                report.uncertain.append((message.pk, reference, outcome.answer))
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
        waiting = waiting.filter(Q(next_attempt_at=None) | Q(next_attempt_at__lte=timezone.now()))
    return list(waiting.select_related("request", "request__campaign").order_by("id"))


UNSETTLED = (OutgoingMessage.Status.SENDING, OutgoingMessage.Status.UNCERTAIN)


def uncertain(campaign: Campaign | None = None) -> list[OutgoingMessage]:
    """Messages that may or may not have gone: an attempt interrupted (``sending``; while a
    sender is at work, its current message is one of these too) or a connection lost after the
    content went (``uncertain``). Each waits for a person to settle it."""
    found = OutgoingMessage.objects.filter(status__in=UNSETTLED)
    if campaign is not None:
        found = found.filter(request__campaign=campaign)
    return list(found.select_related("request", "request__campaign").order_by("id"))


def find_unsettled(key: str) -> OutgoingMessage:
    """An unsettled message by its outbox number, or by its request's reference when that
    request has exactly one."""
    found = OutgoingMessage.objects.filter(status__in=UNSETTLED).select_related(
        "request", "request__campaign"
    )
    if key.isdigit():
        matches = list(found.filter(pk=int(key)))
    else:
        matches = list(found.filter(request__reference=key.strip().upper()))
    if not matches:
        raise SettleError(
            f"no message {key!r} waits to be settled (see `sightline campaign uncertain`)"
        )
    if len(matches) > 1:
        numbers = ", ".join(str(m.pk) for m in matches)
        raise SettleError(
            f"{key} has {len(matches)} unsettled messages ({numbers}): give one number"
        )
    return matches[0]


def settle_went(message: OutgoingMessage, on: date, actor: str = "person") -> None:
    """A person saw (the relay's log, the authority's acknowledgement) that ``message`` went on
    day ``on``: record it as sent that day, which starts the statutory clock."""
    if message.status not in UNSETTLED:
        raise SettleError(f"message {message.pk} is {message.status}, not waiting to be settled")
    today = timezone.localdate()
    attempted = timezone.localdate(message.attempted_at or message.created_at)
    if on > today:
        raise SettleError(f"{on.isoformat()} is in the future: give the day the message went")
    if on < attempted:
        raise SettleError(
            f"{on.isoformat()} is before the message was first tried ({attempted.isoformat()})"
        )
    if on == attempted and message.attempted_at is not None:
        at = message.attempted_at
    else:
        at = timezone.make_aware(datetime.combine(on, clock_time(12, 0)))
    with transaction.atomic():
        claimed = OutgoingMessage.objects.filter(pk=message.pk, status__in=UNSETTLED).update(
            status=OutgoingMessage.Status.SENT, sent_at=at, next_attempt_at=None
        )
        if not claimed:
            raise SettleError(f"message {message.pk} was settled by someone else meanwhile")
        message.refresh_from_db()
        data = {
            "message_id": message.message_id,
            "kind": message.kind,
            "to": message.to,
            "settled_by": actor,
        }
        try:
            record_event(message.request, SENT_EVENTS[message.kind], data=data, at=at, actor=actor)
        except TransitionError as error:
            record_event(message.request, EventKind.NOTE, note=str(error), data=data, actor=actor)


def settle_send_again(message: OutgoingMessage, actor: str = "person") -> None:
    """A person checked that ``message`` did not go: make it sendable again (the next `send`
    or worker round tries it, as it tries any pending message)."""
    if message.status not in UNSETTLED:
        raise SettleError(f"message {message.pk} is {message.status}, not waiting to be settled")
    with transaction.atomic():
        claimed = OutgoingMessage.objects.filter(pk=message.pk, status__in=UNSETTLED).update(
            status=OutgoingMessage.Status.PENDING, next_attempt_at=None
        )
        if not claimed:
            raise SettleError(f"message {message.pk} was settled by someone else meanwhile")
        record_event(
            message.request,
            EventKind.NOTE,
            actor=actor,
            note=f"{message.kind} did not go; to be sent again",
            data={"message_id": message.message_id, "kind": message.kind, "send_again": True},
        )

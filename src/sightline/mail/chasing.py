"""Follow-ups after sending: reminders when overdue, reviews, complaints, re-filing a failed
request, and marking requests that pass their deadline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Max
from django.utils import timezone

from sightline.campaigns.models import Campaign, Request
from sightline.campaigns.service import (
    CampaignError,
    check_follow_up,
    review_deadline,
    review_requested_on,
)
from sightline.law import DeadlineStatus, Law, deadline_status, due_date, rules_for
from sightline.lifecycle import FollowUp, State
from sightline.mail.followups import FollowUpFields, LetterKind, follow_up, withdrawal
from sightline.mail.models import OutgoingMessage
from sightline.mail.outbox import check_letters_valid, store_message

KIND_OF_LETTER = {
    LetterKind.REMINDER: OutgoingMessage.Kind.REMINDER,
    LetterKind.INTERNAL_REVIEW: OutgoingMessage.Kind.INTERNAL_REVIEW,
    LetterKind.COMPLAINT: OutgoingMessage.Kind.COMPLAINT,
}
# Reminders go while the authority still owes the first answer.
REMIND_STATES = frozenset({State.SENT.value, State.ACKNOWLEDGED.value})


def letter_fields(request: Request, kind: LetterKind | None = None) -> FollowUpFields:
    """The facts a follow-up letter states; every date is worked out by sightline.law."""
    rules = rules_for(request.law)
    asked = review_requested_on(request)
    if asked is None and kind is LetterKind.INTERNAL_REVIEW:
        asked_today = timezone.localdate()  # the review's clock starts when this letter goes
        review_due = due_date(Law(request.law), asked_today, rules.review_days).due
    else:
        found = review_deadline(request)
        review_due = found.due if found else None
    return FollowUpFields(
        authority_name=request.authority.name,
        reference=request.reference,
        law=Law(request.law),
        title=request.campaign.title,
        requester_name=request.campaign.requester_name,
        sent_on=timezone.localdate(request.sent_at) if request.sent_at else None,
        due=request.due,
        state=request.state,
        limit_days=rules.extended_days if request.extended else rules.response_days,
        review_requested_on=asked,
        review_due=review_due,
    )


def letter(request: Request, kind: LetterKind) -> tuple[str, str]:
    return follow_up(kind, letter_fields(request, kind))


def original_message_id(request: Request) -> str:
    sent = request.outgoing.filter(kind=OutgoingMessage.Kind.REQUEST).first()
    return sent.message_id if sent else ""


def queue_follow_up(request: Request, kind: LetterKind, to: str = "") -> OutgoingMessage:
    """Store a follow-up letter in the outbox (sent by `campaign send`, `chase --send`, worker),
    only when the request's facts allow it (sightline.lifecycle.follow_up_problem)."""
    if request.sent_at is None:
        raise CampaignError(f"{request.reference} has not been sent; there is nothing to follow up")
    check_follow_up(request, FollowUp(kind.value))
    if kind is LetterKind.COMPLAINT and not to:
        raise CampaignError(
            "a complaint goes to the regulator, not the authority: give its address with --to"
        )
    check_letters_valid(request.campaign)
    address = to or request.authority.foi_email
    if not address:
        raise CampaignError(f"{request.authority.name} has no FOI contact address")
    subject, body = letter(request, kind)
    return store_message(
        request, KIND_OF_LETTER[kind], subject, body, address, original_message_id(request)
    )


def withdrawal_letter(request: Request) -> tuple[str, str]:
    return withdrawal(letter_fields(request))


def queue_withdrawal(request: Request) -> OutgoingMessage:
    """Store the letter withdrawing a request the authority has received; it is recorded as
    ``withdrawn`` once it has gone."""
    if request.sent_at is None:
        raise CampaignError(f"{request.reference} has not been sent; withdraw the draft instead")
    if request.state == State.WITHDRAWN.value:
        raise CampaignError(f"{request.reference} was already withdrawn")
    check_letters_valid(request.campaign)
    address = request.authority.foi_email
    if not address:
        raise CampaignError(f"{request.authority.name} has no FOI contact address")
    subject, body = withdrawal_letter(request)
    return store_message(
        request,
        OutgoingMessage.Kind.WITHDRAWAL,
        subject,
        body,
        address,
        original_message_id(request),
    )


@dataclass(frozen=True)
class ReminderDue:
    request: Request
    deadline: str
    last_reminder: date | None


def reminders_due(campaign: Campaign, today: date, every_days: int = 7) -> list[ReminderDue]:
    """Overdue requests with no reminder in the last ``every_days`` days (none queued either)."""
    requests = list(
        campaign.requests.filter(state__in=REMIND_STATES)
        .exclude(received_on=None)
        .select_related("authority", "campaign")
        .order_by("reference")
    )
    last = dict(
        OutgoingMessage.objects.filter(request__in=requests, kind=OutgoingMessage.Kind.REMINDER)
        .exclude(status=OutgoingMessage.Status.FAILED)
        .values("request_id")
        .annotate(last=Max("created_at"))
        .values_list("request_id", "last")
    )
    due = []
    for request in requests:
        assert request.received_on is not None
        status = deadline_status(request.law, request.received_on, today, extended=request.extended)
        if status not in (DeadlineStatus.OVERDUE, DeadlineStatus.LONG_OVERDUE):
            continue
        previous = last.get(request.pk)
        previous_day = timezone.localdate(previous) if previous else None
        if previous_day and previous_day > today - timedelta(days=every_days):
            continue
        due.append(ReminderDue(request, status.value, previous_day))
    return due

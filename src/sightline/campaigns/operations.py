"""Campaign operations after sending: re-filing a request that could not be delivered, and
noting requests and reviews that pass their deadline. Every change of a request's timeline goes
through ``record_event``."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from sightline.authorities.models import Contact
from sightline.campaigns.models import Request, RequestEvent
from sightline.campaigns.service import CampaignError, next_reference, record_event
from sightline.law import DeadlineStatus, deadline_status, review_status
from sightline.lifecycle import AWAITING_STATES, EventKind, State


@transaction.atomic
def refile(request: Request, email: str = "", actor: str = "system") -> Request:
    """A new draft request to the same authority, linked to the failed one it replaces."""
    if request.state != State.DELIVERY_FAILED.value:
        raise CampaignError(
            f"{request.reference} is {request.state}, not delivery_failed: "
            "only a request that could not be delivered is re-filed"
        )
    if request.replaced_by.exists():
        newer = request.replaced_by.first()
        raise CampaignError(f"{request.reference} was already re-filed as {newer}")
    if email:
        from django.core.exceptions import ValidationError
        from django.core.validators import validate_email

        try:
            validate_email(email)
        except ValidationError:
            raise CampaignError(f"{email!r} is not a valid e-mail address") from None
        Contact.objects.update_or_create(
            authority=request.authority,
            kind=Contact.Kind.FOI,
            defaults={
                "email": email,
                "source": f"refile {request.reference}",
                "checked_on": timezone.localdate(),
            },
        )
    campaign = request.campaign
    new = Request.objects.create(
        campaign=campaign,
        authority=request.authority,
        reference=next_reference(campaign),
        law=request.law,
        replaces=request,
    )
    RequestEvent.objects.create(
        request=new, kind=EventKind.CREATED, actor=actor, data={"replaces": request.reference}
    )
    record_event(request, EventKind.REFILED, actor=actor, data={"new_reference": new.reference})
    return new


def mark_overdue(today: date) -> list[tuple[str, str]]:
    """Note, once, each request that has passed its 20th (or 40th) working day, and each
    internal review past its own limit (notes ``review_overdue``/``review_long_overdue``)."""
    noted = set(
        RequestEvent.objects.filter(kind=EventKind.NOTE, actor="rule:deadline").values_list(
            "request_id", "note"
        )
    )
    marked = []
    awaiting = Request.objects.filter(
        state__in=[s.value for s in AWAITING_STATES] + [State.INTERNAL_REVIEW.value]
    ).exclude(received_on=None)
    for request in awaiting:
        assert request.received_on is not None
        if request.state == State.INTERNAL_REVIEW.value:
            if request.review_requested_on is None:
                continue
            # The review's own clock (FOISA s.21(1), EIR reg.11(4), the FOIA s.45 Code).
            status = review_status(request.law, request.review_requested_on, today)
        else:
            status = deadline_status(
                request.law, request.received_on, today, extended=request.extended
            )
        if status not in (DeadlineStatus.OVERDUE, DeadlineStatus.LONG_OVERDUE):
            continue
        label = status.value
        if request.state == State.INTERNAL_REVIEW.value:
            label = f"review_{label}"
        if (request.pk, label) in noted:
            continue
        record_event(
            request,
            EventKind.NOTE,
            actor="rule:deadline",
            note=label,
            data={
                "deadline": status.value,
                "due": request.due.isoformat() if request.due else None,
            },
        )
        marked.append((request.reference, label))
    return marked

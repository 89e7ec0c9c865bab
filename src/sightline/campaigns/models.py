"""Campaigns, their requests, and the append-only event log of each request."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone

from sightline.authorities.models import Authority
from sightline.law import Law
from sightline.lifecycle import EventKind, State

LAW_CHOICES = [(law.value, law.name) for law in Law]


class Campaign(models.Model):
    """The same request sent to a set of authorities."""

    slug = models.SlugField(max_length=64, unique=True)
    title = models.CharField(max_length=255)
    template = models.TextField()  # the request letter, with {placeholders}
    template_source = models.CharField(max_length=255, blank=True)  # the file it was read from
    # The law to request under: "" means each authority's own (FOIA, or FOISA in Scotland);
    # "eir" means EIR, and EISR for Scottish bodies.
    law = models.CharField(max_length=8, blank=True, choices=LAW_CHOICES)
    authority_set = models.CharField(max_length=64)
    reference_prefix = models.CharField(max_length=16, unique=True)
    requester_name = models.CharField(max_length=255, blank=True)
    reply_domain = models.CharField(max_length=255, blank=True)
    secret = models.CharField(max_length=64)  # keys the HMAC in reply addresses
    # A test campaign (the demo's) may direct replies to reserved names such as .example.
    is_test = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    # The day the findings were first published; replies dated later become "Updated on" entries.
    first_published_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.slug


class Request(models.Model):
    """One authority's copy of a campaign's request."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="requests")
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="requests")
    reference = models.CharField(max_length=32, unique=True)
    law = models.CharField(max_length=8, choices=LAW_CHOICES)
    # Derived from the event log by sightline.lifecycle.derive_state; cached for listing.
    state = models.CharField(
        max_length=32, choices=[(s.value, s.value) for s in State], default=State.DRAFT.value
    )
    state_is_guess = models.BooleanField(default=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    received_on = models.DateField(null=True, blank=True)  # the day the authority received it
    due = models.DateField(null=True, blank=True)
    extended = models.BooleanField(default=False)  # 40 working days instead of 20
    # A request for clarification stopped the clock on this day (cleared when it restarts).
    clock_stopped_on = models.DateField(null=True, blank=True)
    # The latest internal review: when it was asked for and when it is due (sightline.law).
    review_requested_on = models.DateField(null=True, blank=True)
    review_due = models.DateField(null=True, blank=True)
    due_basis: models.JSONField[Any, Any] = models.JSONField(default=dict, blank=True)
    calendar_version = models.CharField(max_length=64, blank=True)
    last_message_at = models.DateTimeField(null=True, blank=True)
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaced_by"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["reference"]
        indexes = [models.Index(fields=["campaign", "state"])]

    def __str__(self) -> str:
        return self.reference


class AppendOnlyError(RuntimeError):
    pass


class RequestEvent(models.Model):
    """Something that happened to a request. Rows are never changed or deleted."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=32, choices=[(k.value, k.value) for k in EventKind])
    state = models.CharField(max_length=32, blank=True)  # target of a state_set event
    guess = models.BooleanField(default=False)  # set by a rule, for a person to confirm
    at = models.DateTimeField(default=timezone.now)
    actor = models.CharField(max_length=150, default="system")  # a user name, "system", "rule:..."
    note = models.TextField(blank=True)
    data: models.JSONField[Any, Any] = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.request.reference} {self.kind} {self.state}".strip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("request events are append-only; add a new event instead")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("request events are append-only and cannot be deleted")

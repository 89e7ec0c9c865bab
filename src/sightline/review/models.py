"""Stored facts with their evidence, and the append-only log of review decisions."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone

from sightline.campaigns.models import Request


class StoredFact(models.Model):
    """One fact a rule found in one received message (and its attachments).

    ``value`` is what the rule said; ``final_value`` is what stands after review. Both stay, so a
    correction never hides what the machine proposed.
    """

    class Status(models.TextChoices):
        PENDING = "pending"
        CONFIRMED = "confirmed"
        CORRECTED = "corrected"
        REJECTED = "rejected"

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="facts")
    message = models.ForeignKey(
        "mail.IncomingMessage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="facts",
    )
    document = models.CharField(max_length=500)  # what was read: the message's subject or file
    field = models.CharField(
        max_length=64
    )  # docs/formats.md (facts of one document) names: owned, count...
    vendor = models.CharField(max_length=64, blank=True)
    value: models.JSONField[Any, Any] = models.JSONField(null=True)
    final_value: models.JSONField[Any, Any] = models.JSONField(null=True)
    rule = models.CharField(max_length=128, blank=True)
    confidence = models.FloatField(default=1.0)
    extractor_version = models.CharField(max_length=32, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["status"]), models.Index(fields=["request", "field"])]

    def __str__(self) -> str:
        what = f"{self.field}[{self.vendor}]" if self.vendor else self.field
        return f"{self.request.reference} {what}={self.final_value!r} ({self.status})"


class FactEvidence(models.Model):
    fact = models.ForeignKey(StoredFact, on_delete=models.CASCADE, related_name="evidence")
    quote = models.TextField()
    location = models.CharField(max_length=500)

    class Meta:
        ordering = ["id"]


class ReviewDecision(models.Model):
    """A person's decision on a fact. Never edited: a change of mind is a new decision."""

    class Decision(models.TextChoices):
        CONFIRM = "confirm"
        CORRECT = "correct"
        REJECT = "reject"

    fact = models.ForeignKey(StoredFact, on_delete=models.CASCADE, related_name="decisions")
    decision = models.CharField(max_length=16, choices=Decision.choices)
    value: models.JSONField[Any, Any] = models.JSONField(null=True)  # the corrected value
    reviewer = models.CharField(max_length=150)
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("review decisions are append-only; record a new decision instead")
        super().save(*args, **kwargs)


class Redaction(models.Model):
    """A piece of a campaign's correspondence to remove before publishing (a name, an address,
    a direct number), proposed by the finder or added by a person, and what a person decided.

    The text is removed wherever it appears in the published bundle, not only where it was found.
    Written only by ``sightline.review.redactions``.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed"  # found by a rule, waiting for a person
        ACCEPTED = "accepted"  # removed from everything published
        REMOVED = "removed"  # a person said it is not personal data: published as written

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="redactions"
    )
    request = models.ForeignKey(
        Request, null=True, blank=True, on_delete=models.SET_NULL, related_name="redactions"
    )  # where it was first found
    text = models.TextField()
    key = models.CharField(max_length=500)  # the text folded: one decision per piece of text
    kind = models.CharField(max_length=16)  # sightline.redaction.KINDS
    reason = models.CharField(max_length=255, blank=True)
    location = models.CharField(max_length=500, blank=True)
    context = models.TextField(blank=True)  # the line it was found in, for the reviewer
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PROPOSED)
    origin = models.CharField(max_length=16, default="rule")  # rule or person
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.CharField(max_length=150, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "key"], name="one_redaction_per_text")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.kind} {self.status}"

"""What the mail app stores: every message sent, every message received, and how they link."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone

from sightline.campaigns.models import Request


class OutgoingMessage(models.Model):
    """One message to send, stored in full before any attempt (the intent) and after (the result).

    A message found ``sending`` when no sender is at work was interrupted mid-attempt, and one
    left ``uncertain`` lost its connection after its content was handed to the server: either may
    or may not have gone, so it is never resent without a person saying so (``settle``).
    """

    class Kind(models.TextChoices):
        REQUEST = "request"
        REMINDER = "reminder"
        INTERNAL_REVIEW = "internal-review"
        COMPLAINT = "complaint"
        WITHDRAWAL = "withdrawal"

    class Status(models.TextChoices):
        PENDING = "pending"  # intent stored, not yet tried
        SENDING = "sending"  # an attempt started and has not recorded its result
        UNCERTAIN = "uncertain"  # the content went, the server's answer never came
        DEFERRED = "deferred"  # a temporary failure; try again at next_attempt_at
        SENT = "sent"
        FAILED = "failed"  # permanent failure

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="outgoing")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.REQUEST)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    message_id = models.CharField(max_length=255, unique=True)
    envelope_from = models.CharField(max_length=255)
    to = models.CharField(max_length=255)
    subject = models.CharField(max_length=500)
    raw = models.BinaryField()  # exactly the bytes handed to the SMTP server
    attempts = models.PositiveIntegerField(default=0)
    attempted_at = models.DateTimeField(null=True, blank=True)  # the start of the latest attempt
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    smtp_code = models.IntegerField(null=True, blank=True)
    smtp_answer = models.TextField(blank=True)  # the server's last answer
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.request.reference} ({self.status})"


class IncomingMessage(models.Model):
    """One received message; the raw bytes live in the content-addressed store by ``sha256``."""

    class Kind(models.TextChoices):
        REPLY = "reply"
        AUTO_REPLY = "auto_reply"
        OUT_OF_OFFICE = "out_of_office"
        BOUNCE = "bounce"
        DELAY = "delay"  # a delivery delay notice: neither a bounce nor an answer
        MALFORMED = "malformed"
        OWN = "own"  # a copy of a message we sent (a Bcc, or a mailbox that keeps sent mail)

    sha256 = models.CharField(max_length=64, unique=True)
    message_id = models.CharField(max_length=255, blank=True, db_index=True)
    copy_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.REPLY)
    source = models.CharField(max_length=500)  # the file, maildir or IMAP mailbox it came from
    size = models.PositiveIntegerField()
    from_address = models.CharField(max_length=255, blank=True)
    subject = models.CharField(max_length=500, blank=True)
    date = models.DateTimeField(null=True, blank=True)  # the Date header
    received_at = models.DateTimeField(default=timezone.now)  # when Sightline took it in
    problem = models.TextField(blank=True)  # why a malformed message could not be read
    suggestions: models.JSONField[Any, Any] = models.JSONField(default=list, blank=True)
    requests = models.ManyToManyField(Request, through="MessageLink", related_name="messages")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.sha256[:12]} {self.subject}"


class MessageLink(models.Model):
    """A received message belongs to a request: found by a matching layer or set by a person."""

    message = models.ForeignKey(IncomingMessage, on_delete=models.CASCADE, related_name="links")
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="message_links")
    method = models.CharField(max_length=16)  # address, subject, thread, manual
    actor = models.CharField(max_length=150, default="system")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "request"], name="one_link_per_request")
        ]


class MailboxState(models.Model):
    """Where fetching from one IMAP mailbox got to (RFC 3501 UIDs are only valid per UIDVALIDITY)."""

    key = models.CharField(max_length=500, unique=True)  # user@host:port/mailbox
    uidvalidity = models.BigIntegerField(default=0)
    last_uid = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.key} up to UID {self.last_uid}"

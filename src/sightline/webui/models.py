"""The audit trail of the web interface: who did what, when, to which thing."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEntry(models.Model):
    """One action by one person. Rows are never changed or deleted (like the request log).

    The model also carries the permissions the roles are built from (sightline.webui.roles).
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    username = models.CharField(max_length=150)  # kept when the account is deleted
    action = models.CharField(max_length=64)  # e.g. login, set_state, decide, assign_mail
    target = models.CharField(max_length=255, blank=True)  # a reference, fact or message number
    detail: models.JSONField[Any, Any] = models.JSONField(default=dict, blank=True)
    address = models.CharField(max_length=64, blank=True)  # the client's IP address

    class Meta:
        ordering = ["-id"]
        default_permissions = ()
        permissions = [
            ("view_campaigns", "See campaigns, requests, mail, facts and findings"),
            ("act_on_requests", "Send, chase, set states, request reviews, complain, re-file"),
            ("assign_mail", "Assign unmatched mail to a request"),
            ("review_facts", "Confirm, correct or reject extracted facts"),
            ("build_findings", "Build the published findings bundle"),
            ("view_audit", "Read the audit trail"),
            ("manage_users", "Invite users, set roles, deactivate accounts, reset passwords"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.target}".strip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuntimeError("audit entries are append-only and cannot be deleted")


class AccountLink(models.Model):
    """A link an owner hands to someone: an invitation to set a password for a new account with
    a given role, or a reset of an existing account's password. Only the SHA-256 of the link's
    token is kept; the token itself is shown once, to the owner who made it."""

    class Purpose(models.TextChoices):
        INVITE = "invite"
        RESET = "reset"

    purpose = models.CharField(max_length=8, choices=Purpose.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    username = models.CharField(max_length=150)  # the account the link makes or resets
    role = models.CharField(max_length=16, blank=True)  # an invitation's role
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="account_links",
    )  # a reset's account, or the account an invitation made
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.purpose} {self.username}"


class ApiToken(models.Model):
    """A user's token for the read-only JSON API. It acts as its user (their role, and nothing
    once the account is deactivated). Only the SHA-256 is kept; ``prefix`` (the first characters)
    tells a user's tokens apart on the page."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)  # what the user calls it, e.g. "newsroom dashboard"
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

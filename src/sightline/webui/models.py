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
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.target}".strip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuntimeError("audit entries are append-only and cannot be deleted")

"""Writing the audit trail: one entry per action a person takes in the web interface."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from sightline.webui.models import AuditEntry


def client_address(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


def record(request: HttpRequest, action: str, target: str = "", **detail: Any) -> AuditEntry:
    user = request.user if request.user.is_authenticated else None
    return AuditEntry.objects.create(
        user=user,
        username=user.get_username() if user else "",
        action=action,
        target=str(target)[:255],
        detail=detail,
        address=client_address(request),
    )


@receiver(user_logged_in)
def _logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    AuditEntry.objects.create(
        user=user, username=user.get_username(), action="login", address=client_address(request)
    )


@receiver(user_logged_out)
def _logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    AuditEntry.objects.create(
        user=user, username=user.get_username(), action="logout", address=client_address(request)
    )


@receiver(user_login_failed)
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    AuditEntry.objects.create(
        username=str(credentials.get("username", ""))[:150],
        action="login_failed",
        address=client_address(request),
    )

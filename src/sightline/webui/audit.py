"""Writing the audit trail: one entry per action a person takes in the web interface."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from sightline.webui.models import AuditEntry


def now() -> datetime:
    """The audit trail's clock, which the login throttle also reads (tests move it forward)."""
    return timezone.now()


def client_address(request: HttpRequest | None) -> str:
    """The client's IP address: REMOTE_ADDR, or behind ``SIGHTLINE_PROXY_HOPS`` trusted proxies
    the address the outermost of them saw (counted from the right of X-Forwarded-For, since
    anything further left is whatever the client chose to send)."""
    if request is None:
        return ""
    hops = int(getattr(settings, "SIGHTLINE_PROXY_HOPS", 0) or 0)
    if hops > 0:
        forwarded = [
            part.strip()
            for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
            if part.strip()
        ]
        if len(forwarded) >= hops:
            return forwarded[-hops][:64]
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


def record(request: HttpRequest, action: str, target: str = "", **detail: Any) -> AuditEntry:
    user = request.user if request.user.is_authenticated else None
    return record_as(request, user, action, target, **detail)


def record_as(
    request: HttpRequest, user: Any, action: str, target: str = "", **detail: Any
) -> AuditEntry:
    """As :func:`record`, for a person not (yet) logged in, such as one accepting an invitation."""
    return AuditEntry.objects.create(
        at=now(),
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
        at=now(),
        user=user,
        username=user.get_username(),
        action="login",
        address=client_address(request),
    )


@receiver(user_logged_out)
def _logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    AuditEntry.objects.create(
        at=now(),
        user=user,
        username=user.get_username(),
        action="logout",
        address=client_address(request),
    )


@receiver(user_login_failed)
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    AuditEntry.objects.create(
        at=now(),
        username=str(credentials.get("username", ""))[:150],
        action="login_failed",
        address=client_address(request),
    )

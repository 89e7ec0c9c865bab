"""Signing in and out, the audit trail, and the interface's own static files."""

from __future__ import annotations

from importlib.resources import files
from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from sightline.webui import audit, throttle
from sightline.webui.models import AuditEntry
from sightline.webui.roles import AUDIT
from sightline.webui.views.common import needs, page_of

ASSETS = {"app.css": "text/css; charset=utf-8", "app.js": "text/javascript; charset=utf-8"}


class ThrottledLoginForm(AuthenticationForm):
    """Refuses to check a password while the client's address is locked or the user name is in
    its delay (sightline.webui.throttle), so a password cannot be guessed at the speed of the
    server and a stranger cannot lock a user out."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Your user name and password did not match. Please try again.",
    }

    def clean(self) -> dict[str, Any]:
        username = str(self.cleaned_data.get("username") or "")
        address = audit.client_address(self.request)
        refusal = throttle.check(username, address)
        if refusal is not None:
            AuditEntry.objects.create(
                at=audit.now(),
                username=username[:150],
                action="login_throttled",
                detail={"by": refusal.by, "wait": refusal.wait},
                address=address,
            )
            raise ValidationError(refusal.message, code="throttled")
        return super().clean()


class LoginView(auth_views.LoginView):
    template_name = "webui/login.html"
    redirect_authenticated_user = True
    authentication_form = ThrottledLoginForm


@require_GET
@needs(AUDIT)
def audit_trail(request: HttpRequest) -> HttpResponse:
    entries = AuditEntry.objects.select_related(None).order_by("-id")
    return render(request, "webui/audit.html", {"page": page_of(request, entries)})


@login_not_required
@require_GET
@cache_control(max_age=3600, public=True)
def asset(request: HttpRequest, name: str) -> HttpResponse:
    if name not in ASSETS:
        raise Http404("no such file")
    content = files("sightline.webui").joinpath("static", "webui", name).read_bytes()
    return HttpResponse(content, content_type=ASSETS[name])

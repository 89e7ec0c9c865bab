"""Signing in and out, the audit trail, and the interface's own static files."""

from __future__ import annotations

from importlib.resources import files

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from sightline.webui.models import AuditEntry
from sightline.webui.roles import AUDIT
from sightline.webui.views.common import needs, page_of

ASSETS = {"app.css": "text/css; charset=utf-8", "app.js": "text/javascript; charset=utf-8"}


class LoginView(auth_views.LoginView):
    template_name = "webui/login.html"
    redirect_authenticated_user = True


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

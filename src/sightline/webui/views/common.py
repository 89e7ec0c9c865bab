"""Helpers every view uses: permission checks, look-ups that 404, pagination."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest

from sightline.campaigns.models import Campaign, Request
from sightline.webui.roles import perm

PAGE_SIZE = 100


def needs(codename: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Only users whose role has permission ``codename``; others get 403 Forbidden."""
    return permission_required(perm(codename), raise_exception=True)


def get_campaign(slug: str) -> Campaign:
    campaign = Campaign.objects.filter(slug=slug).first()
    if campaign is None:
        raise Http404(f"no campaign {slug!r}")
    return campaign


def get_request(reference: str) -> Request:
    found = (
        Request.objects.select_related("campaign", "authority", "replaces")
        .filter(reference=reference.upper())
        .first()
    )
    if found is None:
        raise Http404(f"no request {reference!r}")
    return found


def page_of(request: HttpRequest, items: Any, size: int = PAGE_SIZE) -> Page:
    return Paginator(items, size).get_page(request.GET.get("page"))


def actor(request: HttpRequest) -> str:
    """The name kept with each event and decision: the person's user name."""
    return request.user.get_username()

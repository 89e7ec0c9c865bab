"""Redactions: personal data to remove from the published correspondence, reviewed by a person."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from sightline.redaction import KINDS
from sightline.review import redactions as service
from sightline.review.models import Redaction
from sightline.review.publishing import request_records
from sightline.webui import audit
from sightline.webui.roles import REVIEW, VIEW
from sightline.webui.views.common import actor, get_campaign, needs, page_of

STATUSES = tuple(Redaction.Status.values)


@require_GET
@needs(VIEW)
def redactions_page(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_campaign(slug)
    status = request.GET.get("status", "proposed")
    status = status if status in STATUSES else "proposed"
    rows = service.redactions(campaign, status)
    counts = {name: service.redactions(campaign, name).count() for name in STATUSES}
    context: dict[str, Any] = {
        "campaign": campaign,
        "status": status,
        "statuses": STATUSES,
        "counts": counts,
        "count_list": list(counts.items()),
        "page": page_of(request, rows),
        "kinds": KINDS,
    }
    return render(request, "webui/redactions.html", context)


def _back(slug: str, status: str = "proposed") -> HttpResponse:
    return redirect(f"{reverse('webui:redactions', args=[slug])}?status={status}")


@require_POST
@needs(REVIEW)
def scan(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_campaign(slug)
    found = service.scan(campaign, request_records(campaign))
    audit.record(request, "redactions_scan", campaign.slug, found=found)
    messages.success(request, f"{found} new proposal{'' if found == 1 else 's'} found.")
    return _back(campaign.slug)


@require_POST
@needs(REVIEW)
def decide(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_campaign(slug)
    decision = request.POST.get("decision", "")
    status = request.POST.get("status", "proposed")
    try:
        if decision == "accept-all":
            count = service.accept(campaign, None, actor(request))
            audit.record(request, "redactions_accept_all", campaign.slug, count=count)
            messages.success(request, f"{count} redaction{'' if count == 1 else 's'} accepted.")
        elif decision in ("accept", "remove"):
            numbers = [int(n) for n in request.POST.getlist("number") if n.isdigit()]
            if not numbers:
                raise service.RedactionError("choose at least one redaction")
            for number in numbers:
                if decision == "accept":
                    service.accept(campaign, [number], actor(request))
                else:
                    service.remove(campaign, number, actor(request))
            audit.record(request, f"redaction_{decision}", campaign.slug, numbers=numbers)
            verb = "accepted" if decision == "accept" else "removed: published as written"
            messages.success(request, f"#{', #'.join(map(str, numbers))} {verb}.")
        else:
            raise service.RedactionError("unknown decision")
    except service.RedactionError as error:
        messages.error(request, str(error))
    return _back(campaign.slug, status if status in STATUSES else "proposed")


@require_POST
@needs(REVIEW)
def add(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_campaign(slug)
    text = request.POST.get("text", "")
    kind = request.POST.get("kind", "other")
    try:
        row = service.add(campaign, text, kind, actor(request))
    except service.RedactionError as error:
        messages.error(request, str(error))
        return _back(campaign.slug)
    audit.record(request, "redaction_add", campaign.slug, number=row.pk, kind=row.kind)
    messages.success(request, f"#{row.pk} added: it is removed wherever it appears.")
    return _back(campaign.slug, "accepted")

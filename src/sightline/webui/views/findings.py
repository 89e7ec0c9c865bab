"""The findings as they stand, the per-authority table, and building the published bundle."""

from __future__ import annotations

import re

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from sightline.findings import FindingsError, compute_findings, default_spec
from sightline.findings.bundle import BUNDLE_FILES
from sightline.review.redactions import refusal
from sightline.review.service import coded_responses
from sightline.webui.middleware import REPORT_POLICY
from sightline.webui.roles import BUILD, VIEW
from sightline.webui.views.common import get_campaign, needs

PUBLISHED_TYPES = {
    "index.html": "text/html; charset=utf-8",
    "chart.svg": "image/svg+xml",
    "findings.csv": "text/csv; charset=utf-8",
    "findings.json": "application/json",
    "evidence.csv": "text/csv; charset=utf-8",
    "sightline.db": "application/vnd.sqlite3",
    "metadata.json": "application/json",
}


def published_folder(slug: str):  # type: ignore[no-untyped-def]
    from sightline.tasks.work import published_folder as folder

    return folder(slug)


@require_GET
@needs(VIEW)
def findings_page(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_campaign(slug)
    responses = coded_responses(campaign)
    context = {"campaign": campaign, "responses": responses}
    try:
        context["findings"] = compute_findings(responses, default_spec())
    except FindingsError as error:
        context["problem"] = str(error)
    context["published"] = (published_folder(campaign.slug) / "index.html").is_file()
    return render(request, "webui/findings.html", context)


@require_POST
@needs(BUILD)
def build(request: HttpRequest, slug: str) -> HttpResponse:
    """Queue the building of the published bundle; `sightline worker` builds it (and refuses
    while redaction proposals wait, which is said here at once when already known)."""
    from sightline.webui.views.tasks import start

    campaign = get_campaign(slug)
    reason = refusal(campaign)
    if reason:
        messages.error(request, reason)
        return redirect("webui:redactions", slug=campaign.slug)
    return start(request, "build", campaign)


@require_POST
@needs(BUILD)
def export(request: HttpRequest, slug: str) -> HttpResponse:
    """Queue an export of each authority's coded answer as CSV (as `sightline code --csv`)."""
    from sightline.webui.views.tasks import start

    return start(request, "export", get_campaign(slug))


@require_POST
@needs(BUILD)
def mark_published(request: HttpRequest, slug: str) -> HttpResponse:
    """An explicit act: the findings went out today (replies dated later become updates).

    Queued as a task, since it first reads the whole correspondence for personal data not yet
    proposed for redaction (`sightline worker` does that and records the day); what is already
    known to stop it is said here at once."""
    from sightline.webui.views.tasks import start

    campaign = get_campaign(slug)
    if campaign.first_published_on is not None:
        messages.error(request, f"Already first published on {campaign.first_published_on}.")
        return redirect("webui:findings", slug=campaign.slug)
    reason = refusal(campaign)
    if reason:
        messages.error(request, reason)
        return redirect("webui:redactions", slug=campaign.slug)
    return start(request, "publish", campaign, {"on": timezone.localdate().isoformat()})


@require_GET
def published(request: HttpRequest, slug: str, name: str = "index.html") -> HttpResponse:
    """The published report and its files: public, no login (marked in urls.py)."""
    if name not in BUNDLE_FILES or name not in PUBLISHED_TYPES:
        raise Http404("no such file")
    path = published_folder(slug) / name
    if "/" in slug or not path.is_file():
        raise Http404("not published")
    response = FileResponse(path.open("rb"), content_type=PUBLISHED_TYPES[name])
    if name == "index.html":
        response.headers["Content-Security-Policy"] = REPORT_POLICY
    else:
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_GET
def published_request(request: HttpRequest, slug: str, page: str) -> HttpResponse:
    """A request's page of the published bundle (public like the report, no login)."""
    if not re.fullmatch(r"[A-Za-z0-9_-]+\.html", page) or "/" in slug:
        raise Http404("no such page")
    path = published_folder(slug) / "requests" / page
    if not path.is_file():
        raise Http404("not published")
    response = FileResponse(path.open("rb"), content_type="text/html; charset=utf-8")
    response.headers["Content-Security-Policy"] = REPORT_POLICY
    return response

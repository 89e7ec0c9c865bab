"""Starting a campaign from the browser: create it, give authorities their FOI addresses, and
fetch the replies (the same services as `campaign create`, `contacts import`, `mail fetch`)."""

from __future__ import annotations

from importlib.resources import files

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from sightline.webui import audit
from sightline.webui.roles import ACT
from sightline.webui.views.common import actor, get_campaign, needs


def default_template() -> str:
    """The built-in CCTV request letter (sightline/campaigns/letters/cctv_vendors.txt)."""
    return files("sightline.campaigns").joinpath("letters", "cctv_vendors.txt").read_text("utf-8")


@require_http_methods(["GET", "POST"])
@needs(ACT)
def new_campaign(request: HttpRequest) -> HttpResponse:
    """The campaign form; the letter's, requester's and reply domain's checks (the ones sending
    applies) show beside their fields, and nothing is created until all pass."""
    from sightline.authorities.registry import UnknownSetError
    from sightline.campaigns.service import CampaignError, create_campaign
    from sightline.webui.views.campaigns import NewCampaignForm

    if request.method == "POST":
        form = NewCampaignForm(request.POST)
        if form.is_valid():
            values = form.cleaned_data
            try:
                campaign = create_campaign(
                    values["slug"].strip(),
                    values["authority_set"],
                    values["template"],
                    values["title"],
                    law=values["law"],
                    requester_name=values["requester_name"],
                    reply_domain=values["reply_domain"].strip(),
                    template_source="web",
                    test=values["is_test"],
                )
            except (CampaignError, UnknownSetError) as error:
                form.add_error(None, error.message)
            else:
                count = campaign.requests.count()
                audit.record(request, "create_campaign", campaign.slug, requests=count)
                messages.success(request, f"Created {campaign.slug}: {count} draft requests.")
                return redirect("webui:contacts", slug=campaign.slug)
    else:
        form = NewCampaignForm(initial={"template": default_template()})
    return render(request, "webui/new_campaign.html", {"form": form})


@require_http_methods(["GET", "POST"])
@needs(ACT)
def contacts(request: HttpRequest, slug: str) -> HttpResponse:
    """Authorities of the campaign without an FOI address, and a box to paste gss_code,email
    rows into (as `sightline contacts import`)."""
    from sightline.authorities.records import FileFormatError, read_contacts
    from sightline.authorities.registry import import_contacts

    campaign = get_campaign(slug)
    text = request.POST.get("rows", "") if request.method == "POST" else ""
    if request.method == "POST":
        try:
            result = read_contacts(text, origin="the pasted rows")
        except FileFormatError as error:
            messages.error(request, str(error))
        else:
            summary = import_contacts(result.records, f"web {actor(request)}", timezone.localdate())
            problems = [*result.problems, *summary.problems]
            audit.record(
                request,
                "import_contacts",
                campaign.slug,
                created=summary.created,
                updated=summary.updated,
                problems=len(problems),
            )
            messages.success(
                request,
                f"{summary.created} addresses added, {summary.updated} changed, "
                f"{summary.unchanged} unchanged.",
            )
            for problem in problems:
                messages.error(request, str(problem))
            if not problems:
                return redirect("webui:contacts", slug=campaign.slug)
    missing = (
        campaign.requests.exclude(authority__contacts__kind="foi")
        .select_related("authority")
        .order_by("authority__name")
    )
    return render(
        request,
        "webui/contacts.html",
        {"campaign": campaign, "missing": missing, "rows": text},
    )


@require_POST
@needs(ACT)
def fetch_mail(request: HttpRequest) -> HttpResponse:
    """Queue a fetch of new mail from SIGHTLINE_IMAP_URL (as `sightline mail fetch`)."""
    from sightline.config import settings
    from sightline.mail.imap import ImapError, configured_imap
    from sightline.webui.views.tasks import start

    try:
        if not settings().imap_url:
            raise ImapError("no IMAP mailbox: set SIGHTLINE_IMAP_URL for the worker")
        configured_imap()  # a URL the worker could not use: say so now, queue nothing
    except ImapError as error:
        messages.error(request, f"Fetching mail failed: {error}")
        return redirect("webui:unmatched")
    return start(request, "fetch", None)

"""A campaign before its letters go, in the browser: the form that creates and edits it (the
checks of sightline.campaigns.validity and sightline.letters shown beside their fields), and
each letter exactly as it would be sent. The work is done by the campaigns services
(``create_campaign``, ``edit_campaign``) and the outbox's own letter and envelope."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from sightline.authorities.models import Contact
from sightline.campaigns.models import Campaign, Request
from sightline.campaigns.service import CampaignError, edit_campaign, letters_fixed
from sightline.campaigns.validity import reply_domain_problem, requester_problem
from sightline.letters import FIELDS, TemplateError, check_template
from sightline.lifecycle import State
from sightline.webui import audit
from sightline.webui.roles import ACT, VIEW
from sightline.webui.views.common import actor, get_campaign, needs, page_of

# What edit_campaign refuses to change once a request is queued (the letter must stay as it went).
FIXED_ONCE_QUEUED = ("requester_name", "reply_domain", "template", "add", "remove")


class LetterField(forms.CharField):
    """A letter as typed in a browser, whose form sends every line end as CR LF (the HTML
    form encoding): read back with the plain line ends the letter is kept in, so an untouched
    letter is not a changed one."""

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        return text.replace("\r\n", "\n").replace("\r", "\n") if isinstance(text, str) else text


class CampaignForm(forms.Form):
    """The fields a person sets on a campaign; each check is the one the core applies."""

    title = forms.CharField(max_length=255)
    requester_name = forms.CharField(max_length=255, label="Requests made in the name of")
    reply_domain = forms.CharField(
        max_length=255,
        required=False,
        label="Reply domain (for the per-request reply addresses)",
        help_text="empty: SIGHTLINE_REPLY_DOMAIN",
    )
    is_test = forms.BooleanField(
        required=False,
        label="A test campaign (replies may go to reserved names such as .test or .example)",
    )
    template = LetterField(
        widget=forms.Textarea(attrs={"rows": 18}),
        strip=False,
        label="Request letter ({placeholders} are filled in for each authority)",
    )

    def clean_template(self) -> str:
        text: str = self.cleaned_data["template"]
        try:
            check_template(text)
        except TemplateError as error:
            raise forms.ValidationError(error.message) from None
        return text

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        name = cleaned.get("requester_name")
        if (
            name is not None
            and "requester_name" not in self.errors
            and not self.fields["requester_name"].disabled
        ):
            problem = requester_problem(name)
            if problem is not None:  # FOIA s.8(1)(b), FOISA s.8(1)(b): a real name
                self.add_error("requester_name", f"the campaign {problem}")
        domain = (cleaned.get("reply_domain") or "").strip()
        if domain and not self.fields["reply_domain"].disabled:
            problem = reply_domain_problem(domain, bool(cleaned.get("is_test")))
            if problem is not None:  # the address for correspondence must receive mail
                self.add_error("reply_domain", f"the campaign {problem}")
        return cleaned


class NewCampaignForm(CampaignForm):
    slug = forms.CharField(max_length=64, label="Short name (lower-case letters, digits, hyphens)")
    authority_set = forms.ChoiceField(label="Authorities")
    law = forms.ChoiceField(
        required=False,
        choices=[
            ("", "FOIA (FOISA for Scottish bodies)"),
            ("eir", "EIR (EISR for Scottish bodies)"),
        ],
    )
    field_order = ["slug", "title", "authority_set", "law", "requester_name", "reply_domain"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from sightline.authorities.models import AuthoritySet

        super().__init__(*args, **kwargs)
        self.fields["authority_set"].choices = [
            (s.slug, f"{s.slug}: {s.title}") for s in AuthoritySet.objects.order_by("slug")
        ]


class EditCampaignForm(CampaignForm):
    add = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Add authorities (GSS codes, one a line or separated by commas)",
    )
    remove = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Remove authorities (their drafts are withdrawn)",
    )

    def __init__(self, *args: Any, campaign: Campaign, locked: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        drafts = campaign.requests.filter(state=State.DRAFT.value).select_related("authority")
        self.fields["remove"].choices = [
            (r.authority.gss_code, f"{r.authority.name} ({r.reference})")
            for r in drafts.order_by("authority__name")
        ]
        if locked:
            for name in FIXED_ONCE_QUEUED:
                self.fields[name].disabled = True

    def codes_to_add(self) -> list[str]:
        text = self.cleaned_data.get("add") or ""
        return [code.strip().upper() for code in text.replace(",", "\n").split() if code.strip()]


def readiness(campaign: Campaign) -> str:
    """Why the drafts could not be queued now, or "" when they could (the outbox's checks)."""
    from sightline.mail.outbox import check_ready

    try:
        check_ready(campaign)
    except CampaignError as error:
        return error.message
    return ""


@require_http_methods(["GET", "POST"])
@needs(ACT)
def edit_campaign_page(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_campaign(slug)
    locked = letters_fixed(campaign)
    initial = {
        "title": campaign.title,
        "requester_name": campaign.requester_name,
        "reply_domain": campaign.reply_domain,
        "is_test": campaign.is_test,
        "template": campaign.template,
    }
    data = request.POST if request.method == "POST" else None
    form = EditCampaignForm(data, initial=initial, campaign=campaign, locked=locked)
    if request.method == "POST" and form.is_valid():
        changed = form.cleaned_data
        # Only what changed goes to the service: an unchanged letter is not an edit of it.
        given: dict[str, Any] = {
            name: changed[name]
            for name in ("title", "requester_name", "reply_domain", "template")
            if name in form.changed_data
        }
        if "is_test" in form.changed_data:
            given["test"] = changed["is_test"]
        if "template" in given:
            given["template_source"] = "web"
        try:
            changes = edit_campaign(
                campaign,
                **given,
                add=form.codes_to_add() or None,
                remove=list(changed.get("remove") or []) or None,
                actor=actor(request),
            )
        except CampaignError as error:
            form.add_error(None, error.message)
        else:
            audit.record(request, "edit_campaign", campaign.slug, changes=changes)
            messages.success(
                request,
                f"{campaign.slug}: " + ("; ".join(changes) if changes else "nothing changed") + ".",
            )
            return redirect("webui:edit_campaign", slug=campaign.slug)
    context = {
        "campaign": campaign,
        "form": form,
        "locked": locked,
        "ready": readiness(campaign),
        "fields": FIELDS,
        "drafts": campaign.requests.filter(state=State.DRAFT.value).count(),
    }
    # A form with errors is shown again with them beside their fields (status 200, as Django does).
    return render(request, "webui/edit_campaign.html", context)


def _emails(requests: list[Request]) -> dict[int, str]:
    """Authority id -> its FOI address (the newest checked, as Authority.foi_email), one query."""
    found: dict[int, str] = {}
    contacts = Contact.objects.filter(
        authority_id__in={r.authority_id for r in requests}, kind=Contact.Kind.FOI
    ).order_by("authority_id", "-checked_on", "-id")
    for authority_id, email in contacts.values_list("authority_id", "email"):
        found.setdefault(authority_id, email)
    return found


@require_GET
@needs(VIEW)
def letters_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Every request of the campaign, each with a link to its letter as it would be sent."""
    campaign = get_campaign(slug)
    page = page_of(request, campaign.requests.select_related("authority").order_by("reference"))
    rows = list(page.object_list)
    emails = _emails(rows)
    link = reverse("webui:letter_preview", args=[campaign.slug, "REF"])
    page.object_list = [
        {
            "reference": r.reference,
            "url": link.replace("/REF/", f"/{r.reference}/"),
            "authority": r.authority.name,
            "state": r.state,
            "to": emails.get(r.authority_id, ""),
        }
        for r in rows
    ]
    return render(
        request,
        "webui/letters.html",
        {"campaign": campaign, "page": page, "ready": readiness(campaign)},
    )


def _as_sent(found: Request) -> tuple[list[tuple[str, str]], str, bool]:
    """(headers, body, stored): the stored request message when there is one, else the one
    the outbox would compose now (same letter, envelope and headers; only Date and Message-ID
    will differ)."""
    from email import message_from_bytes
    from email.policy import default

    from sightline.mail.attachments import plain_text
    from sightline.mail.models import OutgoingMessage
    from sightline.mail.outbox import SMTP_POLICY, envelope_for, request_letter
    from sightline.mail.outgoing import compose

    stored = found.outgoing.filter(kind=OutgoingMessage.Kind.REQUEST).order_by("id").first()
    if stored is not None:
        raw = bytes(stored.raw)
    else:
        subject, body = request_letter(found)
        to = found.authority.foi_email or ""
        composed = compose(envelope_for(found, to), subject, body, found.reference, timezone.now())
        raw = composed.as_bytes(policy=SMTP_POLICY)
    parsed = message_from_bytes(raw, policy=default)
    names = ("From", "Reply-To", "To", "Subject")
    headers = [(name, str(parsed.get(name, ""))) for name in names]
    return headers, plain_text(raw), stored is not None


@require_GET
@needs(VIEW)
def letter_preview(request: HttpRequest, slug: str, reference: str) -> HttpResponse:
    campaign = get_campaign(slug)
    found = (
        campaign.requests.select_related("authority", "campaign")
        .filter(reference=reference.upper())
        .first()
    )
    if found is None:
        raise Http404(f"no request {reference!r} in this campaign")
    try:
        headers, body, stored = _as_sent(found)
    except TemplateError as error:
        headers, body, stored = [], "", False
        messages.error(request, error.message)
    references = list(campaign.requests.order_by("reference").values_list("reference", flat=True))
    at = references.index(found.reference)
    link = reverse("webui:letter_preview", args=[campaign.slug, "REF"])
    neighbours = {
        "previous": references[at - 1] if at > 0 else "",
        "next": references[at + 1] if at + 1 < len(references) else "",
    }
    return render(
        request,
        "webui/letter_preview.html",
        {
            "campaign": campaign,
            "req": found,
            "headers": headers,
            "body": body,
            "stored": stored,
            "position": at + 1,
            "total": len(references),
            "links": {k: link.replace("/REF/", f"/{v}/") for k, v in neighbours.items() if v},
            "no_address": not found.authority.foi_email,
        },
    )

"""Review at campaign scale: the queue of replies by doubt, one reply with all of its facts
decided in one action, and bulk confirmation after a sample (sightline.review.replies)."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from sightline.campaigns.models import Campaign
from sightline.review.models import ReviewDecision, StoredFact
from sightline.review.replies import (
    FactDecision,
    ReplyKey,
    ReplyReviewError,
    bulk_preview,
    decide_reply,
    next_reply,
    replies_of,
    reply_facts,
    reply_queue_query,
    value_text,
)
from sightline.review.service import DEVICE_TYPES, ReviewError, field_choices
from sightline.review.workflow import disputes
from sightline.webui import audit
from sightline.webui.roles import REVIEW, VIEW
from sightline.webui.views.common import actor, get_campaign, needs, page_of
from sightline.webui.views.requests import shown_message
from sightline.webui.views.review import _pattern

DEFAULT_THRESHOLD = 0.9
FINGERPRINT = re.compile(r"[0-9a-f]{32}")  # what bulk_preview gives the page


def reply_url(campaign: Campaign, key: ReplyKey) -> str:
    from sightline.campaigns.models import Request

    reference = Request.objects.values_list("reference", flat=True).get(pk=key.request_id)
    return reverse("webui:review_reply", args=[campaign.slug, reference, key.message_id or 0])


def _key(campaign: Campaign, reference: str, message_id: int) -> ReplyKey:
    request = campaign.requests.filter(reference=reference.upper()).first()
    if request is None:
        raise Http404(f"no request {reference!r} in this campaign")
    key = ReplyKey(request.pk, message_id or None)
    if not StoredFact.objects.filter(request=request, message_id=key.message_id).exists():
        raise Http404("no facts were read from this reply")
    return key


def marked(text: str, quotes: list[tuple[int, str]]) -> list[tuple[str, list[int]]]:
    """``text`` cut into (piece, ids of the facts quoting it) for the template to mark."""
    spans: list[tuple[int, int, int]] = []
    for fact_id, quote in quotes:
        pattern = _pattern(quote)
        if pattern is not None:
            spans.extend((*match.span(), fact_id) for match in pattern.finditer(text))
    spans.sort()
    pieces: list[tuple[str, list[int]]] = []
    at = 0
    for start, end, fact_id in spans:
        if start < at:  # overlapping quotes: the first wins, and it names both facts
            if pieces and pieces[-1][1] and fact_id not in pieces[-1][1]:
                pieces[-1][1].append(fact_id)
            continue
        if start > at:
            pieces.append((text[at:start], []))
        pieces.append((text[start:end], [fact_id]))
        at = end
    if at < len(text):
        pieces.append((text[at:], []))
    return pieces


@require_GET
@needs(VIEW)
def reply_queue_page(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_campaign(slug)
    page = page_of(request, reply_queue_query(campaign))
    link = reverse("webui:review_reply", args=[campaign.slug, "REF", 0])
    page.object_list = [
        {
            "reply": reply,
            "url": link.replace("/REF/0/", f"/{reply.reference}/{reply.key.message_id or 0}/"),
        }
        for reply in replies_of(page.object_list)
    ]
    return render(
        request,
        "webui/review_replies.html",
        {"campaign": campaign, "page": page, "total": page.paginator.count},
    )


def _reply_context(
    request: HttpRequest,
    campaign: Campaign,
    key: ReplyKey,
    entered: dict[int, dict[str, str]] | None = None,
    problems: dict[int, str] | None = None,
) -> dict[str, Any]:
    facts = reply_facts(key)
    me = actor(request)
    open_disputes = disputes([f for f in facts if f.status == StoredFact.Status.PENDING])
    rows = []
    for fact in facts:
        dispute = open_disputes.get(fact.pk)
        given = (entered or {}).get(fact.pk, {})
        rows.append(
            {
                "fact": fact,
                "pending": fact.status == StoredFact.Status.PENDING,
                "dispute": dispute,
                "party": dispute is not None and me in dispute.parties,
                "choices": field_choices(fact.field),
                "device_types": DEVICE_TYPES if fact.field == "device_types" else (),
                "proposed": value_text(fact),
                "value": given.get("value", value_text(fact)),
                "decision": given.get("decision", "confirm"),
                "note": given.get("note", ""),
                "problem": (problems or {}).get(fact.pk, ""),
                "quotes": [e.quote for e in fact.evidence.all()],
            }
        )
    first = facts[0]
    shown = shown_message(first.message) if first.message else None
    quotes = [(f.pk, e.quote) for f in facts for e in f.evidence.all()]
    locations = {e.location for f in facts for e in f.evidence.all()}
    blocks = []
    for location, text in shown.blocks if shown else []:
        pieces = marked(text, quotes)
        blocks.append(
            {
                "location": location,
                "pieces": pieces,
                "marked": any(ids for _, ids in pieces) or location in locations,
            }
        )
    following = next_reply(campaign, after=key)
    return {
        "campaign": campaign,
        "req": first.request,
        "message": first.message,
        "document": first.document,
        "rows": rows,
        "decidable": [row for row in rows if row["pending"] and not row["party"]],
        "blocks": blocks,
        "problem": shown.problem if shown else "no message is linked to these facts",
        "waiting": reply_queue_query(campaign).count(),
        "next_url": reply_url(campaign, following) if following and following != key else "",
        "action": reverse(
            "webui:decide_reply", args=[campaign.slug, first.request.reference, key.message_id or 0]
        ),
    }


@require_GET
@needs(VIEW)
def reply_page(request: HttpRequest, slug: str, reference: str, message_id: int) -> HttpResponse:
    """One reply: every fact read from it beside its text, each quote marked."""
    campaign = get_campaign(slug)
    key = _key(campaign, reference, message_id)
    return render(request, "webui/review_reply.html", _reply_context(request, campaign, key))


@require_POST
@needs(REVIEW)
def decide_reply_view(
    request: HttpRequest, slug: str, reference: str, message_id: int
) -> HttpResponse:
    """All the reply's decisions in one transaction, each also in the audit trail."""
    campaign = get_campaign(slug)
    key = _key(campaign, reference, message_id)
    entered: dict[int, dict[str, str]] = {}
    for text in request.POST.getlist("fact"):
        if text.isdigit():
            number = int(text)
            entered[number] = {
                "decision": request.POST.get(f"decision-{number}", "confirm"),
                "value": request.POST.get(f"value-{number}", ""),
                "note": request.POST.get(f"note-{number}", ""),
            }
    wanted = [
        FactDecision(number, given["decision"], given["value"], given["note"])
        for number, given in entered.items()
    ]

    def audited(fact: StoredFact, made: ReviewDecision) -> None:
        audit.record(
            request,
            "review",
            f"fact {fact.pk}",
            decision=made.decision,
            value=made.value,
            note=made.note,
            reply=f"{reference.upper()} message {message_id}",
        )

    try:
        if not wanted:
            raise ReviewError("no decision was sent: nothing recorded")
        with transaction.atomic():  # the decisions and their audit entries, or none of them
            outcome = decide_reply(key, wanted, actor(request), audited)
    except ReplyReviewError as error:
        messages.error(request, error.message)
        context = _reply_context(request, campaign, key, entered, error.problems)
        return render(request, "webui/review_reply.html", context)
    except ReviewError as error:
        messages.error(request, error.message)
        return redirect(reply_url(campaign, key))
    counts = {kind: 0 for kind in ReviewDecision.Decision.values}
    for made in outcome.made:
        counts[made.decision] += 1
    messages.success(
        request,
        f"{reference.upper()}: {counts['confirm']} confirmed, {counts['correct']} corrected, "
        f"{counts['reject']} rejected"
        + (f", {outcome.skipped} left waiting." if outcome.skipped else "."),
    )
    for fact_id, dispute in outcome.disputed.items():
        messages.warning(
            request,
            f"Fact #{fact_id}: {' and '.join(dispute.parties)} disagree; "
            "it waits for a third reviewer.",
        )
    following = next_reply(campaign, after=key)
    if following is None or following == key:
        return redirect("webui:review_replies", slug=campaign.slug)
    return redirect(reply_url(campaign, following))


def _threshold(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ReviewError(f"the confidence threshold must be a number, not {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise ReviewError("the confidence threshold must be between 0 and 1")
    return value


@require_GET
@needs(VIEW)
def bulk_page(request: HttpRequest, slug: str) -> HttpResponse:
    """How many waiting facts are at or above a confidence, and a sample of them to read."""
    campaign = get_campaign(slug)
    threshold = _threshold(request.GET.get("min", str(DEFAULT_THRESHOLD)))
    preview = bulk_preview(campaign, threshold)
    return render(request, "webui/review_bulk.html", {"campaign": campaign, "preview": preview})


@require_POST
@needs(REVIEW)
def bulk_confirm_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Queue the confirmation (a task: a large campaign takes seconds) and show its page."""
    from sightline.tasks.models import Job
    from sightline.webui.views.tasks import start

    campaign = get_campaign(slug)
    threshold = _threshold(request.POST.get("min", ""))
    fingerprint = request.POST.get("fingerprint", "")
    if not FINGERPRINT.fullmatch(fingerprint):
        messages.error(
            request, "this confirmation names no sample: look at the sample, then confirm"
        )
        return redirect(f"{reverse('webui:review_bulk', args=[campaign.slug])}?min={threshold}")
    parameters = {"threshold": threshold, "fingerprint": fingerprint}
    return start(request, Job.Kind.BULK_CONFIRM, campaign, parameters)

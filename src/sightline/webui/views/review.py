"""The review screen: one pending fact beside its document, evidence highlighted."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from sightline.review.models import StoredFact
from sightline.review.service import DEVICE_TYPES, ReviewError, field_choices
from sightline.review.workflow import disputes, pending_queue, review, second_opinion_queue
from sightline.webui import audit
from sightline.webui.roles import REVIEW, VIEW
from sightline.webui.views.common import actor, get_campaign, needs
from sightline.webui.views.requests import shown_message

QUEUES = ("pending", "check")


def _pattern(quote: str) -> re.Pattern[str] | None:
    """The quote as a pattern that allows any run of white space between its words."""
    words = quote.split()
    if not words:
        return None
    return re.compile(r"\s+".join(re.escape(word) for word in words), re.IGNORECASE)


def highlight(text: str, quotes: list[str]) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, is_quote) so a template can mark the quotes (and escape all)."""
    spans: list[tuple[int, int]] = []
    for quote in quotes:
        pattern = _pattern(quote)
        if pattern is None:
            continue
        spans.extend(match.span() for match in pattern.finditer(text))
    spans.sort()
    pieces: list[tuple[str, bool]] = []
    at = 0
    for start, end in spans:
        if start < at:
            continue  # overlapping quotes: the first wins
        if start > at:
            pieces.append((text[at:start], False))
        pieces.append((text[start:end], True))
        at = end
    if at < len(text):
        pieces.append((text[at:], False))
    return pieces


def _queue(name: str, campaign: Any, reviewer: str) -> Any:
    return second_opinion_queue(campaign, reviewer) if name == "check" else pending_queue(campaign)


@require_GET
@needs(VIEW)
def review_page(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_campaign(slug)
    name = request.GET.get("queue", "pending")
    name = name if name in QUEUES else "pending"
    try:
        position = max(0, int(request.GET.get("n", "0")))
    except ValueError:
        position = 0
    queue = _queue(name, campaign, actor(request))
    total = queue.count()
    if total and position >= total:
        position = total - 1
    fact = queue[position] if total else None
    context: dict[str, Any] = {
        "campaign": campaign,
        "queue": name,
        "position": position,
        "total": total,
        "fact": fact,
    }
    if fact is not None:
        quotes = [e.quote for e in fact.evidence.all()]
        locations = {e.location for e in fact.evidence.all()}
        blocks = []
        shown = shown_message(fact.message) if fact.message else None
        for location, text in shown.blocks if shown else []:
            pieces = highlight(text, quotes)
            marked = any(is_quote for _, is_quote in pieces) or location in locations
            blocks.append({"location": location, "pieces": pieces, "marked": marked})
        dispute = disputes([fact]).get(fact.pk)
        me = actor(request)
        context.update(
            {
                "blocks": blocks,
                "problem": shown.problem if shown else "no message is linked to this fact",
                "dispute": dispute,
                "party": dispute is not None and me in dispute.parties,
                "choices": field_choices(fact.field),
                "device_types": DEVICE_TYPES if fact.field == "device_types" else (),
            }
        )
    return render(request, "webui/review.html", context)


@require_POST
@needs(REVIEW)
def extract(request: HttpRequest, slug: str) -> HttpResponse:
    """Queue the reading of the campaign's new replies (and attachments) for facts."""
    from sightline.webui.views.tasks import start

    return start(request, "extract", get_campaign(slug))


@require_POST
@needs(REVIEW)
def decide_fact(request: HttpRequest, fact_id: int) -> HttpResponse:
    fact = StoredFact.objects.select_related("request__campaign").filter(pk=fact_id).first()
    if fact is None:
        raise Http404("no such fact")
    decision = request.POST.get("decision", "")
    value = request.POST.get("value") if decision == "correct" else None
    note = request.POST.get("note", "").strip()
    try:
        made, dispute = review(fact, decision, actor(request), value, note)
    except ReviewError as error:
        messages.error(request, str(error))
    else:
        audit.record(
            request,
            "review",
            f"fact {fact.pk}",
            decision=made.decision,
            value=made.value,
            note=note,
        )
        if dispute is not None:
            messages.warning(
                request,
                f"Fact #{fact.pk}: {' and '.join(dispute.parties)} disagree; "
                "it waits for a third reviewer.",
            )
        else:
            messages.success(request, f"Fact #{fact.pk}: {made.decision} recorded.")
    queue = request.POST.get("queue", "pending")
    position = request.POST.get("n", "0")
    url = reverse("webui:review", args=[fact.request.campaign.slug])
    return redirect(
        f"{url}?queue={queue if queue in QUEUES else 'pending'}&n={int(position) if position.isdigit() else 0}"
    )

"""Unmatched mail: messages no request claimed, and assigning them by hand."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from sightline.campaigns.models import Request
from sightline.mail.inbox import assign, unmatched_query
from sightline.mail.models import IncomingMessage
from sightline.webui import audit
from sightline.webui.roles import ASSIGN, VIEW
from sightline.webui.views.common import actor, needs, page_of


@require_GET
@needs(VIEW)
def unmatched(request: HttpRequest) -> HttpResponse:
    show_malformed = request.GET.get("malformed") == "1"
    page = page_of(request, unmatched_query(malformed=show_malformed))
    return render(request, "webui/unmatched.html", {"page": page, "malformed": show_malformed})


@require_POST
@needs(ASSIGN)
def assign_message(request: HttpRequest, message_id: int) -> HttpResponse:
    message = IncomingMessage.objects.filter(pk=message_id).first()
    if message is None:
        raise Http404("no such message")
    reference = request.POST.get("reference", "").strip().upper()
    target = Request.objects.select_related("campaign", "authority").filter(reference=reference)
    found = target.first()
    if found is None:
        messages.error(request, f"No request {reference!r}.")
        return redirect("webui:unmatched")
    try:
        events = assign(message, found, actor(request))
    except (ValueError, OSError) as error:
        messages.error(request, str(error))
        return redirect("webui:unmatched")
    audit.record(request, "assign_mail", found.reference, message=message.pk, events=len(events))
    messages.success(request, f"Message {message.pk} added to {found.reference}.")
    return redirect("webui:request", reference=found.reference)

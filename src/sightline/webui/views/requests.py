"""A request's page: its timeline, messages and documents; and what can be done to it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sightline.campaigns.models import Request
from sightline.campaigns.service import (
    CampaignError,
    allowed_follow_ups,
    check_follow_up,
    record_event,
)
from sightline.lifecycle import ALLOWED, EventKind, State, TransitionError
from sightline.mail.attachments import (
    Attachment,
    attachment_content,
    attachments_of,
    clean_html,
    download_type,
    plain_text,
)
from sightline.mail.models import IncomingMessage
from sightline.mail.timeline import TimelineEntry, request_timeline
from sightline.review.models import StoredFact
from sightline.webui import audit
from sightline.webui.middleware import DOWNLOAD_POLICY
from sightline.webui.roles import ACT, VIEW
from sightline.webui.views.common import actor, get_request, needs

LETTERS = {
    "reminder": "Reminder",
    "internal-review": "Request for internal review",
    "complaint": "Complaint to the regulator",
}


@dataclass
class ShownMessage:
    """A received message as the page shows it: text blocks, sanitised HTML, attachments."""

    message: IncomingMessage
    blocks: list[tuple[str, str]] = field(default_factory=list)  # (location, text)
    html: str | None = None
    attachments: list[Attachment] = field(default_factory=list)
    problem: str = ""


def shown_message(message: IncomingMessage) -> ShownMessage:
    from sightline.documents import read_message
    from sightline.mail.inbox import raw_store

    shown = ShownMessage(message)
    try:
        raw = raw_store().get(message.sha256)
    except OSError as error:
        shown.problem = f"the raw message is missing from the store ({error.strerror})"
        return shown
    if message.kind == IncomingMessage.Kind.MALFORMED:
        shown.problem = message.problem
        shown.blocks = [("raw", raw.decode("utf-8", errors="replace")[:20000])]
        return shown
    from sightline.errors import SightlineError
    from sightline.replies import read_reply

    try:
        reply = read_reply(raw)  # the one reading: text, HTML and the attachment list
        shown.html = clean_html(reply.html) if reply.html else None
        shown.attachments = attachments_of(reply)
        document = read_message(raw)
        shown.blocks = [(str(block.location), block.text) for block in document.blocks]
    except SightlineError as error:
        shown.problem = f"could not be read: {error.message}"
    except Exception:  # a hostile message must not break the page
        shown.problem = "could not be read: the message is damaged in a way Sightline cannot read"
    return shown


def _sent_text(entry: TimelineEntry) -> str:
    assert entry.outgoing is not None
    return plain_text(bytes(entry.outgoing.raw))


def state_choices(request: Request) -> list[str]:
    """States a person may set from here: the allowed moves, and the current one (to confirm a
    rule's guess)."""
    current = State(request.state)
    return [current.value, *sorted(s.value for s in ALLOWED[current])]


@require_GET
@needs(VIEW)
def request_page(request: HttpRequest, reference: str) -> HttpResponse:
    found = get_request(reference)
    entries = []
    for entry in request_timeline(found):
        item: dict[str, Any] = {"entry": entry}
        if entry.incoming is not None:
            item["shown"] = shown_message(entry.incoming)
        elif entry.outgoing is not None:
            item["text"] = _sent_text(entry)
        entries.append(item)
    facts = StoredFact.objects.filter(request=found).order_by("id")
    context = {
        "req": found,
        "entries": entries,
        "facts": facts,
        "states": state_choices(found),
        "letters": {k.value: LETTERS[k.value] for k in allowed_follow_ups(found)},
        "replaced_by": list(found.replaced_by.all()),
        "can_refile": found.state == State.DELIVERY_FAILED.value,
        "can_extend": _extendable(found),
        "can_clarify": found.state == State.CLARIFICATION_REQUESTED.value,
    }
    return render(request, "webui/request.html", context)


def _extendable(found: Request) -> bool:
    from sightline.campaigns.service import check_extension

    try:
        check_extension(found)
    except CampaignError:
        return False
    return True


@require_POST
@needs(ACT)
def record_clock(request: HttpRequest, reference: str) -> HttpResponse:
    """An extension by the authority, or the requester's answer to a clarification request."""
    import datetime as dt

    from django.utils import timezone

    found = get_request(reference)
    action = request.POST.get("action", "")
    try:
        if action == "extend":
            record_event(found, EventKind.DUE_EXTENDED, actor=actor(request))
        elif action == "clarified":
            try:
                on = dt.date.fromisoformat(request.POST.get("on", ""))
            except ValueError:
                raise CampaignError("give the day the clarification was sent") from None
            if on > timezone.localdate():
                raise CampaignError(f"{on.isoformat()} is in the future")
            at = timezone.make_aware(dt.datetime.combine(on, dt.time(12)))
            record_event(found, EventKind.CLARIFIED, actor=actor(request), at=at)
        else:
            raise CampaignError(f"unknown action {action!r}")
    except (CampaignError, TransitionError) as error:
        messages.error(request, str(error))
    else:
        found.refresh_from_db()
        audit.record(request, f"clock_{action}", found.reference)
        due = found.due.isoformat() if found.due else "none"
        messages.success(request, f"{found.reference} is now due {due}.")
    return redirect("webui:request", reference=found.reference)


@require_POST
@needs(ACT)
def set_state(request: HttpRequest, reference: str) -> HttpResponse:
    found = get_request(reference)
    target = request.POST.get("state", "")
    note = request.POST.get("note", "").strip()
    try:
        state = State(target)
        record_event(found, EventKind.STATE_SET, state=state, actor=actor(request), note=note)
    except ValueError as error:  # TransitionError is a ValueError, as is an unknown state
        message = str(error) if isinstance(error, TransitionError) else f"unknown state {target!r}"
        messages.error(request, message)
    else:
        audit.record(request, "set_state", found.reference, state=state.value, note=note)
        messages.success(request, f"{found.reference} is now {state.value.replace('_', ' ')}.")
    return redirect("webui:request", reference=found.reference)


@require_http_methods(["GET", "POST"])
@needs(ACT)
def letter(request: HttpRequest, reference: str, kind: str) -> HttpResponse:
    """GET shows the letter as it will go; POST stores it in the outbox (or records that it
    went by other means, e.g. the regulator's web form)."""
    from sightline.mail.chasing import KIND_OF_LETTER, queue_follow_up
    from sightline.mail.chasing import letter as make_letter
    from sightline.mail.followups import LetterKind
    from sightline.mail.outbox import SENT_EVENTS

    if kind not in LETTERS:
        raise Http404(f"no letter {kind!r}")
    from sightline.lifecycle import FollowUp

    found = get_request(reference)
    letter_kind = LetterKind(kind)
    try:
        check_follow_up(found, FollowUp(kind))  # the page offers only what the facts allow
    except CampaignError as error:
        messages.error(request, str(error))
        return redirect("webui:request", reference=found.reference)
    subject, body = make_letter(found, letter_kind)
    to = request.POST.get("to", "").strip() if request.method == "POST" else ""
    if request.method == "POST":
        try:
            if request.POST.get("how") == "recorded":
                record_event(
                    found,
                    SENT_EVENTS[KIND_OF_LETTER[letter_kind]],
                    actor=actor(request),
                    data={"kind": kind, "subject": subject, "body": body, "to": to},
                )
                done = "recorded as sent by other means"
            else:
                queue_follow_up(found, letter_kind, to)
                done = "stored in the outbox, ready to send"
        except (CampaignError, TransitionError) as error:
            messages.error(request, str(error))
        else:
            audit.record(request, f"letter_{kind}", found.reference, to=to, how=done)
            messages.success(request, f"{LETTERS[kind]} for {found.reference} {done}.")
            return redirect("webui:request", reference=found.reference)
    context = {
        "req": found,
        "kind": kind,
        "title": LETTERS[kind],
        "subject": subject,
        "body": body,
        "to": to or ("" if kind == "complaint" else found.authority.foi_email or ""),
        "needs_to": kind == "complaint",
    }
    return render(request, "webui/letter.html", context)


@require_http_methods(["GET", "POST"])
@needs(ACT)
def refile(request: HttpRequest, reference: str) -> HttpResponse:
    """Re-file a request that could not be delivered, as a new draft linked to it."""
    from sightline.campaigns.operations import refile as refile_request

    found = get_request(reference)
    if request.method == "POST":
        email = request.POST.get("email", "").strip()
        try:
            new = refile_request(found, email=email, actor=actor(request))
        except CampaignError as error:
            messages.error(request, str(error))
        else:
            audit.record(request, "refile", found.reference, new=new.reference, email=email)
            messages.success(request, f"Re-filed {found.reference} as {new.reference}.")
            return redirect("webui:request", reference=new.reference)
    return render(
        request,
        "webui/refile.html",
        {"req": found, "email": found.authority.foi_email or ""},
    )


@require_GET
@needs(VIEW)
def message_page(request: HttpRequest, message_id: int) -> HttpResponse:
    message = IncomingMessage.objects.filter(pk=message_id).first()
    if message is None:
        raise Http404("no such message")
    linked = list(Request.objects.filter(message_links__message=message).order_by("reference"))
    return render(
        request,
        "webui/message.html",
        {"shown": shown_message(message), "linked": linked},
    )


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    # Always a download, never shown inline; the sandbox policy stops anything in it running.
    response.headers["Content-Disposition"] = _disposition(filename)
    response.headers["Content-Security-Policy"] = DOWNLOAD_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _disposition(filename: str) -> str:
    from urllib.parse import quote

    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "_").replace("?", "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


@require_GET
@needs(VIEW)
def attachment(request: HttpRequest, message_id: int, index: int) -> HttpResponse:
    from sightline.mail.inbox import raw_store

    message = IncomingMessage.objects.filter(pk=message_id).first()
    if message is None:
        raise Http404("no such message")
    try:
        info, content = attachment_content(raw_store().get(message.sha256), index)
    except (IndexError, OSError):
        raise Http404("no such attachment") from None
    return _download(content, info.filename, download_type(info.filename, info.content_type))


@require_GET
@needs(VIEW)
def raw_message(request: HttpRequest, message_id: int) -> HttpResponse:
    """The message exactly as received, as an .eml download."""
    from sightline.mail.inbox import raw_store

    message = IncomingMessage.objects.filter(pk=message_id).first()
    if message is None:
        raise Http404("no such message")
    try:
        content = raw_store().get(message.sha256)
    except OSError:
        raise Http404("the raw message is missing from the store") from None
    return _download(content, f"message-{message.pk}.eml", "message/rfc822")

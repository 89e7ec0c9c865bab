"""Home (the campaigns), the dashboard and the request table."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from sightline.campaigns.models import Campaign, Request
from sightline.campaigns.overview import (
    DEADLINES,
    SORTS,
    DeadlineLists,
    deadline_filters,
    deadline_lists,
    deadline_of,
    filtered_requests,
    reminders_due_count,
    state_counts,
)
from sightline.campaigns.service import CampaignError
from sightline.config import settings as sightline_settings
from sightline.lifecycle import FINAL_STATES, State
from sightline.mail.inbox import unmatched_query
from sightline.review.models import StoredFact
from sightline.webui import audit
from sightline.webui.roles import ACT, VIEW
from sightline.webui.views.common import get_campaign, needs, page_of

SORT_COLUMNS = [
    ("reference", "Reference"),
    ("authority", "Authority"),
    ("state", "State"),
    ("sent", "Sent"),
    ("due", "Due"),
    ("last_message", "Last message"),
]
DONE_STATES = {s.value for s in FINAL_STATES} | {State.WITHDRAWN.value}


@require_GET
@needs(VIEW)
def home(request: HttpRequest) -> HttpResponse:
    campaigns = list(Campaign.objects.annotate(size=Count("requests")).order_by("-created_at"))
    if len(campaigns) == 1 and "all" not in request.GET:
        return redirect("webui:dashboard", slug=campaigns[0].slug)
    return render(request, "webui/home.html", {"campaigns": campaigns})


def _bar(counts: dict[str, int]) -> list[dict[str, object]]:
    """Segments of the progress bar: one per state, as percentages of all requests."""
    total = sum(counts.values()) or 1
    segments, start = [], 0.0
    for state, count in counts.items():
        width = 100.0 * count / total
        segments.append({"state": state, "count": count, "x": start, "width": width})
        start += width
    return segments


def _day(moment: datetime | None) -> str:
    return timezone.localtime(moment).date().isoformat() if moment else ""


def _table_context(request: HttpRequest, campaign: Campaign) -> dict[str, object]:
    today = timezone.localdate()
    state = request.GET.get("state", "")
    deadline = request.GET.get("deadline", "")
    text = request.GET.get("q", "")
    sort = request.GET.get("sort", "reference")
    descending = request.GET.get("dir") == "desc"
    rows = filtered_requests(campaign, today, state, deadline, text, sort, descending)
    page = page_of(request, rows)
    # Rows as plain strings: formatting 300 dates and 100 URLs in the template costs more than
    # the queries do.
    link = reverse("webui:request", args=["REF"])
    page.object_list = [
        {
            "reference": row.reference,
            "url": link.replace("REF", row.reference),
            "authority": row.authority.name,
            "state": row.state,
            "guess": row.state_is_guess,
            "sent": _day(row.sent_at),
            "due": row.due.isoformat() if row.due else "",
            "last_message": _day(row.last_message_at),
            "deadline": deadline_of(row, today),
        }
        for row in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page": page,
        "filters": {"state": state, "deadline": deadline, "q": text},
        "sort": sort if sort in SORTS else "reference",
        "descending": descending,
        "states": [s.value for s in State],
        "deadlines": DEADLINES,
        "sort_columns": SORT_COLUMNS,
        "query": query.urlencode(),
        "table_url": reverse("webui:requests", args=[campaign.slug]),
    }


def _late(lists: DeadlineLists) -> dict[str, object]:
    link = reverse("webui:request", args=["REF"])

    def rows(requests: list[Request]) -> list[dict[str, str]]:
        return [
            {
                "reference": r.reference,
                "url": link.replace("REF", r.reference),
                "authority": r.authority.name,
                "due": r.due.isoformat() if r.due else "",
            }
            for r in requests
        ]

    return {
        "overdue": rows(lists.overdue),
        "long_overdue": rows(lists.long_overdue),
        "overdue_total": lists.overdue_total,
        "long_overdue_total": lists.long_overdue_total,
    }


@require_GET
@needs(VIEW)
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_campaign(slug)
    today = timezone.localdate()
    filters = deadline_filters(campaign, today)
    counts = state_counts(campaign)
    total = sum(counts.values())
    done = sum(n for s, n in counts.items() if s in DONE_STATES)
    pending = StoredFact.objects.filter(
        request__campaign=campaign, status=StoredFact.Status.PENDING
    )
    context = {
        "campaign": campaign,
        "counts": counts,
        "total": total,
        "done": done,
        "bar": _bar(counts),
        "late": _late(deadline_lists(campaign, today, filters=filters)),
        "reminders_due": reminders_due_count(campaign, today, filters=filters),
        "unmatched": unmatched_query().count(),
        "pending_facts": pending.count(),
        "drafts": counts.get(State.DRAFT.value, 0),
        "uncertain": _uncertain_rows(campaign),
        "today": today.isoformat(),
        "smtp": bool(sightline_settings().smtp_url),
        "imap": bool(sightline_settings().imap_url),
        **_table_context(request, campaign),
    }
    return render(request, "webui/dashboard.html", context)


def _uncertain_rows(campaign: Campaign) -> list[dict[str, object]]:
    from sightline.mail.outbox import uncertain

    link = reverse("webui:request", args=["REF"])
    return [
        {
            "number": m.pk,
            "reference": m.request.reference,
            "url": link.replace("REF", m.request.reference),
            "kind": m.kind,
            "to": m.to,
            "attempted_on": _day(m.attempted_at),
            "reason": (
                "an attempt was interrupted before its result was recorded"
                if m.status == "sending"
                else m.smtp_answer
            ),
        }
        for m in uncertain(campaign)
    ]


@require_POST
@needs(ACT)
def settle_message(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """A person settles one message that may have gone: it went (on a day) or send it again."""
    from sightline.mail.outbox import find_unsettled, settle_send_again, settle_went

    campaign = get_campaign(slug)
    outcome = request.POST.get("outcome", "")
    try:
        message = find_unsettled(str(number))
        if message.request.campaign_id != campaign.pk:
            raise CampaignError(f"message {number} is not of campaign {campaign.slug}")
        if outcome == "went":
            try:
                on = datetime.strptime(request.POST.get("on", ""), "%Y-%m-%d").date()
            except ValueError:
                raise CampaignError("give the day the message went, as YYYY-MM-DD") from None
            settle_went(message, on, actor=request.user.get_username())
            text = f"Message {number} ({message.request.reference}) recorded as sent on {on}."
        elif outcome == "again":
            settle_send_again(message, actor=request.user.get_username())
            text = f"Message {number} ({message.request.reference}) will be sent again."
        else:
            raise CampaignError("say whether the message went or should be sent again")
    except CampaignError as error:
        messages.error(request, str(error))
    else:
        audit.record(request, "settle_message", message.request.reference, outcome=outcome)
        messages.success(request, text)
    return redirect("webui:dashboard", slug=campaign.slug)


@require_GET
@needs(VIEW)
def request_list(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_campaign(slug)
    return render(
        request,
        "webui/request_list.html",
        {"campaign": campaign, **_table_context(request, campaign)},
    )


@require_POST
@needs(ACT)
def queue_drafts(request: HttpRequest, slug: str) -> HttpResponse:
    """Store the request e-mail of every draft in the outbox (`sightline campaign send`)."""
    from sightline.mail.outbox import queue_campaign

    campaign = get_campaign(slug)
    try:
        queued = queue_campaign(campaign)
    except CampaignError as error:
        messages.error(request, str(error))
    else:
        audit.record(request, "queue_requests", campaign.slug, count=len(queued))
        messages.success(request, f"{len(queued)} requests stored in the outbox, ready to send.")
    return redirect("webui:dashboard", slug=campaign.slug)


@require_POST
@needs(ACT)
def queue_reminders(request: HttpRequest, slug: str) -> HttpResponse:
    """Store a reminder for every request `sightline chase` would remind today."""
    from sightline.mail.chasing import queue_follow_up, reminders_due
    from sightline.mail.followups import LetterKind

    campaign = get_campaign(slug)
    due = reminders_due(campaign, timezone.localdate())
    queued, problems = [], []
    for item in due:
        try:
            queued.append(queue_follow_up(item.request, LetterKind.REMINDER).request.reference)
        except CampaignError as error:
            problems.append(str(error))
    audit.record(request, "queue_reminders", campaign.slug, references=queued)
    messages.success(request, f"{len(queued)} reminders stored in the outbox, ready to send.")
    for problem in problems:
        messages.error(request, problem)
    return redirect("webui:dashboard", slug=campaign.slug)


@require_POST
@needs(ACT)
def send_outbox_now(request: HttpRequest, slug: str) -> HttpResponse:
    """Queue the sending of what waits in the campaign's outbox; `sightline worker` sends it."""
    from sightline.mail.smtp import SmtpUrlError, configured_smtp
    from sightline.webui.views.tasks import start

    campaign = get_campaign(slug)
    try:
        if not sightline_settings().smtp_url:
            raise SmtpUrlError("no SMTP server: set SIGHTLINE_SMTP_URL for the worker")
        configured_smtp()  # a URL the worker could not use: say so now, queue nothing
    except SmtpUrlError as error:
        messages.error(request, f"Nothing can be sent: {error}")
        return redirect("webui:dashboard", slug=campaign.slug)
    return start(request, "send", campaign)

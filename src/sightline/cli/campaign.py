"""``sightline campaign``: create a campaign and see where its requests stand."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

import click

from sightline.cli.database import open_database
from sightline.cli.errors import CommandError


@click.group("campaign")
def campaign_group() -> None:
    """Campaigns: one request sent to every authority of a set."""


@campaign_group.command("create")
@click.argument("slug")
@click.option("--set", "set_slug", required=True, metavar="SET", help="Named set of authorities.")
@click.option(
    "--template",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The request letter, a text file with {placeholders}.",
)
@click.option("--title", required=True, help="A title for the campaign.")
@click.option(
    "--law",
    type=click.Choice(["", "eir"]),
    default="",
    help="Request under EIR (EISR in Scotland) instead of FOIA/FOISA.",
)
@click.option("--requester", "requester_name", default="", help="Name the requests are made in.")
@click.option("--reply-domain", default="", help="Domain of the per-request reply addresses.")
@click.option(
    "--test",
    "test",
    is_flag=True,
    help="A test campaign: replies may go to reserved names (.test, .example, .localhost).",
)
def create_command(
    slug: str,
    set_slug: str,
    template: Path,
    title: str,
    law: str,
    requester_name: str,
    reply_domain: str,
    test: bool,
) -> None:
    """Create campaign SLUG with one draft request per authority in SET."""
    try:
        template_text = template.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = "not UTF-8 text" if isinstance(error, UnicodeDecodeError) else error.strerror
        raise CommandError(f"cannot read template {template}: {reason}") from None
    open_database()
    from sightline.campaigns.service import create_campaign

    campaign = create_campaign(
        slug,
        set_slug,
        template_text,
        title,
        law=law,
        requester_name=requester_name,
        reply_domain=reply_domain,
        template_source=str(template),
        test=test,
    )
    count = campaign.requests.count()
    click.echo(
        f"Created campaign {slug}: {count} requests ({set_slug}), references {campaign.reference_prefix}-0001..."
    )


@campaign_group.command("edit")
@click.argument("slug")
@click.option("--title", default=None, help="A new title.")
@click.option("--requester", "requester_name", default=None, help="Name the requests are made in.")
@click.option("--reply-domain", default=None, help="Domain of the per-request reply addresses.")
@click.option(
    "--template",
    default=None,
    type=click.Path(path_type=Path, dir_okay=False),
    help="A new request letter (text file with {placeholders}).",
)
@click.option("--add", "add", multiple=True, metavar="GSS", help="Add an authority (repeatable).")
@click.option(
    "--remove", "remove", multiple=True, metavar="GSS", help="Remove an authority's draft."
)
@click.option("--test/--not-test", "test", default=None, help="Mark (or unmark) as a test.")
@click.option(
    "--by", "actor", default=lambda: os.environ.get("USER", "person"), help="Who decided."
)
def edit_command(
    slug: str,
    title: str | None,
    requester_name: str | None,
    reply_domain: str | None,
    template: Path | None,
    add: tuple[str, ...],
    remove: tuple[str, ...],
    test: bool | None,
    actor: str,
) -> None:
    """Change campaign SLUG before its letters go: the letter, requester, reply domain and
    authorities are fixed once any request is queued."""
    template_text = None
    if template is not None:
        try:
            template_text = template.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            raise CommandError(f"cannot read template {template}") from None
    open_database()
    from sightline.campaigns.service import edit_campaign, get_campaign

    changes = edit_campaign(
        get_campaign(slug),
        title=title,
        requester_name=requester_name,
        reply_domain=reply_domain,
        template=template_text,
        template_source=str(template) if template else "",
        test=test,
        add=[code.strip().upper() for code in add],
        remove=[code.strip().upper() for code in remove],
        actor=actor,
    )
    click.echo(f"Campaign {slug}: " + ("; ".join(changes) if changes else "nothing changed"))


@campaign_group.command("status")
@click.argument("slug")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def status_command(slug: str, as_json: bool) -> None:
    """Counts by state, overdue requests and every request's dates."""
    open_database()
    from sightline.campaigns.service import campaign_status, get_campaign

    status = campaign_status(get_campaign(slug))
    if as_json:
        click.echo(json.dumps(status, indent=2))
        return
    click.echo(f"{status['slug']}: {status['title']}")
    click.echo("  " + ", ".join(f"{state} {n}" for state, n in status["counts"].items()))
    if status["uncertain"]:
        click.echo(
            f"  may have gone, to settle: {status['uncertain']} message(s) "
            "(`sightline campaign uncertain " + status["slug"] + "`)"
        )
    if status["overdue"] or status["long_overdue"]:
        click.echo(
            f"  overdue: {len(status['overdue'])}, long overdue: {len(status['long_overdue'])}"
        )
    for row in status["requests"]:
        flag = {"overdue": " OVERDUE", "long_overdue": " LONG OVERDUE"}.get(
            row["deadline"] or "", ""
        )
        if row["uncertain"]:
            flag += " MAY HAVE GONE (settle " + ", ".join(map(str, row["uncertain"])) + ")"
        click.echo(
            f"  {row['reference']}  {row['state']:24} sent {row['sent_on'] or '-':10}  "
            f"due {row['due'] or '-':10}  last message {row['last_message_on'] or '-':10}  "
            f"{row['authority']}{flag}"
        )


@campaign_group.command("list")
def list_command() -> None:
    """List campaigns."""
    open_database()
    from sightline.campaigns.models import Campaign

    for campaign in Campaign.objects.order_by("slug"):
        click.echo(f"{campaign.slug:24} {campaign.requests.count():5} requests  {campaign.title}")


@campaign_group.command("send")
@click.argument("slug")
@click.option(
    "--smtp",
    "smtp_url",
    metavar="URL",
    help="smtp://host:port, smtp+starttls://user@host:port or smtps://...; also "
    "SIGHTLINE_SMTP_URL (password in SIGHTLINE_SMTP_PASSWORD).",
)
@click.option("--rate", type=click.IntRange(min=1), default=60, help="Messages per minute at most.")
@click.option("--attempts", type=click.IntRange(min=1), default=3, help="Tries per message now.")
@click.option(
    "--backoff",
    type=click.FloatRange(min=0),
    default=30.0,
    help="Seconds before the second try of a temporary failure (doubled after each).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=60.0,
    help="Seconds to wait for each answer of the SMTP server.",
)
@click.option("--queue-only", is_flag=True, help="Store the messages; let `sightline worker` send.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def send_command(
    ctx: click.Context,
    slug: str,
    smtp_url: str | None,
    rate: int,
    attempts: int,
    backoff: float,
    timeout: float,
    queue_only: bool,
    as_json: bool,
) -> None:
    """Send each draft request of campaign SLUG once, and retry what is waiting in its outbox.

    Every message is stored before it is tried and its result after, so running `send` again
    (or after a crash) never sends a message twice. A message that may have gone (the
    connection was lost after its content was handed over, or a run was interrupted) is never
    retried by itself: it is listed by `sightline campaign uncertain` and waits for
    `sightline campaign settle`. Exits 1 when a message was deferred or may have gone.
    """
    import dataclasses

    from sightline.cli.mail import print_send_report, sending_progress, smtp_settings

    settings = None if queue_only else smtp_settings(smtp_url)
    if settings is not None:
        settings = dataclasses.replace(settings, timeout=timeout)
    open_database()
    from sightline.campaigns.service import CampaignError, get_campaign
    from sightline.mail.outbox import (
        SendPolicy,
        SendReport,
        check_ready,
        queue_campaign,
        send_outbox,
        sendable,
        uncertain,
    )
    from sightline.mail.smtp import SmtpConnection, SmtpSetupError

    connection = SmtpConnection(settings) if settings is not None else None
    try:
        campaign = get_campaign(slug)
        check_ready(campaign)  # valid letters, every address: else nothing is stored
        if connection is not None:
            connection.check()  # the server answers: else nothing is stored
        queued = queue_campaign(campaign)
    except (CampaignError, SmtpSetupError) as error:
        if connection is not None:
            connection.close()
        raise CommandError(str(error)) from None
    earlier = [
        (m.pk, m.request.reference, unsettled_reason(m.status, m.smtp_answer))
        for m in uncertain(campaign)
    ]
    report = SendReport()
    if connection is not None:
        policy = SendPolicy(rate_per_minute=rate, attempts=attempts, backoff=backoff)
        waiting = sendable(campaign)
        with sending_progress(len(waiting)) as advance:
            send_outbox(waiting, connection, policy, report, advance)
    elif not as_json:
        click.echo(f"Queued {len(queued)} message(s); `sightline worker` will send them")
    unfinished = bool(report.deferred or report.uncertain)
    report.uncertain = earlier + report.uncertain
    print_send_report(report, as_json, queued=len(queued))
    if unfinished:
        ctx.exit(1)


def unsettled_reason(status: str, answer: str) -> str:
    if status == "sending":
        return "an attempt was interrupted before its result was recorded"
    return answer or "the connection was lost after the message was handed over"


@campaign_group.command("uncertain")
@click.argument("slug", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def uncertain_command(slug: str | None, as_json: bool) -> None:
    """Messages that may or may not have gone (of campaign SLUG, or of every campaign).

    Settle each with `sightline campaign settle NUMBER --went --on DATE` (it went that day: the
    statutory clock starts then) or `--send-again` (it did not go).
    """
    open_database()
    from django.utils import timezone

    from sightline.campaigns.service import get_campaign
    from sightline.mail.outbox import uncertain

    campaign = get_campaign(slug) if slug else None
    rows = [
        {
            "message": m.pk,
            "campaign": m.request.campaign.slug,
            "reference": m.request.reference,
            "kind": m.kind,
            "to": m.to,
            "message_id": m.message_id,
            "status": m.status,
            "attempted_at": m.attempted_at.isoformat() if m.attempted_at else None,
            "attempted_on": (
                timezone.localdate(m.attempted_at).isoformat() if m.attempted_at else None
            ),
            "reason": unsettled_reason(m.status, m.smtp_answer),
        }
        for m in uncertain(campaign)
    ]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo("No message waits to be settled.")
    for row in rows:
        click.echo(
            f"{row['message']:>6}  {row['reference']}  {row['kind']:15} tried "
            f"{row['attempted_on'] or '-'}  to {row['to']}: {row['reason']}"
        )


@campaign_group.command("settle")
@click.argument("message")
@click.option("--went", is_flag=True, help="It went (seen in the relay's log or a reply).")
@click.option(
    "--on",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="With --went: the day it went (YYYY-MM-DD); the statutory clock starts then.",
)
@click.option("--send-again", is_flag=True, help="It did not go: send it with the next run.")
@click.option(
    "--by", "actor", default=lambda: os.environ.get("USER", "person"), help="Who decided."
)
def settle_command(message: str, went: bool, on: object, send_again: bool, actor: str) -> None:
    """Settle one message that may have gone: MESSAGE is its number (from `campaign
    uncertain`) or its request's reference."""
    if went == send_again:
        raise CommandError("say what happened: give either --went --on DATE or --send-again")
    if went and on is None:
        raise CommandError("--went needs --on DATE, the day the message went")
    if send_again and on is not None:
        raise CommandError("--on goes with --went, not with --send-again")
    open_database()
    from sightline.mail.outbox import find_unsettled, settle_send_again, settle_went

    found = find_unsettled(message)
    if went:
        assert isinstance(on, datetime)
        settle_went(found, on.date(), actor)
    else:
        settle_send_again(found, actor)
    if went:
        found.request.refresh_from_db()
        due = found.request.due.isoformat() if found.request.due else "-"
        click.echo(
            f"Message {found.pk} ({found.request.reference}) recorded as sent on "
            f"{on.date().isoformat()}; due {due}"  # type: ignore[attr-defined]
        )
    else:
        click.echo(
            f"Message {found.pk} ({found.request.reference}) will be sent again by the next "
            f"`sightline campaign send {found.request.campaign.slug}`"
        )


def _request_event(reference: str, kind: str, actor: str, on: datetime | None, note: str) -> str:
    """Record one event of request REFERENCE through the campaigns module's single writer."""
    open_database()
    from django.utils import timezone

    from sightline.campaigns.service import get_request, record_event
    from sightline.lifecycle import EventKind

    at = None
    if on is not None:
        if on.date() > timezone.localdate():
            raise CommandError(f"{on.date().isoformat()} is in the future")
        at = timezone.make_aware(datetime.combine(on.date(), datetime.min.time().replace(hour=12)))
    request = get_request(reference)
    record_event(request, EventKind(kind), actor=actor, at=at, note=note)
    request.refresh_from_db()
    due = request.due.isoformat() if request.due else "-"
    return f"{request.reference} is {request.state}; due {due}"


_BY = click.option(
    "--by", "actor", default=lambda: os.environ.get("USER", "person"), help="Who recorded it."
)
_NOTE = click.option("--note", default="", help="A note for the timeline.")


@campaign_group.command("extend")
@click.argument("reference")
@_BY
@_NOTE
def extend_command(reference: str, actor: str, note: str) -> None:
    """Record that the authority extended the time limit of REFERENCE: to 40 working days
    under EIR and EISR reg.7(1), by 20 more under FOIA s.10(3) (the ICO's guidance); FOISA
    allows none."""
    click.echo(_request_event(reference, "due_extended", actor, None, note))


@campaign_group.command("clarified")
@click.argument("reference")
@click.option(
    "--on",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The day the clarification reached the authority (default today).",
)
@_BY
@_NOTE
def clarified_command(reference: str, on: datetime | None, actor: str, note: str) -> None:
    """Record that the requester answered the authority's request for clarification: the
    clock, stopped by that request, starts again from this day (FOIA s.1(3) and s.10(6)(b),
    FOISA s.1(3) and s.10(1)(b), EIR and EISR reg.9(4))."""
    click.echo(_request_event(reference, "clarified", actor, on, note))


@campaign_group.command("withdraw")
@click.argument("reference")
@click.option("--send", "send", is_flag=True, help="Send the withdrawal letter to the authority.")
@click.option("--smtp", "smtp_url", metavar="URL", help="As for send.")
@click.option("--mark", is_flag=True, help="Record that the letter went by other means.")
@_BY
def withdraw_command(
    reference: str, send: bool, smtp_url: str | None, mark: bool, actor: str
) -> None:
    """Withdraw request REFERENCE. A draft is withdrawn at once; a request the authority has
    received needs a letter: printed, sent with --send, or recorded with --mark."""
    open_database()
    from sightline.campaigns.service import get_request, record_event
    from sightline.lifecycle import EventKind, State
    from sightline.mail.chasing import queue_withdrawal, withdrawal_letter

    request = get_request(reference)
    if request.state == State.DRAFT.value:
        record_event(request, EventKind.WITHDRAWN, actor=actor, note="withdrawn before sending")
        click.echo(f"{request.reference} withdrawn before it was sent")
        return
    subject, body = withdrawal_letter(request)
    if send:
        from sightline.cli.requests import _send_now

        message = queue_withdrawal(request)
        _send_now(smtp_url, [message], False)
        return
    if mark:
        record_event(
            request,
            EventKind.WITHDRAWN,
            actor=actor,
            data={"kind": "withdrawal", "subject": subject, "body": body},
        )
        click.echo(f"Recorded the withdrawal of {request.reference}")
        return
    click.echo(f"Subject: {subject}\n\n{body}", nl=False)

"""``sightline chase``, ``followup`` and ``refile``: what to do after a request has gone."""

from __future__ import annotations

import json

import click

from sightline.cli.database import open_database

LETTER_KINDS = ["reminder", "internal-review", "complaint"]


def _send_now(smtp_url: str | None, messages: list, as_json: bool) -> None:  # type: ignore[type-arg]
    from sightline.cli.mail import print_send_report, smtp_settings
    from sightline.mail.outbox import SendPolicy, send_outbox
    from sightline.mail.smtp import SmtpConnection

    settings = smtp_settings(smtp_url)
    report = send_outbox(messages, SmtpConnection(settings), SendPolicy(backoff=5.0))
    print_send_report(report, as_json, queued=len(messages))


@click.command("chase")
@click.argument("slug")
@click.option("--send", "send", is_flag=True, help="Send the reminders (otherwise only list them).")
@click.option("--smtp", "smtp_url", metavar="URL", help="As for send.")
@click.option("--every", type=click.IntRange(min=1), default=7, help="Days between reminders.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def chase_command(slug: str, send: bool, smtp_url: str | None, every: int, as_json: bool) -> None:
    """List the reminders due today for campaign SLUG (overdue, none sent in --every days)."""
    if send:
        from sightline.cli.mail import smtp_settings

        smtp_settings(smtp_url)  # refuse a bad URL before storing anything
    open_database()
    from django.utils import timezone

    from sightline.campaigns.service import get_campaign
    from sightline.mail.chasing import queue_follow_up, reminders_due
    from sightline.mail.followups import LetterKind

    campaign = get_campaign(slug)
    due = reminders_due(campaign, timezone.localdate(), every)
    rows = [
        {
            "reference": d.request.reference,
            "authority": d.request.authority.name,
            "due": d.request.due.isoformat() if d.request.due else None,
            "deadline": d.deadline,
            "last_reminder": d.last_reminder.isoformat() if d.last_reminder else None,
            "to": d.request.authority.foi_email,
        }
        for d in due
    ]
    if send:
        messages = [queue_follow_up(d.request, LetterKind.REMINDER) for d in due]
        _send_now(smtp_url, messages, as_json)
        return
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo("No reminders due today.")
    for row in rows:
        click.echo(f"{row['reference']}  due {row['due']}  {row['deadline']:13} {row['authority']}")


@click.command("followup")
@click.argument("reference")
@click.option("--kind", type=click.Choice(LETTER_KINDS), required=True, help="Which letter.")
@click.option("--send", "send", is_flag=True, help="Send it (otherwise print it).")
@click.option("--to", default="", help="Address (required for a complaint to the regulator).")
@click.option("--smtp", "smtp_url", metavar="URL", help="As for send.")
@click.option(
    "--mark",
    is_flag=True,
    help="Record that the letter went by other means (e.g. the regulator's web form).",
)
def followup_command(
    reference: str, kind: str, send: bool, to: str, smtp_url: str | None, mark: bool
) -> None:
    """Print (or send) a reminder, internal review request or complaint for request REFERENCE."""
    open_database()
    from sightline.campaigns.service import (
        check_follow_up,
        get_request,
        record_event,
    )
    from sightline.lifecycle import FollowUp
    from sightline.mail.chasing import letter, queue_follow_up
    from sightline.mail.followups import LetterKind
    from sightline.mail.outbox import SENT_EVENTS

    letter_kind = LetterKind(kind)
    request = get_request(reference)
    check_follow_up(request, FollowUp(kind))  # only a letter the facts allow
    if send:
        from sightline.cli.mail import smtp_settings

        smtp_settings(smtp_url)
        message = queue_follow_up(request, letter_kind, to)
        _send_now(smtp_url, [message], False)
        return
    if mark:
        from sightline.mail.chasing import KIND_OF_LETTER

        subject, body = letter(request, letter_kind)
        record_event(
            request,
            SENT_EVENTS[KIND_OF_LETTER[letter_kind]],
            actor="person",
            data={"kind": kind, "subject": subject, "body": body, "to": to},
        )
        click.echo(f"Recorded the {kind} for {request.reference}")
        return
    subject, body = letter(request, letter_kind)
    click.echo(f"Subject: {subject}\n\n{body}", nl=False)


@click.command("refile")
@click.argument("reference")
@click.option("--email", default="", help="A new FOI address for the authority.")
def refile_command(reference: str, email: str) -> None:
    """Open a new request linked to failed request REFERENCE (send it with `campaign send`)."""
    open_database()
    from sightline.campaigns.operations import refile
    from sightline.campaigns.service import get_request

    new = refile(get_request(reference), email=email)
    click.echo(
        f"Re-filed {reference.upper()} as {new.reference} to {new.authority.name} "
        f"({new.authority.foi_email or 'no FOI address yet'}); send it with "
        f"`sightline campaign send {new.campaign.slug}`"
    )

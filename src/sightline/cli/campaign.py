"""``sightline campaign``: create a campaign and see where its requests stand."""

from __future__ import annotations

import json
from pathlib import Path

import click

from sightline.cli.database import open_database
from sightline.cli.errors import SightlineError


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
def create_command(
    slug: str,
    set_slug: str,
    template: Path,
    title: str,
    law: str,
    requester_name: str,
    reply_domain: str,
) -> None:
    """Create campaign SLUG with one draft request per authority in SET."""
    try:
        template_text = template.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SightlineError(f"cannot read template {template}: {error}") from None
    open_database()
    from sightline.authorities.registry import UnknownSetError
    from sightline.campaigns.service import CampaignError, create_campaign
    from sightline.letters import TemplateError

    try:
        campaign = create_campaign(
            slug,
            set_slug,
            template_text,
            title,
            law=law,
            requester_name=requester_name,
            reply_domain=reply_domain,
            template_source=str(template),
        )
    except (CampaignError, TemplateError, UnknownSetError) as error:
        raise SightlineError(str(error)) from None
    count = campaign.requests.count()
    click.echo(
        f"Created campaign {slug}: {count} requests ({set_slug}), references {campaign.reference_prefix}-0001..."
    )


@campaign_group.command("status")
@click.argument("slug")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def status_command(slug: str, as_json: bool) -> None:
    """Counts by state, overdue requests and every request's dates."""
    open_database()
    from sightline.campaigns.service import CampaignError, campaign_status, get_campaign

    try:
        status = campaign_status(get_campaign(slug))
    except CampaignError as error:
        raise SightlineError(str(error)) from None
    if as_json:
        click.echo(json.dumps(status, indent=2))
        return
    click.echo(f"{status['slug']}: {status['title']}")
    click.echo("  " + ", ".join(f"{state} {n}" for state, n in status["counts"].items()))
    if status["overdue"] or status["long_overdue"]:
        click.echo(
            f"  overdue: {len(status['overdue'])}, long overdue: {len(status['long_overdue'])}"
        )
    for row in status["requests"]:
        flag = {"overdue": " OVERDUE", "long_overdue": " LONG OVERDUE"}.get(
            row["deadline"] or "", ""
        )
        click.echo(
            f"  {row['reference']}  {row['state']:24} due {row['due'] or '-':10}  "
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
    envvar="SIGHTLINE_SMTP_URL",
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
@click.option("--queue-only", is_flag=True, help="Store the messages; let `sightline worker` send.")
@click.option(
    "--resend-uncertain",
    is_flag=True,
    help="Also send messages whose earlier attempt was interrupted (you checked they did not go).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def send_command(
    slug: str,
    smtp_url: str | None,
    rate: int,
    attempts: int,
    backoff: float,
    queue_only: bool,
    resend_uncertain: bool,
    as_json: bool,
) -> None:
    """Send each draft request of campaign SLUG once, and retry what is waiting in its outbox.

    Every message is stored before it is tried and its result after, so running `send` again
    (or after a crash) never sends a message twice.
    """
    from sightline.cli.mail import print_send_report, sending_progress, smtp_settings

    settings = None if queue_only else smtp_settings(smtp_url)
    open_database()
    from sightline.campaigns.service import CampaignError, get_campaign
    from sightline.mail.outbox import (
        SendPolicy,
        SendReport,
        queue_campaign,
        release_uncertain,
        send_outbox,
        sendable,
        uncertain,
    )
    from sightline.mail.smtp import SmtpConnection, SmtpSetupError

    try:
        campaign = get_campaign(slug)
        queued = queue_campaign(campaign)
    except CampaignError as error:
        raise SightlineError(str(error)) from None
    interrupted = uncertain(campaign)
    if resend_uncertain:
        release_uncertain(interrupted)
        interrupted = []
    report = SendReport(uncertain=[m.request.reference for m in interrupted])
    if settings is not None:
        policy = SendPolicy(rate_per_minute=rate, attempts=attempts, backoff=backoff)
        waiting = sendable(campaign)
        try:
            with sending_progress(len(waiting)) as advance:
                send_outbox(waiting, SmtpConnection(settings), policy, report, advance)
        except SmtpSetupError as error:
            raise SightlineError(str(error)) from None
    elif not as_json:
        click.echo(f"Queued {len(queued)} message(s); `sightline worker` will send them")
    print_send_report(report, as_json, queued=len(queued))

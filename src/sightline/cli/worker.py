"""``sightline worker``: the periodic jobs of a deployment (fetch mail, send, mark overdue)."""

from __future__ import annotations

import os
import time

import click

from sightline.cli.database import open_database


def run_once(echo: bool = True) -> dict[str, object]:
    from django.utils import timezone

    from sightline.campaigns.operations import mark_overdue
    from sightline.mail.outbox import SendPolicy, send_outbox, sendable

    done: dict[str, object] = {}
    imap_url = os.environ.get("SIGHTLINE_IMAP_URL")
    if imap_url:
        from sightline.mail.fetching import fetch_mailbox
        from sightline.mail.imap import ImapError, parse_imap_url

        try:
            settings = parse_imap_url(
                imap_url,
                os.environ.get("SIGHTLINE_IMAP_PASSWORD", ""),
                os.environ.get("SIGHTLINE_TLS_CA_FILE", ""),
            )
            done["fetched"] = fetch_mailbox(settings).as_json()
        except ImapError as error:  # a worker keeps going; the next round tries again
            click.echo(f"fetch failed: {error}", err=True)
    smtp_url = os.environ.get("SIGHTLINE_SMTP_URL")
    if smtp_url:
        from sightline.cli.mail import smtp_settings
        from sightline.mail.smtp import SmtpConnection, SmtpSetupError

        waiting = sendable(due_only=True)
        if waiting:
            try:
                report = send_outbox(waiting, SmtpConnection(smtp_settings(smtp_url)), SendPolicy())
                done["sent"] = report.as_json()
            except SmtpSetupError as error:  # the next round tries again
                click.echo(f"send failed: {error}", err=True)
    from sightline.campaigns.service import recompute_stale_due_dates

    # A bank holiday proclaimed since the due dates were worked out moves them.
    done["due_dates_recomputed"] = recompute_stale_due_dates()
    done["overdue"] = [
        {"reference": r, "deadline": s} for r, s in mark_overdue(timezone.localdate())
    ]
    if echo:
        parts = [f"{key}: {value}" for key, value in done.items()]
        click.echo(f"{timezone.now():%Y-%m-%d %H:%M:%S} " + "; ".join(parts))
    return done


@click.command("worker")
@click.option("--once", is_flag=True, help="Run each job once and stop.")
@click.option("--interval", type=click.IntRange(min=1), default=300, help="Seconds between rounds.")
def worker_command(once: bool, interval: int) -> None:
    """Fetch mail (SIGHTLINE_IMAP_URL), send the outbox (SIGHTLINE_SMTP_URL), mark overdue
    requests; every --interval seconds until stopped."""
    open_database()
    while True:
        run_once()
        if once:
            return
        time.sleep(interval)

"""``sightline worker``: runs the background tasks the web pages queue (sending, fetching mail,
extraction, building, exporting) and, every --interval seconds, the periodic jobs of a
deployment (fetch mail, send what is due, mark overdue requests). docs/worker.md."""

from __future__ import annotations

import time

import click

from sightline.cli.database import open_database


def run_once(echo: bool = True) -> dict[str, object]:
    """One round of the periodic jobs, in this process."""
    from django.utils import timezone

    from sightline.campaigns.operations import mark_overdue
    from sightline.config import settings
    from sightline.mail.outbox import SendPolicy, send_outbox, sendable

    current = settings()
    done: dict[str, object] = {}
    if current.imap_url:
        from sightline.mail.fetching import fetch_mailbox
        from sightline.mail.imap import ImapError, configured_imap

        try:
            done["fetched"] = fetch_mailbox(configured_imap()).as_json()
        except ImapError as error:  # a worker keeps going; the next round tries again
            click.echo(f"fetch failed: {error}", err=True)
    if current.smtp_url:
        from sightline.mail.smtp import SmtpConnection, SmtpSetupError, configured_smtp

        waiting = sendable(due_only=True)
        if waiting:
            try:
                report = send_outbox(waiting, SmtpConnection(configured_smtp()), SendPolicy())
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


def _queue_runner(poll: float, worker_id: str):  # type: ignore[no-untyped-def]
    """django-tasks' database worker, set to run every ready task and then return."""
    from django_tasks.base import DEFAULT_TASK_QUEUE_NAME
    from django_tasks_db.management.commands.db_worker import Worker

    return Worker(
        queue_names=[DEFAULT_TASK_QUEUE_NAME],
        interval=poll,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )


@click.command("worker")
@click.option(
    "--once", is_flag=True, help="Run the queued tasks and the periodic jobs once, then stop."
)
@click.option(
    "--interval",
    type=click.IntRange(min=1),
    default=300,
    show_default=True,
    help="Seconds between rounds of the periodic jobs.",
)
@click.option(
    "--poll",
    type=click.FloatRange(min=0.1),
    default=1.0,
    show_default=True,
    help="Seconds between looks at the task queue when it is empty.",
)
@click.option("--tasks-only", is_flag=True, help="Run queued tasks only, not the periodic jobs.")
def worker_command(once: bool, interval: int, poll: float, tasks_only: bool) -> None:
    """Run the tasks queued from the web interface (sending, fetching mail, reading replies,
    building and exporting findings) as they come, and every --interval seconds the periodic
    jobs: fetch mail (SIGHTLINE_IMAP_URL), send what is due (SIGHTLINE_SMTP_URL), mark overdue
    requests. Several workers may share one PostgreSQL database: each task runs once."""
    open_database()
    from sightline.tasks.models import Job
    from sightline.tasks.service import prune_rounds, recover_abandoned, start_job, unfinished
    from sightline.tasks.work import worker_name

    name = worker_name()
    for job in recover_abandoned(name.rpartition(":")[0]):
        click.echo(f"Task {job.pk}: {job.summary}", err=True)
    runner = _queue_runner(poll, name)
    runner.configure_signals()  # Ctrl-C or SIGTERM: finish the task under way, then stop
    click.echo(f"Worker {name} started (Ctrl-C to stop)", err=True)
    next_round = time.monotonic()
    try:
        while True:
            if not tasks_only and time.monotonic() >= next_round:
                if unfinished(Job.Kind.ROUND, None) is None:
                    start_job(Job.Kind.ROUND, None, "worker")
                    prune_rounds()
                next_round = time.monotonic() + interval
            runner.run()  # every ready task, then back here
            if once or not runner.running:
                return
            time.sleep(poll)
    finally:
        runner.reset_signals()

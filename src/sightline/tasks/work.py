"""What each kind of background job does, run by `sightline worker` (never inside a web request).

Every job is one django-tasks task, :func:`run_job`, given the number of its :class:`Job` row.
It reports progress on that row as it goes and ends with a sentence saying what came of it. An
error Sightline explains ends the job "failed" with that sentence; any other error too, with
the details written to a crash file (never shown in a page).
"""

from __future__ import annotations

import csv
import os
import socket
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from sightline.config import sightline_home
from sightline.errors import SightlineError
from sightline.tasks.models import Job
from sightline.webui.models import AuditEntry


class JobError(SightlineError, RuntimeError):
    pass


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def send(job: Job) -> tuple[str, list[str], dict[str, Any]]:
    """Send what waits in the campaign's outbox (at most once per message: the outbox claims
    each message before trying it, and a message that may have gone waits for a person)."""
    from sightline.mail.outbox import SendPolicy, send_outbox, sendable
    from sightline.mail.smtp import SmtpConnection, configured_smtp

    assert job.campaign is not None
    smtp = configured_smtp()
    waiting = sendable(job.campaign)
    total = len(waiting)
    job.report(0, total, "connecting to the SMTP server")
    connection = SmtpConnection(smtp)
    try:
        connection.check()  # a wrong host or port: say so, and nothing is tried
    except SightlineError:
        connection.close()
        raise
    tried = 0

    def progress() -> None:
        nonlocal tried
        tried += 1
        job.report(tried, total, f"{tried} of {total} messages tried")

    job.report(0, total, f"0 of {total} messages tried")
    report = send_outbox(waiting, connection, SendPolicy(attempts=1), progress=progress)
    summary = (
        f"Sent {len(report.sent)}; {len(report.deferred)} deferred, {len(report.failed)} failed"
        + (
            f"; {len(report.uncertain)} may have gone (settle each on the dashboard)."
            if report.uncertain
            else "."
        )
    )
    problems = [f"{reference}: {answer}" for reference, answer in report.failed]
    return summary, problems, report.as_json()


def fetch(job: Job) -> tuple[str, list[str], dict[str, Any]]:
    from sightline.mail.fetching import fetch_mailbox
    from sightline.mail.imap import configured_imap

    imap = configured_imap()
    job.report(0, None, f"fetching new mail from {imap.key}")
    try:
        report = fetch_mailbox(imap)
    except OSError as error:
        raise JobError("the mailbox could not be reached", detail=str(error)) from None
    summary = (
        f"{_plural(report.imported, 'new message', 'new messages')}: {report.matched} matched, "
        f"{report.unmatched} unmatched."
    )
    return summary, [], report.as_json()


def extract(job: Job) -> tuple[str, list[str], dict[str, Any]]:
    from sightline.review.service import extract_campaign

    assert job.campaign is not None
    job.report(0, None, "looking for replies not yet read")

    def progress(number: int, total: int) -> None:
        job.report(number, total, f"{number} of {total} replies read")

    report = extract_campaign(job.campaign, progress=progress)
    summary = (
        f"{_plural(report.messages, 'new reply', 'new replies')} read, "
        f"{_plural(report.facts, 'fact', 'facts')} waiting for review."
    )
    return summary, report.errors, {"messages": report.messages, "facts": report.facts}


def published_folder(slug: str) -> Path:
    return sightline_home() / "published" / slug


def build(job: Job) -> tuple[str, list[str], dict[str, Any]]:
    from sightline.findings.bundle import ReportInfo
    from sightline.review.publishing import build_campaign_bundle
    from sightline.review.service import method_info

    campaign = job.campaign
    assert campaign is not None
    job.report(0, 2, "reading the reviewed facts and the correspondence")
    info = ReportInfo(
        title=campaign.title,
        built_on=timezone.localdate(),
        method=method_info(campaign),
        first_published=campaign.first_published_on,
    )
    job.report(1, 2, "writing the report, the request pages, chart and data files")
    # refuses (a SightlineError, the task's stated reason) while redactions wait for review
    result = build_campaign_bundle(campaign, published_folder(campaign.slug), info)
    job.report(2, 2, "written")
    summary = (
        f"Published bundle built: {result.findings.sent} requests, "
        f"{result.findings.successful} answered."
    )
    return summary, [], {"sent": result.findings.sent, "successful": result.findings.successful}


def mark_published(job: Job) -> tuple[str, list[str], dict[str, Any]]:
    """Record that the findings went out on the day a person said so (``parameters["on"]``),
    after looking through the whole correspondence for personal data not yet proposed for
    redaction: a new proposal stops it, to be reviewed first."""
    import datetime as dt

    from sightline.review.publishing import request_records
    from sightline.review.redactions import refusal, scan
    from sightline.review.service import record_publication

    campaign = job.campaign
    assert campaign is not None
    day = dt.date.fromisoformat(str(job.parameters["on"]))
    job.report(0, 2, "looking through the correspondence for personal data")
    scan(campaign, request_records(campaign))
    reason = refusal(campaign)
    if reason:
        raise JobError(reason)
    job.report(1, 2, "recording the publication")
    if not record_publication(campaign, day):
        raise JobError(f"Already first published on {campaign.first_published_on}.")
    job.report(2, 2, "recorded")
    return f"Findings recorded as first published on {day}.", [], {"on": day.isoformat()}


def export_folder(slug: str) -> Path:
    return sightline_home() / "exports" / slug


def export(job: Job) -> tuple[str, list[str], dict[str, Any]]:
    """Each authority's coded answer as CSV (as `sightline code SLUG --csv`)."""
    from sightline.findings.coded import REQUIRED_COLUMNS
    from sightline.review.service import coded_responses

    campaign = job.campaign
    assert campaign is not None
    job.report(0, None, "reading the reviewed facts")
    responses = coded_responses(campaign)
    folder = export_folder(campaign.slug)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"coded-answers-{job.pk}.csv"
    with (folder / name).open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(REQUIRED_COLUMNS)
        for number, response in enumerate(responses, start=1):
            writer.writerow([response.value(column) for column in REQUIRED_COLUMNS])
            if number % 100 == 0:
                job.report(number, len(responses), f"{number} of {len(responses)} rows written")
    job.report(len(responses), len(responses), "written")
    summary = f"{_plural(len(responses), 'coded answer', 'coded answers')} exported."
    return summary, [], {"file": name, "rows": len(responses)}


def confirm_in_bulk(job: Job) -> tuple[str, list[str], dict[str, Any]]:
    """Confirm the facts a bulk preview counted (sightline.review.replies.bulk_confirm), each
    decision with its audit entry, all in one transaction: every one of them, or none."""
    from sightline.review.replies import bulk_confirm

    campaign = job.campaign
    assert campaign is not None
    threshold = float(job.parameters["threshold"])
    fingerprint = str(job.parameters["fingerprint"])
    # Progress inside the transaction would not be seen until it commits: it is said before.
    job.report(0, None, f"confirming the facts with a confidence of {threshold:.2f} or more")
    with transaction.atomic():
        # refuses (a ReviewError, the task's stated reason) when the facts changed
        made = bulk_confirm(campaign, threshold, fingerprint, job.requested_by)
        AuditEntry.objects.bulk_create(
            AuditEntry(
                user=job.requester,
                username=job.requested_by,
                action="review",
                target=f"fact {decision.fact_id}",
                detail={"decision": decision.decision, "bulk": threshold},
                address=job.requested_from,
            )
            for decision in made
        )
    job.report(len(made), len(made), f"{len(made)} of {len(made)} facts confirmed")
    summary = (
        f"{_plural(len(made), 'fact', 'facts')} with a confidence of {threshold:.2f} "
        "or more confirmed."
    )
    return summary, [], {"confirmed": len(made), "threshold": threshold}


def periodic_round(job: Job) -> tuple[str, list[str], dict[str, Any]]:
    """The worker's timer: fetch mail, send what is due, note overdue requests."""
    from sightline.cli.worker import run_once

    job.report(0, None, "fetching, sending and checking deadlines")
    done = run_once(echo=True)
    problems = [str(problem) for problem in done.pop("problems", [])]  # type: ignore[attr-defined]
    summary = "; ".join(f"{key}: {value}" for key, value in done.items())
    return summary, problems, done


HANDLERS: dict[str, Callable[[Job], tuple[str, list[str], dict[str, Any]]]] = {
    Job.Kind.SEND: send,
    Job.Kind.FETCH: fetch,
    Job.Kind.EXTRACT: extract,
    Job.Kind.BUILD: build,
    Job.Kind.PUBLISH: mark_published,
    Job.Kind.EXPORT: export,
    Job.Kind.BULK_CONFIRM: confirm_in_bulk,
    Job.Kind.ROUND: periodic_round,
}
AUDIT_ACTIONS = {
    Job.Kind.SEND: "send_outbox",
    Job.Kind.FETCH: "fetch_mail",
    Job.Kind.EXTRACT: "extract",
    Job.Kind.BUILD: "build_findings",
    Job.Kind.PUBLISH: "first_published",
    Job.Kind.EXPORT: "export_coded",
}


def _crash_file(text: str) -> Path | None:
    from sightline.cli.main import _crash_report

    return _crash_report(text)


@task()
def run_job(job_id: int) -> str:
    """Run job ``job_id`` once; the queue gives each task to one worker only."""
    job = Job.objects.select_related("campaign").get(pk=job_id)
    job.start(worker_name())
    try:
        summary, problems, result = HANDLERS[job.kind](job)
    except SightlineError as error:
        job.finish(Job.Outcome.FAILED, f"Stopped: {error.message}")
    except Exception:
        where = _crash_file(traceback.format_exc())
        saved = f"the details are in {where}" if where else "the details could not be saved"
        job.finish(Job.Outcome.FAILED, f"Stopped: Sightline stopped on an internal error; {saved}.")
    else:
        job.finish(Job.Outcome.DONE, summary, problems, result)
        action = AUDIT_ACTIONS.get(job.kind)
        if action:
            AuditEntry.objects.create(
                username=job.requested_by,
                action=action,
                target=job.campaign.slug if job.campaign else "",
                detail={"task": job.pk, **result},
            )
    return job.outcome

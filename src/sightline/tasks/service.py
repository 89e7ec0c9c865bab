"""Putting a job in the queue: what the web pages (and the worker's timer) call."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from sightline.campaigns.models import Campaign
from sightline.tasks.models import Job


@dataclass(frozen=True)
class Started:
    job: Job
    new: bool  # False: the same work was already waiting or running, and that job is given


def unfinished(kind: str, campaign: Campaign | None) -> Job | None:
    return Job.objects.filter(kind=kind, campaign=campaign, outcome="").order_by("id").first()


def start_job(
    kind: str,
    campaign: Campaign | None,
    requested_by: str,
    *,
    requester: Any = None,
    requested_from: str = "",
    parameters: dict[str, Any] | None = None,
) -> Started:
    """Queue ``kind`` of work for ``campaign`` unless the same is already queued or running.

    ``requester`` (an account) and ``requested_from`` (the client's address) are kept for the
    audit entries the task writes; ``parameters`` is what the work needs beyond the campaign.
    The job row and its task are stored in one transaction: a worker sees both or neither.
    """
    from sightline.tasks.work import run_job

    with transaction.atomic():
        waiting = unfinished(kind, campaign)
        if waiting is not None:
            return Started(waiting, new=False)
        job = Job.objects.create(
            kind=kind,
            campaign=campaign,
            requested_by=requested_by,
            requester=requester,
            requested_from=requested_from[:64],
            parameters=parameters or {},
        )
        result = run_job.enqueue(job.pk)
        job.task_id = str(result.id)
        job.save(update_fields=["task_id"])
    return Started(job, new=True)


KEEP_ROUNDS = 20


def prune_rounds(keep: int = KEEP_ROUNDS) -> int:
    """Forget all but the latest ``keep`` finished rounds of the worker's periodic jobs (one
    every five minutes would otherwise fill the task list); tasks people asked for stay."""
    from django_tasks_db.models import DBTaskResult

    finished = Job.objects.filter(kind=Job.Kind.ROUND).exclude(outcome="").order_by("-id")
    old = list(finished.values_list("pk", "task_id")[keep:])
    with transaction.atomic():
        DBTaskResult.objects.filter(id__in=[task for _, task in old if task]).delete()
        Job.objects.filter(pk__in=[pk for pk, _ in old]).delete()
    return len(old)


def _alive(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def recover_abandoned(host: str) -> list[Job]:
    """Jobs a worker on ``host`` started and can no longer finish (its process is gone): say so.

    They are never run again by themselves; a send that was cut short leaves its message
    "sending", which the dashboard lists for a person to settle.
    """
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    abandoned = []
    for job in Job.objects.filter(
        outcome="", started_at__isnull=False, worker__startswith=f"{host}:"
    ):
        pid = job.worker.rpartition(":")[2]
        if not pid.isdigit() or _alive(int(pid)):
            continue
        hint = (
            " (settle any message that may have gone on the dashboard)"
            if job.kind == Job.Kind.SEND
            else ""
        )
        job.finish(
            Job.Outcome.FAILED,
            f"Stopped: the worker {job.worker} ended before this task finished{hint}.",
        )
        DBTaskResult.objects.filter(id=job.task_id, status="RUNNING").update(
            status="FAILED", finished_at=timezone.now()
        )
        abandoned.append(job)
    return abandoned

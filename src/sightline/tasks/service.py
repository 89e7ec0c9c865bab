"""Putting a job in the queue: what the web pages (and the worker's timer) call."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from sightline.campaigns.models import Campaign
from sightline.tasks.models import Job


@dataclass(frozen=True)
class Started:
    job: Job
    new: bool  # False: the same work was already waiting or running, and that job is given


def unfinished(kind: str, campaign: Campaign | None) -> Job | None:
    return Job.objects.filter(kind=kind, campaign=campaign, outcome="").order_by("id").first()


def start_job(kind: str, campaign: Campaign | None, requested_by: str) -> Started:
    """Queue ``kind`` of work for ``campaign`` unless the same is already queued or running.

    The job row and its task are stored in one transaction: a worker sees both or neither.
    """
    from sightline.tasks.work import run_job

    with transaction.atomic():
        waiting = unfinished(kind, campaign)
        if waiting is not None:
            return Started(waiting, new=False)
        job = Job.objects.create(kind=kind, campaign=campaign, requested_by=requested_by)
        result = run_job.enqueue(job.pk)
        job.task_id = str(result.id)
        job.save(update_fields=["task_id"])
    return Started(job, new=True)

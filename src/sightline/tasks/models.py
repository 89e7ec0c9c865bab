"""One row per piece of background work a person (or the worker's timer) asked for.

The queue itself is django-tasks' database backend (its ``DBTaskResult`` rows); a :class:`Job`
says what the work is about, who asked, how far it has got and what came of it, in Sightline's
own words, for the task page.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone


class Job(models.Model):
    class Kind(models.TextChoices):
        SEND = "send", "Sending the outbox"
        FETCH = "fetch", "Fetching mail"
        EXTRACT = "extract", "Reading replies for facts"
        BUILD = "build", "Building the published findings"
        PUBLISH = "publish", "Recording the first publication"
        EXPORT = "export", "Exporting the coded answers"
        BULK_CONFIRM = "bulk_confirm", "Confirming the confident facts"
        ROUND = "round", "The worker's periodic jobs"

    class Outcome(models.TextChoices):
        NONE = "", "not finished"
        DONE = "done", "done"
        FAILED = "failed", "failed"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    campaign = models.ForeignKey(
        "campaigns.Campaign", null=True, blank=True, on_delete=models.CASCADE, related_name="jobs"
    )
    requested_by = models.CharField(max_length=150, blank=True)  # a user name, or "worker"
    # The account and client address that asked, for the audit entries a task writes itself.
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_from = models.CharField(max_length=64, blank=True)
    # What was asked, for kinds that take more than a campaign (a threshold, a fingerprint).
    parameters: models.JSONField[Any, Any] = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    task_id = models.CharField(max_length=64, blank=True, db_index=True)  # the queue's row
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    runs = models.PositiveIntegerField(default=0)  # times a worker started it: 1, never 2
    worker = models.CharField(max_length=100, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    step = models.CharField(max_length=200, blank=True)  # what it is doing now
    outcome = models.CharField(max_length=8, choices=Outcome.choices, blank=True, default="")
    summary = models.TextField(blank=True)  # one sentence: what came of it
    problems: models.JSONField[Any, Any] = models.JSONField(default=list, blank=True)
    result: models.JSONField[Any, Any] = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"task {self.pk}: {self.get_kind_display()}"

    @property
    def state(self) -> str:
        """queued, running, done or failed."""
        if self.outcome:
            return str(self.outcome)
        return "running" if self.started_at else "queued"

    @property
    def finished(self) -> bool:
        return bool(self.outcome)

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, round(100 * self.done / self.total))

    def start(self, worker: str) -> None:
        """Mark the job started by ``worker`` (``runs`` counts every start, for the record)."""
        Job.objects.filter(pk=self.pk).update(
            started_at=timezone.now(), worker=worker[:100], runs=F("runs") + 1
        )
        self.refresh_from_db(fields=["started_at", "worker", "runs"])

    def report(self, done: int, total: int | None, step: str) -> None:
        """Progress, committed at once so the task page shows it while the work goes on."""
        self.done, self.total, self.step = done, total, step[:200]
        self.save(update_fields=["done", "total", "step"])

    def finish(
        self,
        outcome: str,
        summary: str,
        problems: list[str] | None = None,
        result: dict[str, Any] | None = None,
    ) -> None:
        self.outcome, self.summary = outcome, summary
        self.problems = list(problems or [])[:200]
        self.result = result or {}
        self.finished_at = timezone.now()
        self.step = ""
        self.save(update_fields=["outcome", "summary", "problems", "result", "finished_at", "step"])

"""Background tasks in the browser: a button queues one (:func:`start`), its page follows it.

The task page reloads itself every few seconds while the task waits or runs (a meta refresh: no
script needed) and shows how far it has got, then what came of it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from sightline.campaigns.models import Campaign
from sightline.tasks.models import Job
from sightline.tasks.service import start_job
from sightline.webui import audit
from sightline.webui.middleware import DOWNLOAD_POLICY
from sightline.webui.roles import VIEW
from sightline.webui.views.common import actor, needs, page_of

REFRESH_SECONDS = 2


def start(
    request: HttpRequest,
    kind: str,
    campaign: Campaign | None,
    parameters: dict[str, Any] | None = None,
) -> HttpResponse:
    """Queue ``kind`` of work (the caller has checked the permission) and show its page."""
    started = start_job(
        kind,
        campaign,
        actor(request),
        requester=request.user if request.user.is_authenticated else None,
        requested_from=audit.client_address(request),
        parameters=parameters,
    )
    job = started.job
    if started.new:
        audit.record(request, f"queue_{kind}", campaign.slug if campaign else "", task=job.pk)
        messages.success(request, f"{job.get_kind_display()}: queued as task {job.pk}.")
    else:
        messages.info(request, f"{job.get_kind_display()} is already under way: task {job.pk}.")
    return redirect("webui:task", job_id=job.pk)


def _job(job_id: int) -> Job:
    job = Job.objects.select_related("campaign").filter(pk=job_id).first()
    if job is None:
        raise Http404("no such task")
    return job


@require_GET
@needs(VIEW)
def task_page(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(job_id)
    context = {
        "job": job,
        "campaign": job.campaign,
        "refresh": None if job.finished else REFRESH_SECONDS,
        "file": job.result.get("file") if job.kind == Job.Kind.EXPORT and job.finished else None,
    }
    return render(request, "webui/task.html", context)


@require_GET
@needs(VIEW)
def task_list(request: HttpRequest) -> HttpResponse:
    page = page_of(request, Job.objects.select_related("campaign").order_by("-id"), 50)
    running = any(not job.finished for job in page.object_list)
    return render(
        request,
        "webui/tasks.html",
        {"page": page, "refresh": REFRESH_SECONDS if running else None},
    )


@require_GET
@needs(VIEW)
def task_file(request: HttpRequest, job_id: int) -> HttpResponse:
    """The file an export task wrote (a CSV download, never shown inline)."""
    from sightline.tasks.work import export_folder

    job = _job(job_id)
    name = str(job.result.get("file", ""))
    if job.kind != Job.Kind.EXPORT or job.campaign is None or not name or "/" in name:
        raise Http404("this task wrote no file")
    path = export_folder(job.campaign.slug) / name
    if not path.is_file():
        raise Http404("the file is gone")
    response = FileResponse(
        path.open("rb"), content_type="text/csv; charset=utf-8", as_attachment=True, filename=name
    )
    response.headers["Content-Security-Policy"] = DOWNLOAD_POLICY
    return response

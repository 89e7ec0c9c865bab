"""Jobs queued and run: one at a time per kind and campaign, failures in Sightline's words."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from sightline.authorities.registry import load_builtin
from sightline.campaigns.service import create_campaign
from sightline.tasks.models import Job
from sightline.tasks.service import start_job
from sightline.tasks.work import run_job
from sightline.webui.models import AuditEntry
from sightline.webui.roles import set_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(db):
    load_builtin()
    return create_campaign(
        "cctv",
        "london-boroughs",
        "Dear {authority_name}, {reference}",
        "CCTV",
        requester_name="A. Researcher",
        reply_domain="replies.example.org",
    )


@pytest.fixture
def owner(django_user_model, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = django_user_model.objects.create_user(username="owner", password="x")
    set_role(user, "owner")
    client = Client()
    client.force_login(user)
    return client


def run(job: Job) -> Job:
    run_job.call(job.pk)
    job.refresh_from_db()
    return job


def test_the_same_work_is_not_queued_twice_while_it_waits(campaign):
    first = start_job(Job.Kind.EXTRACT, campaign, "ana")
    second = start_job(Job.Kind.EXTRACT, campaign, "ben")
    assert (first.new, second.new, second.job.pk) == (True, False, first.job.pk)
    other = start_job(Job.Kind.BUILD, campaign, "ben")
    assert other.new and other.job.pk != first.job.pk
    run(first.job)
    third = start_job(Job.Kind.EXTRACT, campaign, "ben")
    assert third.new and third.job.pk != first.job.pk


def test_sending_to_a_server_that_is_not_there_stops_in_our_words(campaign, monkeypatch):
    import socket

    with socket.socket() as probe:  # a loopback port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("SIGHTLINE_SMTP_URL", f"smtp://127.0.0.1:{port}")
    job = run(start_job(Job.Kind.SEND, campaign, "ana").job)
    assert job.state == "failed"
    assert job.summary.startswith("Stopped: ")
    assert "Traceback" not in job.summary and "Errno" not in job.summary
    assert not AuditEntry.objects.filter(action="send_outbox").exists()  # nothing was done


def test_an_internal_error_is_kept_in_a_crash_file(campaign, monkeypatch, sightline_home):
    from sightline.tasks import work

    def broken(job):
        raise ZeroDivisionError("a bug")

    monkeypatch.setitem(work.HANDLERS, Job.Kind.BUILD, broken)
    job = run(start_job(Job.Kind.BUILD, campaign, "ana").job)
    (crash,) = (sightline_home / "crashes").iterdir()
    assert job.summary == (
        f"Stopped: Sightline stopped on an internal error; the details are in {crash}."
    )
    assert "ZeroDivisionError: a bug" in crash.read_text()


def test_an_export_is_a_download_from_its_task_page(campaign, owner):
    response = owner.post(reverse("webui:export", args=[campaign.slug]))
    job = Job.objects.get()
    assert response["Location"] == reverse("webui:task", args=[job.pk])
    page = owner.get(response["Location"])
    assert b'http-equiv="refresh"' in page.content  # queued: the page reloads itself
    assert b"waiting for a worker" in page.content
    job = run(job)
    assert (job.state, job.summary) == ("done", "32 coded answers exported.")  # one per request
    page = owner.get(reverse("webui:task", args=[job.pk]))
    assert b'http-equiv="refresh"' not in page.content
    download = owner.get(reverse("webui:task_file", args=[job.pk]))
    assert download["Content-Disposition"] == f'attachment; filename="coded-answers-{job.pk}.csv"'
    rows = b"".join(download.streaming_content).decode().splitlines()
    assert rows[0].startswith("authority,group,outcome,") and len(rows) == 33
    assert AuditEntry.objects.filter(action="queue_export").count() == 1
    assert AuditEntry.objects.get(action="export_coded").username == "owner"


def test_a_viewer_sees_tasks_but_cannot_queue_them(campaign, django_user_model):
    viewer = django_user_model.objects.create_user(username="viewer", password="x")
    set_role(viewer, "viewer")
    client = Client()
    client.force_login(viewer)
    for name in ("build", "export", "extract", "send_outbox"):
        assert client.post(reverse(f"webui:{name}", args=[campaign.slug])).status_code == 403
    assert client.post(reverse("webui:fetch_mail")).status_code == 403
    assert not Job.objects.exists()
    job = start_job(Job.Kind.BUILD, campaign, "owner").job
    assert client.get(reverse("webui:task", args=[job.pk])).status_code == 200
    assert client.get(reverse("webui:tasks")).status_code == 200


def test_only_the_latest_rounds_of_the_periodic_jobs_are_kept(campaign):
    from django_tasks_db.models import DBTaskResult

    from sightline.tasks.service import prune_rounds

    rounds = [run(start_job(Job.Kind.ROUND, None, "worker").job) for _ in range(23)]
    asked = run(start_job(Job.Kind.BUILD, campaign, "ana").job)
    waiting = start_job(Job.Kind.ROUND, None, "worker").job
    assert prune_rounds(keep=20) == 3
    kept = set(Job.objects.values_list("pk", flat=True))
    assert kept == {r.pk for r in rounds[3:]} | {asked.pk, waiting.pk}
    assert DBTaskResult.objects.count() == 22


def test_a_task_whose_worker_died_is_marked_failed_not_run_again(campaign):
    import os
    import socket
    import subprocess

    from django_tasks_db.models import DBTaskResult

    from sightline.tasks.service import recover_abandoned

    dead = subprocess.Popen(["true"])  # a worker process that has ended
    dead.wait()
    host = socket.gethostname()
    job = start_job(Job.Kind.SEND, campaign, "ana").job
    job.start(f"{host}:{dead.pid}")
    DBTaskResult.objects.filter(id=job.task_id).update(status="RUNNING")
    alive = start_job(Job.Kind.BUILD, campaign, "ana").job
    alive.start(f"{host}:{os.getpid()}")  # this process: still running
    assert [j.pk for j in recover_abandoned(host)] == [job.pk]
    job.refresh_from_db()
    assert job.summary == (
        f"Stopped: the worker {host}:{dead.pid} ended before this task finished (settle any "
        "message that may have gone on the dashboard)."
    )
    assert DBTaskResult.objects.get(id=job.task_id).status == "FAILED"
    alive.refresh_from_db()
    assert alive.state == "running"

"""Two `sightline worker` processes on one database: every task runs exactly once.

Real processes on a real database: a fresh SQLite file, and a fresh database on the PostgreSQL
server that scripts/test starts (SIGHTLINE_TEST_POSTGRES_URL), where the queue's claim is
SELECT ... FOR UPDATE SKIP LOCKED. The tasks are queued only once both workers are polling, so
they compete for the same rows.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

pytestmark = pytest.mark.slow

TASKS = 120
QUEUE = """
from sightline.web.bootstrap import setup_django
setup_django()
from django.db import transaction
from sightline.campaigns.service import create_campaign
from sightline.tasks.models import Job
from sightline.tasks.work import run_job
campaign = create_campaign("cctv", "london-boroughs", "Dear {authority_name}, {reference}", "CCTV")
with transaction.atomic():  # all at once: both workers see the whole queue together
    for _ in range(%d):
        job = Job.objects.create(kind="export", campaign=campaign, requested_by="test")
        job.task_id = str(run_job.enqueue(job.pk).id)
        job.save(update_fields=["task_id"])
"""
COUNT = """
from sightline.web.bootstrap import setup_django
setup_django()
import json
from django_tasks_db.models import DBTaskResult
from sightline.tasks.models import Job
print(json.dumps({
    "jobs": [[j.runs, j.outcome, j.worker] for j in Job.objects.all()],
    "queue": [[r.status, r.worker_ids] for r in DBTaskResult.objects.all()],
}))
"""


def _sightline() -> str:
    beside_python = Path(sys.executable).parent / "sightline"
    found = str(beside_python) if beside_python.exists() else shutil.which("sightline")
    if found is None:
        pytest.skip("the sightline command is not installed (pip install -e .)")
    return found


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    """The environment of a fresh database of each kind (PostgreSQL: dropped afterwards)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIGHTLINE_")}
    env.pop("DATABASE_URL", None)
    env["SIGHTLINE_HOME"] = str(tmp_path / "home")
    if request.param == "sqlite":
        yield env
        return
    server = os.environ.get("SIGHTLINE_TEST_POSTGRES_URL")
    if not server:
        pytest.skip("no PostgreSQL server: SIGHTLINE_TEST_POSTGRES_URL is set by scripts/test")
    import psycopg

    name = f"sightline_workers_{secrets.token_hex(4)}"
    parts = urlsplit(server)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    try:
        yield env
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _python(code: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _wait_for_line(process: subprocess.Popen[str], start: str) -> str:
    assert process.stderr is not None
    for line in process.stderr:
        if line.startswith(start):
            return line
    raise AssertionError(f"the worker stopped before saying {start!r}")


def test_two_workers_run_each_task_once(database):
    import json

    sightline = _sightline()
    init = subprocess.run(
        [sightline, "init"], env=database, capture_output=True, text=True, timeout=300
    )
    assert init.returncode == 0, init.stderr
    command = [sightline, "worker", "--tasks-only", "--poll", "0.1"]
    workers = [
        subprocess.Popen(command, env=database, stderr=subprocess.PIPE, text=True) for _ in range(2)
    ]
    try:
        names = [_wait_for_line(w, "Worker ").split()[1] for w in workers]
        _python(QUEUE % TASKS, database)
        deadline = time.monotonic() + 600  # a bound on a stuck test, not a timing assertion
        while True:
            state = json.loads(_python(COUNT, database))
            if all(outcome for _, outcome, _ in state["jobs"]) or time.monotonic() > deadline:
                break
            time.sleep(1)
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            worker.communicate(timeout=60)  # reads what is left and closes the pipe
    assert [w.returncode for w in workers] == [0, 0]
    assert len(state["jobs"]) == TASKS
    assert {(runs, outcome) for runs, outcome, _ in state["jobs"]} == {(1, "done")}
    assert {status for status, _ in state["queue"]} == {"SUCCESSFUL"}
    assert {len(ids) for _, ids in state["queue"]} == {1}  # one claim each, never a second
    by_worker = {name: 0 for name in names}
    for _, _, worker in state["jobs"]:
        by_worker[worker] += 1
    assert sum(by_worker.values()) == TASKS and set(by_worker) == set(names)
    files = list((Path(database["SIGHTLINE_HOME"]) / "exports" / "cctv").iterdir())
    assert len(files) == TASKS
    print(f"tasks per worker: {sorted(by_worker.values())}")

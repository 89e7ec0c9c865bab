"""Long work off the request, in headless Chromium: sending the outbox, reading the replies for
facts and building the published findings are queued from the pages and done by a real
`sightline worker` process, while each task's page follows its progress (a meta refresh, no
script).

Everything runs as a deployment would: `sightline init`, `sightline serve` and `sightline worker`
as separate processes on one SQLite file, an SMTP server (aiosmtpd) on loopback that holds the
second message until the test lets it go (so the page can be seen part-way), and replies
imported with `sightline mail import`.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from email import message_from_bytes
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a-long-test-passphrase-7"
SETUP = """
import datetime as dt
from sightline.web.bootstrap import setup_django
setup_django()
from sightline.authorities.models import Authority, Contact
from sightline.authorities.registry import add_to_set
from sightline.campaigns.service import create_campaign
from sightline.mail.outbox import queue_campaign
codes = ["S12000049", "E09000007", "E09000012"]  # Glasgow, Camden, Hackney (built in)
add_to_set("trio", codes, title="Three councils")
for code in codes:
    Contact.objects.create(
        authority=Authority.objects.get(gss_code=code),
        email=f"foi@{code.lower()}.example",
        checked_on=dt.date(2021, 1, 1),
    )
campaign = create_campaign(
    "cctv", "trio",
    "Dear {authority_name},\\n\\nWhich companies made your CCTV cameras?\\n\\n"
    "{requester_name}\\nReference {reference}\\n",
    "CCTV vendors", requester_name="Alex Example", reply_domain="replies.example.org",
)
print(len(queue_campaign(campaign)))
"""
REPLY = "Thank you for your request.\n\nThe council owns 14 Hikvision cameras in the town centre.\n"


class GatedHandler:
    """Keeps every message; the second DATA is answered only once ``gate`` is set."""

    def __init__(self) -> None:
        self.received: list[bytes] = []
        self.gate = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if len(self.received) == 1:
            while not self.gate.is_set():
                await asyncio.sleep(0.05)
        self.received.append(bytes(envelope.content))
        return "250 2.0.0 Ok: queued"


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[GatedHandler, str]]:
    handler = GatedHandler()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, f"smtp://127.0.0.1:{port}"
    finally:
        handler.gate.set()
        controller.stop()


class Deployment:
    """`sightline` commands and long-running processes sharing one data folder."""

    def __init__(self, home: Path, smtp_url: str) -> None:
        beside_python = Path(sys.executable).parent / "sightline"
        found = str(beside_python) if beside_python.exists() else shutil.which("sightline")
        if found is None:
            pytest.skip("the sightline command is not installed (pip install -e .)")
        self.command = found
        self.home = home
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("SIGHTLINE_")}
        self.env.pop("DATABASE_URL", None)
        self.env.update(SIGHTLINE_HOME=str(home), SIGHTLINE_SMTP_URL=smtp_url)
        self.processes: list[tuple[subprocess.Popen[bytes], Any]] = []

    def run(self, *args: str, **env: str) -> str:
        done = subprocess.run(
            [self.command, *args],
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def python(self, code: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", code], env=self.env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def start(self, name: str, *args: str, ready: str) -> str:
        """Start ``sightline ARGS`` in the background; the first line of its log matching
        ``ready`` (a pattern)."""
        log_path = self.home.parent / f"{name}.log"
        log = log_path.open("wb")
        process = subprocess.Popen(
            [self.command, *args], env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        self.processes.append((process, log))
        deadline = time.monotonic() + 120  # a bound on a stuck start, not a timing assertion
        while time.monotonic() < deadline:
            found = re.search(ready, log_path.read_text("utf-8", "replace"))
            if found:
                return found.group(0)
            assert process.poll() is None, log_path.read_text("utf-8", "replace")
            time.sleep(0.1)
        raise AssertionError(f"{name} did not start: {log_path.read_text('utf-8', 'replace')}")

    def stop(self) -> list[int | None]:
        codes = []
        for process, log in self.processes:
            process.send_signal(signal.SIGTERM)
            try:
                codes.append(process.wait(timeout=60))
            except subprocess.TimeoutExpired:
                process.kill()
                codes.append(process.wait())
            log.close()
        self.processes.clear()
        return codes


@pytest.fixture
def deployment(tmp_path: Path, smtp: tuple[GatedHandler, str]) -> Iterator[Deployment]:
    made = Deployment(tmp_path / "home", smtp[1])
    try:
        yield made
    finally:
        made.stop()


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch, chromium: Any) -> Iterator[Any]:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
    with chromium() as launched:
        yield launched


def _reply_to(sent: bytes, number: int) -> bytes:
    """An authority's answer to one of the request e-mails the SMTP server received."""
    request = message_from_bytes(sent)
    reply = EmailMessage()
    reply["From"] = f"FOI Team <{request['To']}>"
    reply["To"] = request["Reply-To"]
    reply["Subject"] = f"Re: {request['Subject']}"
    reply["Date"] = "Tue, 12 Jan 2021 10:00:00 +0000"
    reply["Message-ID"] = f"<answer-{number}@council.example>"
    reply["In-Reply-To"] = request["Message-ID"]
    reply.set_content(REPLY)
    return bytes(reply)


def test_sending_extraction_and_building_run_in_the_worker_with_progress(browser, deployment, smtp):
    from playwright.sync_api import expect

    handler, _ = smtp
    deployment.run("init")
    assert deployment.python(SETUP).strip() == "3"  # three request e-mails in the outbox
    deployment.run("createuser", "owner", "--role", "owner", SIGHTLINE_PASSWORD=PASSWORD)
    address = deployment.start("serve", "serve", "--port", "0", ready=r"http://127\.0\.0\.1:\d+/")
    errors: list[str] = []
    context = browser.new_context()

    def guard(route: Any) -> None:
        if route.request.url.startswith(address):
            route.continue_()
        else:
            errors.append(f"off-site request: {route.request.url}")
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_default_timeout(60000)
    page.goto(address)
    page.fill("input[name=username]", "owner")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert page.url == f"{address}c/cctv/"

    # Sending: the request only queues the work; nothing goes until a worker takes it.
    with page.expect_navigation():
        page.click("button:text('Send the outbox now')")
    task_url = page.url
    assert re.fullmatch(rf"{re.escape(address)}tasks/\d+/", task_url)
    assert page.inner_text(".messages").startswith("Sending the outbox: queued as task ")
    assert page.inner_text("#task-state") == "queued"
    assert "waiting for a worker" in page.inner_text("#task-waiting")
    assert page.locator("meta[http-equiv=refresh]").count() == 1
    assert handler.received == []

    deployment.start("worker", "worker", "--tasks-only", "--poll", "0.2", ready=r"Worker \S+")
    # The server holds the second message: the page, reloading itself, shows one of three.
    expect(page.locator("#task-count")).to_have_text("1 of 3", timeout=60000)
    assert page.inner_text("#task-state") == "running"
    assert page.inner_text("#task-step") == "1 of 3 messages tried"
    assert page.get_attribute("#task-progress", "value") == "1"
    assert page.get_attribute("#task-progress", "max") == "3"
    assert len(handler.received) == 1
    handler.gate.set()
    expect(page.locator("#task")).to_have_attribute("data-state", "done", timeout=60000)
    assert page.inner_text("#task-summary") == "Sent 3; 0 deferred, 0 failed."
    assert page.inner_text("#task-count") == "3 of 3"
    assert page.locator("meta[http-equiv=refresh]").count() == 0  # finished: no more reloads
    assert len(handler.received) == 3

    # Two councils answer; the replies are imported as a person would.
    for number, sent in enumerate(handler.received[:2], start=1):
        (deployment.home.parent / f"reply-{number}.eml").write_bytes(_reply_to(sent, number))
    deployment.run(
        "mail",
        "import",
        str(deployment.home.parent / "reply-1.eml"),
        str(deployment.home.parent / "reply-2.eml"),
    )

    # Extraction: queued from the review page, done by the worker.
    page.goto(f"{address}c/cctv/review/")
    with page.expect_navigation():
        page.click("#extract")
    assert page.url != task_url and "/tasks/" in page.url
    expect(page.locator("#task")).to_have_attribute("data-state", "done", timeout=60000)
    assert page.inner_text("#task-count") == "2 of 2"
    summary = page.inner_text("#task-summary")
    assert re.fullmatch(r"2 new replies read, \d+ facts waiting for review\.", summary), summary
    with page.expect_navigation():
        page.click("#to-review")
    assert page.inner_text(".document mark")  # a fact with its evidence, ready to review

    # Building the published findings: also the worker's. The first try finds personal data in
    # the correspondence (the requester's name in the letters) and stops until it is reviewed.
    page.goto(f"{address}c/cctv/findings/")
    with page.expect_navigation():
        page.click("#build")
    expect(page.locator("#task")).to_have_attribute("data-state", "failed", timeout=60000)
    stopped = page.inner_text("#task-summary")
    assert stopped == (
        "Stopped: campaign cctv: 1 redaction proposal is not reviewed yet; review them with"
        " `sightline findings redactions cctv` (or on the campaign's Redactions page) before"
        " publishing"
    )
    page.goto(f"{address}c/cctv/redactions/")
    with page.expect_navigation():
        page.click("#accept-all")
    page.goto(f"{address}c/cctv/findings/")
    with page.expect_navigation():
        page.click("#build")
    expect(page.locator("#task")).to_have_attribute("data-state", "done", timeout=60000)
    assert page.inner_text("#task-summary") == "Published bundle built: 3 requests, 0 answered."
    assert page.inner_text("#task-count") == "2 of 2"
    assert (deployment.home / "published" / "cctv" / "index.html").is_file()

    # The list of tasks shows all four, newest first.
    page.goto(f"{address}tasks/")
    rows = page.locator("#task-table tbody tr")
    assert [rows.nth(n).get_attribute("data-state") for n in range(4)] == [
        "done",
        "failed",
        "done",
        "done",
    ]
    assert "Building the published findings" in rows.nth(0).inner_text()
    assert "Building the published findings" in rows.nth(1).inner_text()
    assert "Sending the outbox" in rows.nth(3).inner_text()
    context.close()
    assert errors == []
    assert deployment.stop() == [0, 0]  # serve, then the worker: both stop cleanly

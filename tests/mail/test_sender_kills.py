"""At most once under random kills: `sightline campaign send` is killed (SIGKILL) at random
moments while it sends to a real SMTP server (aiosmtpd), again and again.

After every kill, `campaign status --json` must account for every message the server kept: its
request is `sent`, or it lists the message as one that may have gone. Those are settled by the
truth (the server's record), and the next run carries on. At the end every request has gone
exactly once.
"""

from __future__ import annotations

import asyncio
import json
import random
import subprocess
import threading
import time
from collections import Counter
from datetime import date
from email import message_from_bytes
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from .conftest import TEMPLATE, free_port

pytestmark = pytest.mark.slow

TRIALS = 30
SETS = ("seed-52", "london-boroughs", "largest-cities")  # more are made if these run out


class SlowRecorder:
    """Keeps every message and answers after a short random pause, so a kill can land while
    the sender waits for the answer, just after it, or between two messages."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.references: list[str] = []
        self.changed = threading.Condition()

    async def handle_DATA(self, server, session, envelope):
        reference = message_from_bytes(envelope.content)["X-Sightline-Reference"]
        with self.changed:
            self.references.append(reference)
            self.changed.notify_all()
        await asyncio.sleep(self.rng.uniform(0, 0.04))
        return "250 2.0.0 Ok: queued"

    def wait_for(self, count: int, process: subprocess.Popen[bytes], limit: float) -> None:
        deadline = time.monotonic() + limit
        with self.changed:
            while len(self.references) < count and process.poll() is None:
                if time.monotonic() > deadline:
                    return
                self.changed.wait(0.05)


def _set_up(sightline, tmp_path: Path) -> None:
    assert sightline("init").returncode == 0
    codes: set[str] = set()
    for name in SETS:
        listed = sightline("authorities", "list", "--set", name, "--json")
        codes |= {row["gss_code"] for row in json.loads(listed.stdout)}
    contacts = tmp_path / "contacts.csv"
    contacts.write_text(
        "gss_code,email\n" + "".join(f"{c},foi-{c.lower()}@council.example.org\n" for c in codes)
    )
    assert sightline("contacts", "import", str(contacts)).returncode == 0
    template = tmp_path / "request.txt"
    template.write_text(TEMPLATE)
    for number, name in enumerate(SETS, start=1):
        _create(sightline, f"kills-{number}", name, template)


def _create(sightline, slug: str, set_name: str, template: Path) -> None:
    created = sightline(
        "campaign", "create", slug, "--set", set_name, "--template", str(template),
        "--title", "CCTV vendors", "--requester", "Alex Example",
        "--reply-domain", "replies.example.org",
    )  # fmt: skip
    assert created.returncode == 0, created.stderr


def _check_and_settle(sightline, slug: str, delivered: Counter[str]) -> tuple[int, int]:
    """Every message the server kept is accounted for; settle the listed ones by the truth.
    Returns (messages listed as uncertain, of which had gone)."""
    status = json.loads(sightline("campaign", "status", slug, "--json").stdout)
    listed = went = 0
    for row in status["requests"]:
        reference = row["reference"]
        assert delivered[reference] <= 1, f"{reference} delivered {delivered[reference]} times"
        if row["state"] == "sent":
            assert delivered[reference] == 1, f"{reference} is sent but never reached the server"
            assert not row["uncertain"]
        elif delivered[reference]:
            assert row["uncertain"], f"{reference} reached the server but is not listed"
        for number in row["uncertain"]:
            listed += 1
            if delivered[reference]:
                went += 1
                today = date.today().isoformat()
                settled = sightline("campaign", "settle", str(number), "--went", "--on", today)
            else:
                settled = sightline("campaign", "settle", str(number), "--send-again")
            assert settled.returncode == 0, settled.stderr
    assert status["uncertain"] == listed
    return listed, went


def test_random_kills_of_the_sender_never_send_twice_or_lose_a_message(sightline, tmp_path):
    _set_up(sightline, tmp_path)
    rng = random.Random(20261203)
    handler = SlowRecorder(seed=7)
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    url = f"smtp://127.0.0.1:{port}"
    kills = listed = went = requests = 0
    slugs = [f"kills-{n}" for n in range(1, len(SETS) + 1)]
    every = list(slugs)
    try:
        attempts = 0
        while kills < TRIALS:  # a run that ends before its kill is not a trial: try again
            attempts += 1
            assert attempts <= 3 * TRIALS, f"only {kills} of {attempts} runs could be killed"
            slug = slugs[0]
            target = len(handler.references) + rng.randint(0, 2)
            process = subprocess.Popen(
                sightline.command("campaign", "send", slug, "--smtp", url, "--json"),
                env=sightline.env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                if target == len(handler.references):  # kill at a random moment of the run
                    time.sleep(rng.uniform(0.2, 1.5))
                else:  # kill just after the server takes the target-th message
                    handler.wait_for(target, process, limit=60)
                    time.sleep(rng.uniform(0, 0.05))
            finally:
                if process.poll() is None:
                    process.kill()
                    kills += 1
                process.wait(timeout=30)
            delivered = Counter(handler.references)
            found, gone = _check_and_settle(sightline, slug, delivered)
            listed, went = listed + found, went + gone
            if process.returncode == 0:  # the run finished before the kill: the next campaign
                slugs.pop(0)
                if not slugs:  # a fast machine sent them all: another campaign to the same set
                    extra = f"kills-{len(every) + 1}"
                    _create(sightline, extra, SETS[0], tmp_path / "request.txt")
                    slugs.append(extra)
                    every.append(extra)
        for slug in every:
            final = sightline("campaign", "send", slug, "--smtp", url, "--json")
            assert final.returncode == 0, final.stderr
            status = json.loads(sightline("campaign", "status", slug, "--json").stdout)
            assert status["uncertain"] == 0
            assert set(status["counts"]) == {"sent"}
            requests += len(status["requests"])
    finally:
        controller.stop()
    delivered = Counter(handler.references)
    assert [ref for ref, n in delivered.items() if n > 1] == []  # no double send
    assert kills == TRIALS
    assert sorted(delivered) == sorted(set(delivered)) and len(delivered) == requests
    assert sum(delivered.values()) == requests  # every request of every campaign, once
    assert listed >= 1  # some kills landed while a message was in flight
    print(
        f"\n{kills} kills in {attempts} runs: {listed} message(s) listed as uncertain "
        f"({went} had gone), {sum(delivered.values())} delivered once each, none twice"
    )

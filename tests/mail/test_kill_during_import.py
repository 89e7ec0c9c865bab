"""A `mail import` killed at random moments, then run again: nothing lost, nothing twice."""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from .conftest import installed_sightline

pytestmark = [pytest.mark.slow]

MESSAGES = 600
KILLS = 8


def _maildir(folder: Path) -> list[bytes]:
    for sub in ("cur", "new", "tmp"):
        (folder / sub).mkdir(parents=True)
    raws = []
    for number in range(MESSAGES):
        raw = (
            f"From: officer{number % 7}@council{number % 13}.gov.uk\r\n"
            f"To: press@example.org\r\nSubject: Weekly news {number}\r\n"
            f"Message-ID: <news-{number}@council.gov.uk>\r\n"
            "Date: Thu, 26 Nov 2026 10:00:00 +0000\r\n\r\n"
            + f"Item {number}: the council's news this week.\r\n"
            * 40
        ).encode()
        (folder / "new" / f"{1795686000 + number}.M{number}P1.test").write_bytes(raw)
        raws.append(raw)
    return raws


def test_kill_at_random_points_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    """Each trial kills an import at a random point of its run (a fraction of how long a whole
    import takes on this machine now, so a fast machine is cut short as often as a slow one),
    then imports again: every message is stored exactly once, with its bytes."""
    executable = installed_sightline()
    folder = tmp_path / "Maildir"
    raws = _maildir(folder)
    digests = {hashlib.sha256(raw).hexdigest() for raw in raws}

    def sightline(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ, SIGHTLINE_HOME=str(home))
        env.pop("DATABASE_URL", None)
        return subprocess.run(
            [executable, *args], env=env, capture_output=True, text=True, timeout=300
        )

    template = tmp_path / "template"
    assert sightline(template, "init").returncode == 0
    measured = tmp_path / "measured"
    shutil.copytree(template, measured)
    started = time.monotonic()
    assert sightline(measured, "mail", "import", "--maildir", str(folder)).returncode == 0
    whole = time.monotonic() - started
    chance = random.Random(13)
    killed = attempts = 0
    while killed < KILLS:
        attempts += 1
        assert attempts <= 3 * KILLS, f"only {killed} of {attempts} imports could be cut short"
        home = tmp_path / f"trial-{attempts}"
        shutil.copytree(template, home)
        env = dict(os.environ, SIGHTLINE_HOME=str(home))
        env.pop("DATABASE_URL", None)
        child = subprocess.Popen(
            [executable, "mail", "import", "--maildir", str(folder)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(chance.uniform(0.05, 0.95) * whole)  # start-up, storing, parsing or rows
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
            killed += 1
        child.wait()
        finished = sightline(home, "mail", "import", "--maildir", str(folder), "--json")
        assert finished.returncode == 0, finished.stderr
        report = json.loads(finished.stdout)
        assert report["imported"] + report["duplicates"] == MESSAGES
        assert report["malformed"] == []
        listed = json.loads(sightline(home, "mail", "unmatched", "--json").stdout)
        stored = [message["sha256"] for message in listed]
        assert len(stored) == len(set(stored)) == MESSAGES  # every message once
        assert set(stored) == digests
        from sightline.mail.rawstore import RawStore

        store = RawStore(home / "mail" / "raw")
        assert sorted(store.get(sha) for sha in stored) == sorted(raws)
        count = store._db().execute("SELECT COUNT(*) FROM message").fetchone()[0]
        assert count == MESSAGES
        store.close()

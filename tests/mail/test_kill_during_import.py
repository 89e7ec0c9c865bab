"""A `mail import` killed at many random moments, again and again, then run to its end: nothing
lost, nothing twice, on SQLite and on PostgreSQL."""

from __future__ import annotations

import hashlib
import json
import os
import random
import secrets
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from .conftest import installed_sightline

pytestmark = [pytest.mark.slow]

MESSAGES = 600
KILLS = 25  # in all
AT_MOST = 6  # kills of one data folder's imports, one after another, before one runs to its end


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


class Databases:
    """A fresh database for each trial: a copy of a folder initialised once (SQLite), or a
    PostgreSQL database made from a template database initialised once."""

    def __init__(self, kind: str, root: Path, executable: str) -> None:
        self.kind, self.root, self.executable = kind, root, executable
        self.made: list[str] = []
        self.server = os.environ.get("SIGHTLINE_TEST_POSTGRES_URL", "")
        if kind == "postgresql" and not self.server:
            pytest.skip("no PostgreSQL server: SIGHTLINE_TEST_POSTGRES_URL is set by scripts/test")
        self.template = self._database() if kind == "postgresql" else ""
        self.template_home = root / "template"
        done = self.run(self.env(self.template_home, self.template), "init")
        assert done.returncode == 0, done.stderr

    def env(self, home: Path, database: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SIGHTLINE_")}
        env.pop("DATABASE_URL", None)
        env["SIGHTLINE_HOME"] = str(home)
        if database:
            env["DATABASE_URL"] = urlunsplit(urlsplit(self.server)._replace(path=f"/{database}"))
        return env

    def run(self, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [self.executable, *args], env=env, capture_output=True, text=True, timeout=600
        )

    def fresh(self, name: str) -> dict[str, str]:
        home = self.root / name
        shutil.copytree(self.template_home, home)
        return self.env(home, self._database(self.template) if self.template else "")

    def _admin(self) -> str:
        return urlunsplit(urlsplit(self.server)._replace(path="/postgres"))

    def _database(self, template: str = "") -> str:
        import psycopg

        name = f"sightline_kills_{secrets.token_hex(4)}"
        copy = f' TEMPLATE "{template}"' if template else ""
        with psycopg.connect(self._admin(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"{copy}')
        self.made.append(name)
        return name

    def drop(self) -> None:
        if not self.made:
            return
        import psycopg

        with psycopg.connect(self._admin(), autocommit=True) as connection:
            for name in reversed(self.made):
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def databases(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Databases]:
    made = Databases(request.param, tmp_path, installed_sightline())
    try:
        yield made
    finally:
        made.drop()


def test_kills_at_many_random_points_lose_and_duplicate_nothing(
    databases: Databases, tmp_path: Path
) -> None:
    """Imports of one maildir into a fresh data folder are killed one after another, each at a
    random point (after the command's start-up, a fraction of how long storing, parsing and
    writing rows take on this machine now, so a fast machine is cut short as often as a slow
    one; shorter when runs end first) until one runs to its end or a few were killed; then
    importing again completes it, and every message is stored exactly once, with its bytes. No
    kill is timed to anything the import says: the points fall where they fall."""
    folder = tmp_path / "Maildir"
    raws = _maildir(folder)
    digests = {hashlib.sha256(raw).hexdigest() for raw in raws}
    empty = tmp_path / "Empty"
    _ = [(empty / sub).mkdir(parents=True) for sub in ("cur", "new", "tmp")]

    # how long the command takes to start, and a whole import, on this machine now
    measured = databases.fresh("measured")
    started = time.monotonic()
    assert databases.run(measured, "mail", "import", "--maildir", str(empty)).returncode == 0
    start_up = time.monotonic() - started
    started = time.monotonic()
    assert databases.run(measured, "mail", "import", "--maildir", str(folder)).returncode == 0
    importing = max(time.monotonic() - started - start_up, 0.2)

    chance = random.Random(13)
    killed = trials = 0
    scale = 1.0  # less when runs end before their kill: the machine is quicker than measured
    while killed < KILLS:
        trials += 1
        assert trials <= 2 * KILLS, f"only {killed} imports of {trials} data folders were cut short"
        env = databases.fresh(f"trial-{trials}")
        for _ in range(AT_MOST):
            child = subprocess.Popen(
                [databases.executable, "mail", "import", "--maildir", str(folder)],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                child.wait(timeout=scale * (start_up + chance.uniform(0.0, 1.0) * importing))
            except subprocess.TimeoutExpired:
                child.send_signal(signal.SIGKILL)
                child.wait()
                killed += 1
                scale = min(1.0, scale * 1.1)
                continue
            scale *= 0.7  # it ran to its end first
            break
        # whatever the kills left, importing again completes it
        finished = databases.run(env, "mail", "import", "--maildir", str(folder), "--json")
        assert finished.returncode == 0, finished.stderr
        report = json.loads(finished.stdout)
        assert report["imported"] + report["duplicates"] == MESSAGES
        assert report["malformed"] == []
        listed = json.loads(databases.run(env, "mail", "unmatched", "--json").stdout)
        stored = [message["sha256"] for message in listed]
        assert len(stored) == len(set(stored)) == MESSAGES  # every message once
        assert set(stored) == digests
        from sightline.mail.rawstore import RawStore

        store = RawStore(Path(env["SIGHTLINE_HOME"]) / "mail" / "raw")
        assert sorted(store.get(sha) for sha in stored) == sorted(raws)
        count = store._db().execute("SELECT COUNT(*) FROM message").fetchone()[0]
        assert count == MESSAGES
        store.close()

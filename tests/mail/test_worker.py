"""``sightline worker --once``: one round of the periodic jobs against a real SMTP server."""

import datetime as dt

import pytest

from sightline.campaigns.models import Request, RequestEvent
from sightline.cli.worker import run_once

pytestmark = pytest.mark.django_db(transaction=True)


def test_one_round_sends_the_outbox_and_notes_overdue_requests(
    run, campaign, smtp_server, monkeypatch
):
    queued = run("campaign", "send", "cctv", "--queue-only")
    assert queued.exit_code == 0, queued.stderr
    assert smtp_server.handler.received == []
    monkeypatch.setenv("SIGHTLINE_SMTP_URL", smtp_server.url)
    done = run_once(echo=False)
    assert sorted(done["sent"]["sent"]) == sorted(r.reference for r in campaign.requests.all())
    assert len(smtp_server.handler.received) == 3
    assert done["overdue"] == []  # sent today
    # Months later nothing has come back: each request is noted overdue once, then long overdue.
    Request.objects.update(received_on=dt.date(2023, 4, 28), calendar_version="old")
    done = run_once(echo=False)
    assert done["due_dates_recomputed"] == 3
    assert Request.objects.filter(due=dt.date(2023, 5, 31)).count() == 3
    assert {item["deadline"] for item in done["overdue"]} == {"long_overdue"}
    assert run_once(echo=False)["overdue"] == []
    assert RequestEvent.objects.filter(actor="rule:deadline").count() == 3


def test_worker_once_command(run, campaign, smtp_server, monkeypatch):
    monkeypatch.setenv("SIGHTLINE_SMTP_URL", smtp_server.url)
    assert run("campaign", "send", "cctv", "--queue-only").exit_code == 0
    result = run("worker", "--once")
    assert result.exit_code == 0, result.stderr
    assert len(smtp_server.handler.received) == 3
    assert "due_dates_recomputed: 0" in result.stdout

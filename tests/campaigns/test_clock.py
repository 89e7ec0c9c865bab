"""The statutory clock of a request: extensions, clarifications, internal reviews, withdrawal,
all recorded through the campaigns module's one writer (`record_event`) and the CLI."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from click.testing import CliRunner

from sightline.campaigns.models import Request
from sightline.campaigns.service import campaign_status, create_campaign, record_event
from sightline.cli.main import cli
from sightline.lifecycle import EventKind, State

pytestmark = pytest.mark.django_db

TEMPLATE = "Dear {authority_name},\n\nPlease list your CCTV cameras.\n\n{requester_name}\n"


@pytest.fixture
def campaign(db):
    from sightline.authorities.registry import load_builtin

    load_builtin()
    return create_campaign(
        "clock", "seed-52", TEMPLATE, "Clock", requester_name="Alex Example",
        reply_domain="replies.example.org",
    )  # fmt: skip


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def sent(campaign, code: str, day: date) -> Request:
    request = campaign.requests.get(authority__gss_code=code)
    record_event(request, EventKind.QUEUED)
    record_event(request, EventKind.SENT, at=datetime(day.year, day.month, day.day, 9, tzinfo=UTC))
    request.refresh_from_db()
    return request


CAMDEN, GLASGOW = "E09000007", "S12000049"


def test_a_foia_extension_adds_twenty_working_days(campaign):
    request = sent(campaign, CAMDEN, date(2026, 3, 3))
    assert request.due == date(2026, 4, 1)  # 17 March (St Patrick's Day) is not a working day
    result = run("campaign", "extend", request.reference, "--note", "public interest test")
    assert (result.exit_code, result.stdout) == (
        0,
        f"{request.reference} is sent; due 2026-05-01\n",
    )
    again = run("campaign", "extend", request.reference)
    assert (again.exit_code, again.stderr) == (
        1,
        f"Error: {request.reference} was already extended\n",
    )


def test_foisa_allows_no_extension(campaign):
    request = sent(campaign, GLASGOW, date(2026, 3, 10))
    result = run("campaign", "extend", request.reference)
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: {request.reference} is under FOISA, which allows no extension of the time limit\n",
    )
    request.refresh_from_db()
    assert (request.extended, request.due) == (False, date(2026, 4, 8))


def test_a_clarification_stops_the_clock_and_the_answer_restarts_it(campaign):
    request = sent(campaign, CAMDEN, date(2026, 3, 3))
    record_event(
        request,
        EventKind.STATE_SET,
        State.CLARIFICATION_REQUESTED,
        actor="ann",
        at=datetime(2026, 3, 10, 10, tzinfo=UTC),
    )
    request.refresh_from_db()
    assert (request.clock_stopped_on, request.due) == (date(2026, 3, 10), None)
    rows = campaign_status(campaign, today=date(2026, 6, 1))["requests"]
    row = next(r for r in rows if r["reference"] == request.reference)
    assert (row["state"], row["due"], row["deadline"], row["clock_stopped_on"]) == (
        "clarification_requested",
        None,
        None,  # never overdue while the clock is stopped
        "2026-03-10",
    )
    early = run("campaign", "clarified", request.reference, "--on", "2099-01-01")
    assert early.stderr == "Error: 2099-01-01 is in the future\n"
    result = run("campaign", "clarified", request.reference, "--on", "2026-04-01")
    assert result.stdout == f"{request.reference} is sent; due 2026-05-01\n"
    request.refresh_from_db()
    assert (request.received_on, request.clock_stopped_on) == (date(2026, 4, 1), None)
    twice = run("campaign", "clarified", request.reference, "--on", "2026-04-02")
    assert twice.stderr == (f"Error: {request.reference} is sent: no clarification was asked for\n")


def test_an_internal_review_has_its_own_clock(campaign):
    glasgow = sent(campaign, GLASGOW, date(2026, 2, 2))
    record_event(glasgow, EventKind.STATE_SET, State.REFUSED, actor="ann")
    record_event(
        glasgow, EventKind.INTERNAL_REVIEW_REQUESTED, at=datetime(2026, 3, 10, 9, tzinfo=UTC)
    )
    glasgow.refresh_from_db()
    # FOISA s.21(1): 20 working days.
    assert (glasgow.review_requested_on, glasgow.review_due) == (
        date(2026, 3, 10),
        date(2026, 4, 8),
    )
    camden = sent(campaign, CAMDEN, date(2026, 2, 2))
    record_event(
        camden, EventKind.INTERNAL_REVIEW_REQUESTED, at=datetime(2026, 3, 10, 9, tzinfo=UTC)
    )
    camden.refresh_from_db()
    # The s.45 Code: 20 working days, not counting St Patrick's Day, Good Friday, Easter Monday.
    assert camden.review_due == date(2026, 4, 10)
    rows = {
        r["reference"]: r for r in campaign_status(campaign, today=date(2026, 4, 20))["requests"]
    }
    assert rows[glasgow.reference]["deadline"] == "long_overdue"  # FOISA: 20 at most
    assert rows[camden.reference]["deadline"] == "overdue"  # the Code allows up to 40
    assert rows[camden.reference]["review_due"] == "2026-04-10"
    in_time = campaign_status(campaign, today=date(2026, 4, 8))["requests"]
    assert {r["deadline"] for r in in_time if r["state"] == "internal_review"} == {"in_time"}


def test_an_eir_review_takes_forty_working_days(campaign):
    request = campaign.requests.get(authority__gss_code=CAMDEN)
    Request.objects.filter(pk=request.pk).update(law="eir")
    request = sent(campaign, CAMDEN, date(2026, 2, 2))
    record_event(
        request, EventKind.INTERNAL_REVIEW_REQUESTED, at=datetime(2026, 3, 10, 9, tzinfo=UTC)
    )
    request.refresh_from_db()
    assert request.review_due == date(2026, 5, 11)  # EIR reg.11(4)


def test_withdraw_a_draft_and_a_sent_request(campaign):
    draft = campaign.requests.get(authority__gss_code=GLASGOW)
    result = run("campaign", "withdraw", draft.reference)
    assert result.stdout == f"{draft.reference} withdrawn before it was sent\n"
    camden = sent(campaign, CAMDEN, date(2026, 3, 3))
    letter = run("campaign", "withdraw", camden.reference)
    assert letter.stdout.startswith(
        f"Subject: Withdrawn: Freedom of Information request: Clock [{camden.reference}]\n\n"
        "Dear London Borough of Camden,\n\nI withdraw my request for information under section 1 "
        "of the Freedom of Information Act 2000, sent on 3 March 2026"
    )
    camden.refresh_from_db()
    assert camden.state == "sent"  # printing the letter changes nothing
    marked = run("campaign", "withdraw", camden.reference, "--mark")
    assert marked.stdout == f"Recorded the withdrawal of {camden.reference}\n"
    camden.refresh_from_db()
    assert camden.state == "withdrawn"
    status = json.loads(run("campaign", "status", "clock", "--json").stdout)
    assert status["counts"]["withdrawn"] == 2

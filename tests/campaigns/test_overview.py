"""The dashboard's figures agree with campaign_status and with `sightline chase`."""

import datetime as dt

import pytest

from sightline.authorities.models import Contact
from sightline.authorities.registry import load_builtin
from sightline.campaigns.overview import (
    deadline_lists,
    filtered_requests,
    reminders_due_count,
    state_counts,
)
from sightline.campaigns.service import campaign_status, create_campaign, record_event
from sightline.lifecycle import EventKind, State
from sightline.mail.chasing import queue_follow_up, reminders_due
from sightline.mail.followups import LetterKind

pytestmark = pytest.mark.django_db

TODAY = dt.date(2021, 3, 1)


def sent_on(request, day):
    record_event(request, EventKind.QUEUED)
    record_event(request, EventKind.SENT, at=dt.datetime(*day, 9, tzinfo=dt.UTC))


@pytest.fixture
def campaign():
    load_builtin()
    made = create_campaign(
        "cctv",
        "london-boroughs",
        "Dear {authority_name}\n",
        "CCTV",
        requester_name="A. Researcher",
        reply_domain="replies.example.org",
    )
    requests = list(made.requests.order_by("reference"))
    for request in requests:
        Contact.objects.create(
            authority=request.authority, email="foi@a.example", checked_on=dt.date(2021, 1, 1)
        )
    for request in requests[:4]:
        sent_on(request, (2020, 12, 1))  # long overdue by 1 March 2021
    for request in requests[4:8]:
        sent_on(request, (2021, 1, 25))  # overdue (past the 20th working day, not the 40th)
    for request in requests[8:10]:
        sent_on(request, (2021, 2, 22))  # in time
    record_event(requests[0], EventKind.STATE_SET, state=State.ANSWERED)
    record_event(requests[4], EventKind.STATE_SET, state=State.ACKNOWLEDGED)
    return made


def test_counts_and_deadlines_match_campaign_status(campaign):
    status = campaign_status(campaign, TODAY)
    assert state_counts(campaign) == {"draft": 22, "sent": 8, "acknowledged": 1, "answered": 1}
    assert sorted(state_counts(campaign).items()) == sorted(status["counts"].items())
    lists = deadline_lists(campaign, TODAY)
    assert sorted(r.reference for r in lists.overdue) == status["overdue"]
    assert sorted(r.reference for r in lists.long_overdue) == status["long_overdue"]
    assert (lists.overdue_total, lists.long_overdue_total) == (4, 3)
    limited = deadline_lists(campaign, TODAY, limit=2)
    assert (len(limited.overdue), limited.overdue_total) == (2, 4)


def test_filtered_requests(campaign):
    found = filtered_requests(campaign, TODAY, deadline="long_overdue", sort="reference")
    assert [r.reference for r in found] == campaign_status(campaign, TODAY)["long_overdue"]
    assert filtered_requests(campaign, TODAY, state="answered").count() == 1
    assert filtered_requests(campaign, TODAY, deadline="in_time").count() == 2
    names = [r.authority.name for r in filtered_requests(campaign, TODAY, sort="authority")]
    assert names == sorted(names)
    newest = filtered_requests(campaign, TODAY, state="sent", sort="sent", descending=True)
    assert [r.sent_at for r in newest] == sorted((r.sent_at for r in newest), reverse=True)


def test_reminders_due_count_matches_chase(campaign):
    due = reminders_due(campaign, TODAY)
    assert reminders_due_count(campaign, TODAY) == len(due) == 7
    queue_follow_up(due[0].request, LetterKind.REMINDER)
    # Stored today (the real date, after TODAY): counted as recent from the real today only.
    today = dt.date.today()
    assert reminders_due_count(campaign, today) == len(reminders_due(campaign, today)) == 8


def test_deadline_filters_agree_with_each_request(campaign):
    """Requests received on 22 different days, two extended: the range filters give exactly the
    status deadline_status gives each request."""
    drafts = list(campaign.requests.filter(state="draft").order_by("reference"))
    for number, request in enumerate(drafts):
        day = dt.date(2020, 12, 14) + dt.timedelta(days=3 * number)
        sent_on(request, (day.year, day.month, day.day))
    for request in drafts[:2]:
        record_event(request, EventKind.DUE_EXTENDED)
    status = campaign_status(campaign, TODAY)
    for name in ("in_time", "overdue", "long_overdue"):
        expected = sorted(r["reference"] for r in status["requests"] if r["deadline"] == name)
        found = [r.reference for r in filtered_requests(campaign, TODAY, deadline=name)]
        assert found == expected, name
    assert sorted(r["deadline"] or "" for r in status["requests"]).count("in_time") > 0

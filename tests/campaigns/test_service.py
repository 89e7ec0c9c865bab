from datetime import UTC, date, datetime

import pytest

from sightline.authorities.registry import load_builtin
from sightline.campaigns.models import AppendOnlyError, Request, RequestEvent
from sightline.campaigns.service import (
    CampaignError,
    campaign_status,
    create_campaign,
    rebuild_state,
    recompute_stale_due_dates,
    record_event,
)
from sightline.letters import TemplateError
from sightline.lifecycle import EventKind, State, TransitionError

pytestmark = pytest.mark.django_db

TEMPLATE = "Dear {authority_name},\nUnder {law_section} of the {law_name}...\nRef {reference}\n"


@pytest.fixture
def campaign():
    load_builtin()
    return create_campaign("cctv-2026", "seed-52", TEMPLATE, "CCTV vendors")


def test_create_makes_one_draft_request_per_authority(campaign):
    requests = list(campaign.requests.select_related("authority"))
    assert len(requests) == 52
    assert campaign.reference_prefix == "CCTV2026"
    assert requests[0].reference == "CCTV2026-0001"
    laws = {r.authority.short_name: r.law for r in requests}
    assert laws["Glasgow City"] == "foisa"
    assert laws["Camden"] == "foia"
    assert {r.state for r in requests} == {"draft"}
    assert RequestEvent.objects.filter(kind="created").count() == 52


def test_eir_campaign_uses_eisr_in_scotland():
    load_builtin()
    campaign = create_campaign("env", "largest-cities", TEMPLATE, "Env", law="eir")
    laws = {r.authority.short_name: r.law for r in campaign.requests.select_related("authority")}
    assert (laws["City of Edinburgh"], laws["Leeds"]) == ("eisr", "eir")


@pytest.mark.parametrize(
    ("slug", "set_slug", "template", "message"),
    [
        (
            "Bad Slug",
            "seed-52",
            TEMPLATE,
            "campaign name 'Bad Slug' must be lower-case letters, digits and hyphens",
        ),
        ("cctv-2026", "seed-52", TEMPLATE, "campaign 'cctv-2026' already exists"),
    ],
)
def test_create_refuses_bad_names(campaign, slug, set_slug, template, message):
    with pytest.raises(CampaignError) as error:
        create_campaign(slug, set_slug, template, "t")
    assert str(error.value) == message


def test_create_refuses_unknown_placeholders():
    load_builtin()
    with pytest.raises(TemplateError) as error:
        create_campaign("x", "seed-52", "Dear {council}", "t")
    assert str(error.value).startswith("unknown placeholder(s) {council}; known: {authority_name}")


def test_events_drive_state_and_due_date(campaign):
    request = campaign.requests.get(reference="CCTV2026-0001")
    record_event(request, EventKind.QUEUED)
    record_event(request, EventKind.SENT, at=datetime(2021, 12, 17, 10, 0, tzinfo=UTC))
    request.refresh_from_db()
    assert (request.state, request.received_on, request.due) == (
        "sent",
        date(2021, 12, 17),
        date(2022, 1, 20),
    )
    assert request.due_basis["skipped"][0] == {
        "date": "2021-12-27",
        "reason": "Christmas Day (substitute day) (all UK nations)",
    }
    record_event(request, EventKind.STATE_SET, State.ACKNOWLEDGED, guess=True, actor="rule:ack")
    request.refresh_from_db()
    assert (request.state, request.state_is_guess) == ("acknowledged", True)
    with pytest.raises(TransitionError):
        record_event(request, EventKind.QUEUED)
    assert request.events.count() == 4  # the refused move left no event behind
    assert rebuild_state(request).state is State.ACKNOWLEDGED


def test_extension_moves_the_due_date(campaign):
    request = campaign.requests.first()
    record_event(request, EventKind.QUEUED)
    record_event(request, EventKind.SENT, at=datetime(2023, 4, 28, 9, 0, tzinfo=UTC))
    record_event(request, EventKind.DUE_EXTENDED, note="complex request, EIR reg.7(1)")
    request.refresh_from_db()
    assert (request.extended, request.due) == (True, date(2023, 6, 28))


def test_events_are_append_only(campaign):
    event = RequestEvent.objects.first()
    event.note = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_status_counts_and_overdue(campaign):
    sent = list(campaign.requests.order_by("reference")[:3])
    for request in sent:
        record_event(request, EventKind.QUEUED)
        record_event(request, EventKind.SENT, at=datetime(2023, 4, 28, 9, 0, tzinfo=UTC))
    record_event(sent[2], EventKind.STATE_SET, State.ANSWERED, actor="ann")
    status = campaign_status(campaign, today=date(2023, 6, 29))  # past the 40th working day
    assert status["counts"] == {"answered": 1, "draft": 49, "sent": 2}
    assert status["long_overdue"] == [sent[0].reference, sent[1].reference]
    first = status["requests"][0]
    assert first == {
        "reference": sent[0].reference,
        "gss_code": sent[0].authority.gss_code,
        "authority": sent[0].authority.name,
        "state": "sent",
        "sent_on": "2023-04-28",
        "due": "2023-05-31",
        "last_message_on": None,
        "deadline": "long_overdue",
        "review_due": None,
        "clock_stopped_on": None,
        "uncertain": [],
    }
    assert status["uncertain"] == 0
    assert campaign_status(campaign, today=date(2023, 6, 1))["overdue"] == [
        sent[0].reference,
        sent[1].reference,
    ]


def test_stale_due_dates_are_recomputed(campaign):
    request = campaign.requests.first()
    record_event(request, EventKind.QUEUED)
    record_event(request, EventKind.SENT, at=datetime(2023, 4, 28, 9, 0, tzinfo=UTC))
    Request.objects.filter(pk=request.pk).update(calendar_version="old", due=date(2023, 5, 30))
    assert recompute_stale_due_dates() == 1
    request.refresh_from_db()
    assert request.due == date(2023, 5, 31)
    assert recompute_stale_due_dates() == 0

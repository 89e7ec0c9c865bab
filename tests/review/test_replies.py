"""Review at campaign scale: a reply's facts decided together, the queue by doubt, and bulk
confirmation of confident facts after a sample."""

import datetime as dt

import pytest

from sightline.authorities.registry import load_builtin
from sightline.campaigns.service import create_campaign, record_event
from sightline.facts import Evidence, Extraction, Fact
from sightline.lifecycle import EventKind
from sightline.mail.models import IncomingMessage, MessageLink
from sightline.review.models import ReviewDecision, StoredFact
from sightline.review.replies import (
    FactDecision,
    ReplyKey,
    ReplyReviewError,
    bulk_confirm,
    bulk_preview,
    confirm_reply,
    decide_reply,
    next_reply,
    pending_replies,
    reply_queue,
    value_text,
)
from sightline.review.service import ReviewError, store_extraction
from sightline.review.workflow import pending_queue, review

pytestmark = pytest.mark.django_db


def fact(field, value, confidence, vendor="", quote="quoted"):
    return Fact(field, value, [Evidence(quote, "body")], f"{field}.rule", confidence, vendor)


def reply(request, number, facts, day=12):
    message = IncomingMessage.objects.create(
        sha256=f"{request.pk:032d}{number:032d}",
        source="test",
        size=1,
        subject=f"Reply {number} [{request.reference}]",
        date=dt.datetime(2021, 1, day, 10, tzinfo=dt.UTC),
    )
    MessageLink.objects.create(message=message, request=request, method="address")
    store_extraction(request, message, Extraction("t", facts), message.subject)
    return ReplyKey(request.pk, message.pk)


@pytest.fixture
def campaign():
    load_builtin()
    made = create_campaign("cctv", "london-boroughs", "Dear {authority_name}\n", "CCTV")
    for request in made.requests.order_by("reference")[:3]:
        record_event(request, EventKind.QUEUED)
        record_event(request, EventKind.SENT, at=dt.datetime(2021, 1, 4, 9, tzinfo=dt.UTC))
    return made


def requests_of(campaign):
    return list(campaign.requests.order_by("reference")[:3])


def typical_reply(request, number=1):
    return reply(
        request,
        number,
        [
            fact("status", "answered", 0.95),
            fact("owned", "yes", 0.9, "hikvision", "owns Hikvision cameras"),
            fact("count", 14, 0.6, "hikvision", "14 Hikvision cameras"),
            fact("owned", "no", 0.85, "dahua", "no Dahua equipment"),
            fact("device_types", ["camera", "nvr"], 0.7, "hikvision"),
        ],
    )


def test_a_reply_is_decided_in_one_transaction(campaign):
    first, _, _ = requests_of(campaign)
    key = typical_reply(first)
    facts = {(f.field, f.vendor): f for f in StoredFact.objects.filter(request=first)}
    decisions = [
        FactDecision(facts["status", ""].pk, "confirm", "answered"),
        FactDecision(facts["owned", "hikvision"].pk, "confirm", "yes"),
        # A changed value under the default "confirm" is a correction.
        FactDecision(facts["count", "hikvision"].pk, "confirm", "15", "counted twice"),
        FactDecision(facts["owned", "dahua"].pk, "reject"),
        FactDecision(facts["device_types", "hikvision"].pk, "skip", "camera, nvr"),
    ]
    outcome = decide_reply(key, decisions, "ann")
    assert [(d.decision, d.value) for d in outcome.made] == [
        ("confirm", None),
        ("confirm", None),
        ("correct", 15),
        ("reject", None),
    ]
    assert outcome.skipped == 1
    stored = {(f.field, f.vendor): (f.status, f.final_value) for f in first.facts.all()}
    assert stored == {
        ("status", ""): ("confirmed", "answered"),
        ("owned", "hikvision"): ("confirmed", "yes"),
        ("count", "hikvision"): ("corrected", 15),
        ("owned", "dahua"): ("rejected", "no"),
        ("device_types", "hikvision"): ("pending", ["camera", "nvr"]),
    }
    first.refresh_from_db()
    assert first.state == "answered"  # the confirmed status of the reply moves the request
    assert ReviewDecision.objects.get(fact=facts["count", "hikvision"]).note == "counted twice"


def test_one_bad_decision_records_none(campaign):
    first, second, _ = requests_of(campaign)
    key = typical_reply(first)
    other = typical_reply(second)
    facts = {(f.field, f.vendor): f for f in StoredFact.objects.filter(request=first)}
    stranger = StoredFact.objects.filter(request=second).first()
    decisions = [
        FactDecision(facts["status", ""].pk, "confirm", "answered"),
        FactDecision(facts["owned", "hikvision"].pk, "correct", "perhaps"),
        FactDecision(facts["count", "hikvision"].pk, "correct", "many"),
        FactDecision(stranger.pk, "confirm"),
    ]
    with pytest.raises(ReplyReviewError) as raised:
        decide_reply(key, decisions, "ann")
    assert raised.value.problems == {
        facts["owned", "hikvision"].pk: "owned must be one of yes, no, unknown, unstated, "
        "not 'perhaps'",
        facts["count", "hikvision"].pk: "count must be a whole number or 'none', not 'many'",
        stranger.pk: "is not a fact of this reply",
    }
    assert ReviewDecision.objects.count() == 0
    assert set(StoredFact.objects.values_list("status", flat=True)) == {"pending"}
    assert other != key


def test_confirm_reply_leaves_a_dispute_to_a_third_reviewer(campaign):
    first, _, _ = requests_of(campaign)
    key = typical_reply(first)
    count = StoredFact.objects.get(request=first, field="count")
    review(count, "confirm", "ann")
    review(count, "reject", "bob")  # ann and bob disagree: pending again
    outcome = confirm_reply(key, "ann")
    assert (len(outcome.made), outcome.skipped) == (4, 1)
    count.refresh_from_db()
    assert count.status == "pending"
    with pytest.raises(ReplyReviewError) as raised:
        decide_reply(key, [FactDecision(count.pk, "confirm")], "bob")
    assert raised.value.problems == {
        count.pk: "ann and bob disagree on it: a third reviewer decides it"
    }
    # A decided fact cannot be decided again through the reply.
    status = StoredFact.objects.get(request=first, field="status")
    with pytest.raises(ReplyReviewError) as raised:
        decide_reply(key, [FactDecision(status.pk, "reject")], "cy")
    assert raised.value.problems == {status.pk: "was already decided (confirmed)"}
    assert [d.decision for d in confirm_reply(key, "cy").made] == ["confirm"]


def test_queues_put_disagreement_then_the_least_certain_first(campaign):
    first, second, third = requests_of(campaign)
    sure = reply(first, 1, [fact("status", "answered", 0.95), fact("owned", "yes", 0.9, "dahua")])
    doubtful = reply(second, 1, [fact("status", "refused", 0.4)])
    disputed = reply(third, 1, [fact("status", "answered", 0.99)])
    top = StoredFact.objects.get(request=third)
    review(top, "confirm", "ann")
    review(top, "reject", "bob")
    queue = reply_queue(campaign)
    assert [(r.key, r.pending, r.disputed) for r in queue] == [
        (disputed, 1, True),
        (doubtful, 1, False),
        (sure, 2, False),
    ]
    assert queue[2].lowest_confidence == 0.9
    assert queue[0].subject == f"Reply 1 [{third.reference}]"
    assert [f.request_id for f in pending_queue(campaign)] == [
        third.pk,
        second.pk,
        first.pk,
        first.pk,
    ]
    assert next_reply(campaign) == disputed
    assert next_reply(campaign, after=disputed) == doubtful


def test_pending_replies_of_a_request(campaign):
    first, _, _ = requests_of(campaign)
    assert pending_replies(first) == []
    one = typical_reply(first, 1)
    two = reply(first, 2, [fact("status", "answered", 0.9)], day=20)
    assert pending_replies(first) == [one, two]
    confirm_reply(one, "ann")
    assert pending_replies(first) == [two]


def test_value_text_reads_back_as_the_proposed_value(campaign):
    first, _, _ = requests_of(campaign)
    reply(
        first,
        1,
        [
            fact("count", None, 0.5, "dahua"),
            fact("hikvision_or_dahua_unspecified", True, 0.5),
            fact("device_types", ["camera", "nvr"], 0.5),
            fact("count", 14, 0.5, "hikvision"),
        ],
    )
    texts = [value_text(f) for f in StoredFact.objects.filter(request=first).order_by("id")]
    assert texts == ["", "true", "camera, nvr", "14"]


def test_bulk_confirmation_confirms_exactly_what_the_preview_counted(campaign):
    first, second, third = requests_of(campaign)
    typical_reply(first)
    typical_reply(second)
    disputed = StoredFact.objects.get(request=second, field="status")
    review(disputed, "confirm", "ann")
    review(disputed, "reject", "bob")
    preview = bulk_preview(campaign, 0.85, sample_size=3)
    # status, owned hikvision and owned dahua of the first; the second's two owned facts.
    assert preview.count == 5
    assert preview.by_field == {"owned": 4, "status": 1}
    candidates = StoredFact.objects.filter(confidence__gte=0.85).exclude(pk=disputed.pk)
    assert len(preview.sample) == 3 and set(preview.sample) <= set(candidates)
    assert bulk_preview(campaign, 0.85, sample_size=3).sample == preview.sample  # stable
    # A new fact above the threshold since the preview: nothing is confirmed.
    reply(third, 1, [fact("status", "answered", 0.99)])
    with pytest.raises(ReviewError) as raised:
        bulk_confirm(campaign, 0.85, preview.fingerprint, "cy")
    assert "changed since the sample was shown" in raised.value.message
    assert ReviewDecision.objects.filter(reviewer="cy").count() == 0
    fresh = bulk_preview(campaign, 0.85)
    made = bulk_confirm(campaign, 0.85, fresh.fingerprint, "cy")
    assert len(made) == 6
    assert {f.status for f in StoredFact.objects.filter(confidence__gte=0.85)} == {
        "confirmed",
        "pending",  # the disputed one
    }
    disputed.refresh_from_db()
    assert disputed.status == "pending"
    assert {(d.reviewer, d.decision) for d in made} == {("cy", "confirm")}
    assert all(f.final_value == f.value for f in StoredFact.objects.filter(status="confirmed"))
    first.refresh_from_db()
    third.refresh_from_db()
    # A confirmed status moves its request, as when it is confirmed on its own.
    assert (first.state, third.state) == ("answered", "answered")
    assert StoredFact.objects.filter(confidence__lt=0.85, status="pending").count() == 4
    with pytest.raises(ReviewError) as raised:
        bulk_preview(campaign, 1.5)
    assert raised.value.message == "the confidence threshold must be between 0 and 1"

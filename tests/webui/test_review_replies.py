"""Review one reply at a time and bulk confirmation, through the Django test client."""

import pytest
from django.urls import reverse

from sightline.review.models import ReviewDecision, StoredFact
from sightline.review.workflow import review
from sightline.webui.models import AuditEntry

pytestmark = pytest.mark.django_db


def reply_url(answered, name="webui:review_reply"):
    message = answered.messages.first().pk
    return reverse(name, args=[answered.campaign.slug, answered.reference, message])


def facts_of(answered):
    return {f.field: f for f in StoredFact.objects.filter(request=answered)}


def test_the_reply_page_shows_every_fact_and_marks_every_quote(client_for, answered):
    page = client_for("viewer").get(reply_url(answered))
    assert page.status_code == 200
    assert [row["fact"].field for row in page.context["rows"]] == ["owned", "count"]
    html = page.content.decode()
    facts = facts_of(answered)
    # The two quotes overlap: the first found is marked and names both facts.
    assert (
        f'<mark data-facts="{facts["owned"].pk} {facts["count"].pk}">owns 14 Hikvision cameras'
        "</mark>" in html
    )
    assert 'id="reply-form"' not in html  # a viewer sees, and cannot decide
    assert client_for("reviewer").get(reply_url(answered)).context["decidable"]


def test_one_post_decides_the_whole_reply_and_audits_each_decision(client_for, answered):
    facts = facts_of(answered)
    owned, count = facts["owned"].pk, facts["count"].pk
    response = client_for("reviewer").post(
        reply_url(answered, "webui:decide_reply"),
        {
            "fact": [owned, count],
            f"decision-{owned}": "confirm",
            f"value-{owned}": "yes",
            f"decision-{count}": "confirm",
            f"value-{count}": "15",
            f"note-{count}": "the table says 15",
        },
        follow=True,
    )
    assert response.redirect_chain == [
        (reverse("webui:review_replies", args=[answered.campaign.slug]), 302)
    ]
    assert [str(m) for m in response.context["messages"]] == [
        f"{answered.reference}: 1 confirmed, 1 corrected, 0 rejected."
    ]
    stored = {f.field: (f.status, f.final_value) for f in StoredFact.objects.all()}
    assert stored == {"owned": ("confirmed", "yes"), "count": ("corrected", 15)}
    entries = AuditEntry.objects.filter(action="review").order_by("id")
    assert [(e.username, e.target, e.detail["decision"]) for e in entries] == [
        ("reviewer", f"fact {owned}", "confirm"),
        ("reviewer", f"fact {count}", "correct"),
    ]
    assert entries[1].detail["value"] == 15
    assert response.context["total"] == 0


def test_a_wrong_value_records_nothing_and_shows_beside_its_fact(client_for, answered):
    facts = facts_of(answered)
    owned, count = facts["owned"].pk, facts["count"].pk
    response = client_for("owner").post(
        reply_url(answered, "webui:decide_reply"),
        {
            "fact": [owned, count],
            f"decision-{owned}": "reject",
            f"decision-{count}": "correct",
            f"value-{count}": "lots",
        },
    )
    assert response.status_code == 200
    rows = {row["fact"].pk: row for row in response.context["rows"]}
    assert rows[count]["problem"] == "count must be a whole number or 'none', not 'lots'"
    assert rows[count]["value"] == "lots"  # what was typed stays, to be mended
    assert rows[owned]["decision"] == "reject"
    assert ReviewDecision.objects.count() == 0
    assert not AuditEntry.objects.filter(action="review").exists()


def test_the_reply_queue_is_by_doubt(client_for, answered, grow):
    campaign = answered.campaign
    grow(campaign, 2, start=1000)  # replies with one status fact each, confidence 0.5
    queue = client_for("viewer").get(reverse("webui:review_replies", args=[campaign.slug]))
    rows = [row["reply"] for row in queue.context["page"].object_list]
    assert [(r.reference, r.lowest_confidence) for r in rows] == [
        (f"{campaign.reference_prefix}-01000", 0.5),
        (f"{campaign.reference_prefix}-01001", 0.5),
        (answered.reference, 0.6),
    ]
    facts = facts_of(answered)
    review(facts["owned"], "confirm", "ann")
    review(facts["owned"], "reject", "bob")
    queue = client_for("viewer").get(reverse("webui:review_replies", args=[campaign.slug]))
    first = queue.context["page"].object_list[0]["reply"]
    assert (first.reference, first.disputed) == (answered.reference, True)
    # The one-fact-at-a-time queue puts the disputed fact first too.
    single = client_for("viewer").get(reverse("webui:review", args=[campaign.slug]))
    assert single.context["fact"] == facts["owned"]


def test_bulk_confirmation_after_the_sample_is_a_task(client_for, users, answered, run_queued):
    from sightline.tasks.models import Job

    slug = answered.campaign.slug
    reviewer = client_for("reviewer")
    page = reviewer.get(reverse("webui:review_bulk", args=[slug]) + "?min=0.8")
    preview = page.context["preview"]
    assert preview.count == 1
    assert [f.field for f in preview.sample] == ["owned"]
    url = reverse("webui:review_bulk_confirm", args=[slug])
    back = reverse("webui:review_bulk", args=[slug]) + "?min=0.8"

    # No sample named: refused in the request, nothing queued.
    bare = reviewer.post(url, {"min": "0.8", "fingerprint": "x"}, follow=True)
    assert bare.redirect_chain == [(back, 302)]
    assert [str(m) for m in bare.context["messages"]] == [
        "this confirmation names no sample: look at the sample, then confirm"
    ]
    assert Job.objects.count() == 0

    # A sample that is no longer the facts above the threshold: the task stops, confirming none.
    stale = reviewer.post(url, {"min": "0.8", "fingerprint": "0" * 32}, follow=True)
    (job,) = run_queued()
    assert stale.redirect_chain == [(reverse("webui:task", args=[job.pk]), 302)]
    assert [str(m) for m in stale.context["messages"]] == [
        f"Confirming the confident facts: queued as task {job.pk}."
    ]
    assert (job.kind, job.parameters) == (
        "bulk_confirm",
        {"threshold": 0.8, "fingerprint": "0" * 32},
    )
    assert (job.state, job.summary) == (
        "failed",
        "Stopped: the facts above the threshold changed since the sample was shown: "
        "look at the new sample, then confirm",
    )
    assert ReviewDecision.objects.count() == 0
    assert not AuditEntry.objects.filter(action="review").exists()
    assert facts_of(answered)["owned"].status == "pending"

    # The sample shown: the worker confirms exactly its facts, each with its audit entry.
    done = reviewer.post(url, {"min": "0.8", "fingerprint": preview.fingerprint}, follow=True)
    (job,) = run_queued()
    assert done.redirect_chain == [(reverse("webui:task", args=[job.pk]), 302)]
    assert (job.state, job.summary) == (
        "done",
        "1 fact with a confidence of 0.80 or more confirmed.",
    )
    assert (job.done, job.total, job.result) == (1, 1, {"confirmed": 1, "threshold": 0.8})
    assert facts_of(answered)["owned"].status == "confirmed"
    assert facts_of(answered)["count"].status == "pending"
    owned = facts_of(answered)["owned"]
    assert list(ReviewDecision.objects.values_list("fact_id", "decision", "reviewer")) == [
        (owned.pk, "confirm", "reviewer")
    ]
    entry = AuditEntry.objects.get(action="review")
    assert (entry.user, entry.username, entry.target, entry.detail, entry.address) == (
        users["reviewer"],
        "reviewer",
        f"fact {owned.pk}",
        {"decision": "confirm", "bulk": 0.8},
        "127.0.0.1",
    )
    queued = AuditEntry.objects.filter(action="queue_bulk_confirm").order_by("id")
    assert [(e.username, e.target) for e in queued] == [("reviewer", slug), ("reviewer", slug)]
    task_page = reviewer.get(reverse("webui:task", args=[job.pk])).content.decode()
    assert "1 fact with a confidence of 0.80 or more confirmed." in task_page

    # Nothing left above the threshold: the next confirmation stops with the reason.
    again = reviewer.get(reverse("webui:review_bulk", args=[slug]) + "?min=0.8")
    reviewer.post(url, {"min": "0.8", "fingerprint": again.context["preview"].fingerprint})
    (job,) = run_queued()
    assert job.summary == "Stopped: no fact waits with a confidence of 0.80 or more"
    assert AuditEntry.objects.filter(action="review").count() == 1

    bad = reviewer.get(reverse("webui:review_bulk", args=[slug]) + "?min=lots")
    assert bad.status_code == 400
    assert "the confidence threshold must be a number, not &#x27;lots&#x27;" in (
        bad.content.decode()
    )
    refused = reviewer.post(url, {"min": "2", "fingerprint": preview.fingerprint})
    assert refused.status_code == 400
    assert Job.objects.filter(outcome="").count() == 0


def test_the_new_forms_need_the_csrf_token(users, answered):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(users["owner"])
    fact = StoredFact.objects.filter(request=answered).first().pk
    slug = answered.campaign.slug
    posts = [
        (reply_url(answered, "webui:decide_reply"), {"fact": [fact]}),
        (reverse("webui:review_bulk_confirm", args=[slug]), {"min": "0.1", "fingerprint": "x"}),
        (reverse("webui:edit_campaign", args=[slug]), {"title": "Changed"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert ReviewDecision.objects.count() == 0
    answered.campaign.refresh_from_db()
    assert answered.campaign.title == "CCTV in London"

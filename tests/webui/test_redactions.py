"""The Redactions page: a reviewer sees, accepts, removes and adds; the build waits for them."""

import datetime as dt
from email.message import EmailMessage

import pytest
from django.test import Client
from django.urls import reverse

from sightline.config import sightline_home
from sightline.mail.inbox import raw_store
from sightline.mail.models import IncomingMessage, MessageLink
from sightline.review.models import Redaction
from sightline.webui.models import AuditEntry

pytestmark = pytest.mark.django_db

# An invented officer; the number is in Ofcom's range reserved for drama (020 7946 0xxx).
SIGNED = "Our answer follows.\n\nKind regards\n\nPriya Raman\nDirect line: 020 7946 0321\n"


@pytest.fixture
def signed(answered):
    message = EmailMessage()
    message["From"] = "foi@camden.example"
    message["Subject"] = "Our answer"
    message.set_content(SIGNED)
    raw = bytes(message)
    stored = IncomingMessage.objects.create(
        sha256=raw_store().put(raw),
        source="test",
        size=len(raw),
        subject="Our answer",
        date=dt.datetime(2021, 1, 13, 10, tzinfo=dt.UTC),
    )
    MessageLink.objects.create(message=stored, request=answered, method="address")
    return answered


def waiting(slug):
    """What publishing says while the two proposals of ``signed`` wait for review."""
    return (
        f"campaign {slug}: 2 redaction proposals are not reviewed yet; review them with"
        f" `sightline findings redactions {slug}` (or on the campaign's Redactions page)"
        " before publishing"
    )


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_build_waits_for_review_then_a_reviewer_decides(client_for, signed, run_queued):
    slug = signed.campaign.slug
    owner = client_for("owner")
    reason = waiting(slug)
    # The build task finds the personal data, and stops until a person has reviewed it.
    queued = owner.post(reverse("webui:build", args=[slug]), follow=True)
    (job,) = run_queued()
    assert queued.request["PATH_INFO"] == reverse("webui:task", args=[job.pk])
    assert messages_of(queued) == [f"Building the published findings: queued as task {job.pk}."]
    assert (job.outcome, job.summary) == ("failed", f"Stopped: {reason}")
    assert not (sightline_home() / "published" / slug / "index.html").exists()
    # Known now, a second build is refused at once, and the button leads to the proposals.
    refused = owner.post(reverse("webui:build", args=[slug]), follow=True)
    assert refused.request["PATH_INFO"] == reverse("webui:redactions", args=[slug])
    assert messages_of(refused) == [reason]
    assert run_queued() == []
    page = owner.get(reverse("webui:redactions", args=[slug]))
    shown = [row.text for row in page.context["page"]]
    assert shown == ["020 7946 0321", "Priya Raman"]
    assert b'id="accept-all"' in page.content
    assert b'<td class="redaction-context"><q>Direct line: 020 7946 0321</q></td>' in page.content

    # A viewer sees the list but cannot decide.
    viewer = client_for("viewer")
    assert b'id="accept-all"' not in viewer.get(reverse("webui:redactions", args=[slug])).content
    number = Redaction.objects.get(text="Priya Raman").pk
    forbidden = viewer.post(
        reverse("webui:redactions_decide", args=[slug]), {"decision": "accept", "number": number}
    )
    assert forbidden.status_code == 403

    reviewer = client_for("reviewer")
    accepted = reviewer.post(
        reverse("webui:redactions_decide", args=[slug]),
        {"decision": "accept", "number": [number]},
        follow=True,
    )
    assert messages_of(accepted) == [f"#{number} accepted."]
    phone = Redaction.objects.get(text="020 7946 0321")
    removed = reviewer.post(
        reverse("webui:redactions_decide", args=[slug]),
        {"decision": "remove", "number": [phone.pk]},
        follow=True,
    )
    assert messages_of(removed) == [f"#{phone.pk} removed: published as written."]
    added = reviewer.post(
        reverse("webui:redactions_add", args=[slug]),
        {"text": "  Our   answer ", "kind": "other"},
        follow=True,
    )
    row = Redaction.objects.get(text="Our answer")
    assert messages_of(added) == [f"#{row.pk} added: it is removed wherever it appears."]
    assert (row.status, row.origin, row.decided_by) == ("accepted", "person", "reviewer")
    bad = reviewer.post(
        reverse("webui:redactions_add", args=[slug]), {"text": "x", "kind": "other"}, follow=True
    )
    assert messages_of(bad) == ["give the text to redact (at least two characters)"]
    assert list(
        AuditEntry.objects.filter(action__startswith="redaction")
        .order_by("id")
        .values_list("username", "action")
    ) == [
        ("reviewer", "redaction_accept"),
        ("reviewer", "redaction_remove"),
        ("reviewer", "redaction_add"),
    ]

    owner.post(reverse("webui:build", args=[slug]), follow=True)
    (built,) = run_queued()
    assert (built.outcome, built.summary) == (
        "done",
        "Published bundle built: 32 requests, 0 answered.",
    )
    page_name = f"{signed.reference}.html"
    public = Client().get(reverse("webui:published_request", args=[slug, page_name]))
    assert public.status_code == 200
    html = b"".join(public.streaming_content).decode("utf-8")
    assert "Priya Raman" not in html
    assert "[name removed]" in html
    assert "020 7946 0321" in html  # a person said it may be published
    assert '<span class="redacted">[personal data removed]</span> follows.' in html
    assert Client().get(reverse("webui:published_request", args=[slug, "x.py"])).status_code == 404


def test_csrf_is_needed_to_decide(users, signed):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["reviewer"])
    response = client.post(
        reverse("webui:redactions_decide", args=[signed.campaign.slug]),
        {"decision": "accept-all"},
    )
    assert response.status_code == 403
    assert Redaction.objects.filter(status="accepted").count() == 0


def test_mark_published_reads_the_correspondence_in_a_task_and_stops_on_new_personal_data(
    client_for, signed, run_queued
):
    slug = signed.campaign.slug
    owner = client_for("owner")
    reason = waiting(slug)
    assert Redaction.objects.count() == 0  # nothing scanned yet: the page's request does not
    queued = owner.post(reverse("webui:mark_published", args=[slug]), follow=True)
    assert Redaction.objects.count() == 0
    (job,) = run_queued()
    assert messages_of(queued) == [f"Recording the first publication: queued as task {job.pk}."]
    assert (job.outcome, job.summary) == ("failed", f"Stopped: {reason}")
    signed.campaign.refresh_from_db()
    assert signed.campaign.first_published_on is None
    assert sorted(Redaction.objects.values_list("text", flat=True)) == [
        "020 7946 0321",
        "Priya Raman",
    ]
    assert not AuditEntry.objects.filter(action="first_published").exists()
    # Known now: the next press is refused at once and leads to the proposals.
    refused = owner.post(reverse("webui:mark_published", args=[slug]), follow=True)
    assert refused.request["PATH_INFO"] == reverse("webui:redactions", args=[slug])
    assert messages_of(refused) == [reason]
    assert run_queued() == []

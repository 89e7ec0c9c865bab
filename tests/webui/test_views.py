"""What each page shows and what each action does, through the Django test client."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sightline.campaigns.models import Campaign, Request
from sightline.config import sightline_home
from sightline.lifecycle import EventKind
from sightline.mail.models import IncomingMessage, MessageLink, OutgoingMessage
from sightline.review.models import ReviewDecision, StoredFact
from sightline.webui.models import AuditEntry

pytestmark = pytest.mark.django_db


def texts(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def follow_messages(response):
    return [str(m) for m in response.context["messages"]]


def test_login_and_logout_are_audited(users, answered):
    client = Client()
    response = client.post(
        reverse("webui:login"), {"username": "viewer", "password": "a-long-test-passphrase-7"}
    )
    assert (response.status_code, response["Location"]) == (302, reverse("webui:home"))
    assert client.get(reverse("webui:home")).status_code == 302  # one campaign: its dashboard
    client.post(reverse("webui:logout"))
    bad = Client().post(reverse("webui:login"), {"username": "viewer", "password": "wrong"})
    assert bad.status_code == 200
    assert b"did not match" in bad.content
    assert list(AuditEntry.objects.order_by("id").values_list("username", "action")) == [
        ("viewer", "login"),
        ("viewer", "logout"),
        ("viewer", "login_failed"),
    ]


def test_csrf_is_enforced(users, answered):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["owner"])
    response = client.post(
        reverse("webui:set_state", args=[answered.reference]), {"state": "answered"}
    )
    assert response.status_code == 403
    answered.refresh_from_db()
    assert answered.state == "sent"


def test_security_headers(client_for, answered):
    response = client_for("viewer").get(reverse("webui:request", args=[answered.reference]))
    assert response["Content-Security-Policy"].startswith("default-src 'none'; script-src 'self'")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"<script>" not in response.content.replace(b"<script src=", b"")


def test_dashboard_counts_deadlines_and_todo(client_for, answered, unmatched):
    campaign = answered.campaign
    response = client_for("viewer").get(reverse("webui:dashboard", args=[campaign.slug]))
    assert response.status_code == 200
    context = response.context
    assert context["counts"] == {"draft": 31, "sent": 1}
    assert (context["total"], context["done"]) == (32, 0)
    # Sent 4 January 2021: long past its 40th working day.
    assert [r["reference"] for r in context["late"]["long_overdue"]] == [answered.reference]
    assert context["late"]["overdue"] == []
    assert (context["reminders_due"], context["unmatched"], context["pending_facts"]) == (1, 1, 2)
    assert b"due 2021-02-01" in response.content
    assert [s["state"] for s in context["bar"]] == ["draft", "sent"]


def test_request_table_filters_and_sorts(client_for, answered):
    url = reverse("webui:requests", args=[answered.campaign.slug])
    client = client_for("viewer")
    rows = client.get(url, {"state": "sent"}).context["page"].object_list
    assert rows == [
        {
            "reference": answered.reference,
            "url": f"/r/{answered.reference}/",
            "authority": "London Borough of Camden",
            "state": "sent",
            "guess": False,
            "sent": "2021-01-04",
            "due": "2021-02-01",
            "last_message": "2021-01-12",
            "deadline": "long_overdue",
        }
    ]
    rows = client.get(url, {"deadline": "long_overdue"}).context["page"].object_list
    assert [r["reference"] for r in rows] == [answered.reference]
    assert list(client.get(url, {"deadline": "overdue"}).context["page"].object_list) == []
    rows = client.get(url, {"q": "camden"}).context["page"].object_list
    assert [r["authority"] for r in rows] == ["London Borough of Camden"]
    names = [r["authority"] for r in client.get(url, {"sort": "authority"}).context["page"]]
    assert names == sorted(names)
    back = [
        r["authority"]
        for r in client.get(url, {"sort": "authority", "dir": "desc"}).context["page"]
    ]
    assert back == sorted(names, reverse=True)


def test_request_page_shows_timeline_blocks_and_safe_html(client_for, answered):
    response = client_for("viewer").get(reverse("webui:request", args=[answered.reference]))
    content = response.content.decode()
    entries = [item["entry"] for item in response.context["entries"]]
    assert [e.at for e in entries] == sorted(e.at for e in entries)
    assert sorted(e.event.kind if e.event else e.kind for e in entries) == [
        "created",
        "queued",
        "received",
        "sent",
    ]
    shown = next(i["shown"] for i in response.context["entries"] if "shown" in i)
    assert [location for location, _ in shown.blocks][:1] == ["body"]
    assert "The council owns 14 Hikvision cameras in the town centre." in shown.blocks[0][1]
    assert [(a.filename, a.content_type) for a in shown.attachments] == [
        ("assets.csv", "text/csv"),
        ("evil.html", "text/html"),
    ]
    # The HTML body went through nh3: no script, image, handler or javascript: link survives.
    assert shown.html is not None
    for bad in ("<script", "alert(", "<img", "onclick", "javascript:", "tracker.example"):
        assert bad not in shown.html
        assert bad not in content.split("<main>")[1]
    assert "<b>14</b>" in shown.html
    assert 'id="set-state"' not in content  # a viewer gets no action buttons


def test_attachments_are_downloads_with_safe_types(client_for, answered):
    client = client_for("viewer")
    message = answered.messages.first()
    csv = client.get(reverse("webui:attachment", args=[message.pk, 0]))
    assert csv["Content-Type"] == "text/csv"
    assert csv["Content-Disposition"] == (
        "attachment; filename=\"assets.csv\"; filename*=UTF-8''assets.csv"
    )
    assert csv.content == b"make,count\nHikvision,14\n"
    html = client.get(reverse("webui:attachment", args=[message.pk, 1]))
    assert html["Content-Type"] == "application/octet-stream"
    assert html["Content-Disposition"].startswith('attachment; filename="evil.html"')
    assert html["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert client.get(reverse("webui:attachment", args=[message.pk, 2])).status_code == 404
    raw = client.get(reverse("webui:raw_message", args=[message.pk]))
    assert raw["Content-Type"] == "message/rfc822"
    assert raw["Content-Disposition"].startswith(f'attachment; filename="message-{message.pk}.eml"')


def test_set_state_records_who_and_refuses_forbidden_moves(users, client_for, answered):
    client = client_for("editor")
    url = reverse("webui:set_state", args=[answered.reference])
    response = client.post(url, {"state": "answered", "note": "full answer"}, follow=True)
    assert follow_messages(response) == [f"{answered.reference} is now answered."]
    event = answered.events.order_by("-id").first()
    assert (event.kind, event.state, event.actor, event.note) == (
        "state_set",
        "answered",
        "editor",
        "full answer",
    )
    response = client.post(url, {"state": "draft"}, follow=True)
    assert follow_messages(response) == ["a request cannot go from answered to draft"]
    response = client.post(url, {"state": "bogus"}, follow=True)
    assert follow_messages(response) == ["unknown state 'bogus'"]
    answered.refresh_from_db()
    assert answered.state == "answered"
    entry = AuditEntry.objects.get(action="set_state")
    assert (entry.username, entry.target, entry.detail) == (
        "editor",
        answered.reference,
        {"state": "answered", "note": "full answer"},
    )


def test_letters_are_shown_then_queued(client_for, answered):
    client = client_for("editor")
    url = reverse("webui:letter", args=[answered.reference, "reminder"])
    shown = client.get(url)
    assert shown.context["subject"] == (
        f"Reminder: Freedom of Information request: CCTV in London [{answered.reference}]"
    )
    assert "Dear London Borough of Camden," in shown.context["body"]
    assert shown.context["body"] in shown.content.decode()
    response = client.post(url, {"how": "outbox"}, follow=True)
    assert follow_messages(response) == [
        f"Reminder for {answered.reference} stored in the outbox, ready to send."
    ]
    queued = OutgoingMessage.objects.get(request=answered)
    assert (queued.kind, queued.to, queued.subject, queued.status) == (
        "reminder",
        "foi@e09000007.example",
        shown.context["subject"],
        "pending",
    )
    assert client.get(reverse("webui:letter", args=[answered.reference, "nope"])).status_code == 404


def test_the_request_page_offers_only_the_follow_ups_the_facts_allow(client_for, answered):
    import datetime as dt

    from sightline.campaigns.service import record_event
    from sightline.lifecycle import State

    client = client_for("editor")
    page = reverse("webui:request", args=[answered.reference])
    # Sent in January 2021, no answer: overdue, so a reminder or an internal review.
    assert list(client.get(page).context["letters"]) == ["reminder", "internal-review"]
    complaint = reverse("webui:letter", args=[answered.reference, "complaint"])
    refused = client.get(complaint, follow=True)
    assert follow_messages(refused) == [
        f"{answered.reference}: no complaint now: a complaint to the regulator comes after an "
        "internal review: request one first"
    ]
    assert not OutgoingMessage.objects.filter(request=answered).exists()
    record_event(answered, EventKind.STATE_SET, State.ANSWERED, actor="editor")
    assert list(client.get(page).context["letters"]) == []
    draft = Request.objects.exclude(pk=answered.pk).filter(state="draft").first()
    assert (
        list(client.get(reverse("webui:request", args=[draft.reference])).context["letters"]) == []
    )
    record_event(
        answered, EventKind.INTERNAL_REVIEW_REQUESTED, at=dt.datetime(2021, 3, 1, tzinfo=dt.UTC)
    )
    assert list(client.get(page).context["letters"]) == ["complaint"]  # the review is overdue


def test_record_an_extension_and_a_clarification_from_the_request_page(client_for, answered):
    import datetime as dt

    from sightline.campaigns.service import record_event
    from sightline.lifecycle import State

    client = client_for("editor")
    page = reverse("webui:request", args=[answered.reference])
    clock = reverse("webui:clock", args=[answered.reference])
    shown = client.get(page).context
    assert (shown["can_extend"], shown["can_clarify"]) == (True, False)
    extended = client.post(clock, {"action": "extend"}, follow=True)
    assert follow_messages(extended) == [f"{answered.reference} is now due 2021-03-01."]
    assert client.get(page).context["can_extend"] is False
    record_event(answered, EventKind.STATE_SET, State.CLARIFICATION_REQUESTED, actor="editor")
    assert client.get(page).context["can_clarify"] is True
    restarted = client.post(clock, {"action": "clarified", "on": "2021-03-01"}, follow=True)
    assert follow_messages(restarted) == [f"{answered.reference} is now due 2021-03-30."]
    answered.refresh_from_db()
    assert (answered.state, answered.received_on) == ("sent", dt.date(2021, 3, 1))


def test_a_complaint_needs_the_regulators_address_or_is_recorded(client_for, answered):
    import datetime as dt

    from sightline.campaigns.service import record_event

    client = client_for("editor")
    record_event(
        answered, EventKind.INTERNAL_REVIEW_REQUESTED, at=dt.datetime(2021, 3, 1, tzinfo=dt.UTC)
    )
    url = reverse("webui:letter", args=[answered.reference, "complaint"])
    response = client.post(url, {"how": "outbox", "to": ""})
    assert texts(response) == [
        "a complaint goes to the regulator, not the authority: give its address with --to"
    ]
    response = client.post(url, {"how": "recorded", "to": "casework@ico.example"}, follow=True)
    answered.refresh_from_db()
    assert answered.state == "appealed"
    event = answered.events.order_by("-id").first()
    assert (event.kind, event.actor, event.data["to"]) == (
        "regulator_complaint",
        "editor",
        "casework@ico.example",
    )


def test_refile_a_failed_request(client_for, answered):
    from sightline.campaigns.service import record_event

    record_event(answered, EventKind.DELIVERY_FAILED)
    client = client_for("editor")
    page = client.get(reverse("webui:request", args=[answered.reference]))
    assert page.context["can_refile"] is True
    response = client.post(
        reverse("webui:refile", args=[answered.reference]), {"email": "new@camden.example"}
    )
    new = Request.objects.get(replaces=answered)
    assert response["Location"] == reverse("webui:request", args=[new.reference])
    assert (new.state, new.authority.foi_email) == ("draft", "new@camden.example")
    again = client.post(reverse("webui:refile", args=[answered.reference]), {})
    assert texts(again)[-1] == f"{answered.reference} was already re-filed as {new.reference}"


def test_assign_unmatched_mail(client_for, answered, unmatched):
    client = client_for("editor")
    listed = client.get(reverse("webui:unmatched"))
    assert [m.pk for m in listed.context["page"].object_list] == [unmatched.pk]
    url = reverse("webui:assign", args=[unmatched.pk])
    response = client.post(url, {"reference": "NOPE-1"}, follow=True)
    assert follow_messages(response) == ["No request 'NOPE-1'."]
    response = client.post(url, {"reference": answered.reference.lower()})
    assert response["Location"] == reverse("webui:request", args=[answered.reference])
    link = MessageLink.objects.get(message=unmatched)
    assert (link.request_id, link.method, link.actor) == (answered.pk, "manual", "editor")
    assert list(client.get(reverse("webui:unmatched")).context["page"].object_list) == []
    entry = AuditEntry.objects.get(action="assign_mail")
    assert (entry.target, entry.detail["message"]) == (answered.reference, unmatched.pk)


def test_review_screen_highlights_the_quote(client_for, answered):
    response = client_for("reviewer").get(reverse("webui:review", args=[answered.campaign.slug]))
    fact = response.context["fact"]
    assert (fact.field, response.context["total"]) == ("count", 2)  # least certain first
    marked = [
        piece for b in response.context["blocks"] for piece, is_quote in b["pieces"] if is_quote
    ]
    assert marked == ["14 Hikvision cameras"]
    assert b"<mark>14 Hikvision cameras</mark>" in response.content


def test_two_reviewers_disagree_and_a_third_decides(client_for, answered):
    facts = StoredFact.objects.filter(request=answered, field="count")
    fact = facts.get()
    url = reverse("webui:decide", args=[fact.pk])
    reviewer, owner = client_for("reviewer"), client_for("owner")
    reviewer.post(url, {"decision": "confirm"})
    fact.refresh_from_db()
    assert fact.status == "confirmed"
    # The owner gives a second opinion from the check queue, and differs.
    check = owner.get(reverse("webui:review", args=[answered.campaign.slug]), {"queue": "check"})
    assert check.context["fact"].pk == fact.pk
    response = owner.post(url, {"decision": "correct", "value": "15"}, follow=True)
    assert follow_messages(response) == [
        f"Fact #{fact.pk}: reviewer and owner disagree; it waits for a third reviewer."
    ]
    fact.refresh_from_db()
    assert (fact.status, fact.final_value) == ("pending", 15)
    page = reviewer.get(reverse("webui:review", args=[answered.campaign.slug]))
    assert page.context["fact"].pk == fact.pk and page.context["party"] is True
    assert b"Reviewers disagree" in page.content and b'id="decide"' not in page.content
    refused = reviewer.post(url, {"decision": "confirm"}, follow=True)
    assert follow_messages(refused) == [
        f"reviewer and owner disagree on fact #{fact.pk}: a third reviewer decides it"
    ]
    # A third reviewer settles it.
    from django.contrib.auth import get_user_model

    from sightline.webui.roles import set_role

    carol = get_user_model().objects.create_user(username="carol", password="x")
    set_role(carol, "reviewer")
    client = Client()
    client.force_login(carol)
    response = client.post(url, {"decision": "correct", "value": "14"}, follow=True)
    assert follow_messages(response) == [f"Fact #{fact.pk}: correct recorded."]
    fact.refresh_from_db()
    assert (fact.status, fact.final_value) == ("corrected", 14)
    assert list(ReviewDecision.objects.filter(fact=fact).values_list("reviewer", flat=True)) == [
        "reviewer",
        "owner",
        "carol",
    ]


def test_findings_change_with_review_and_build_publishes(client_for, answered, run_queued):
    slug = answered.campaign.slug
    owner = client_for("owner")
    before = owner.get(reverse("webui:findings", args=[slug])).context["findings"]
    assert (before.sent, before.successful) == (32, 0)
    owned = StoredFact.objects.get(request=answered, field="owned")
    owner.post(reverse("webui:decide", args=[owned.pk]), {"decision": "confirm"})
    after = owner.get(reverse("webui:findings", args=[slug])).context["findings"]
    assert (after.sent, after.successful) == (32, 1)
    hikvision = {m.id: m for m in after.metrics}["hikvision"]
    assert (hikvision.count, hikvision.of, hikvision.percent) == (1, 1, 100)

    response = owner.post(reverse("webui:build", args=[slug]), follow=True)
    (job,) = run_queued()
    assert follow_messages(response) == [
        f"Building the published findings: queued as task {job.pk}."
    ]
    assert response.redirect_chain == [(reverse("webui:task", args=[job.pk]), 302)]
    assert (job.state, job.summary) == ("done", "Published bundle built: 32 requests, 1 answered.")
    folder = sightline_home() / "published" / slug
    assert (folder / "index.html").is_file()
    public = Client().get(reverse("webui:published", args=[slug]))
    assert public.status_code == 200
    # Reading a streamed response to the end closes its file (the test client's way).
    assert b"CCTV in London" in b"".join(public.streaming_content)
    data = Client().get(reverse("webui:published_file", args=[slug, "findings.csv"]))
    assert data["Content-Disposition"] == 'attachment; filename="findings.csv"'
    assert b"".join(data.streaming_content).startswith(b"kind,id,label,count,of,percent,")
    assert Client().get(reverse("webui:published_file", args=[slug, "x.py"])).status_code == 404
    assert AuditEntry.objects.get(action="build_findings").detail == {
        "task": job.pk,
        "sent": 32,
        "successful": 1,
    }
    answered.campaign.refresh_from_db()
    assert answered.campaign.first_published_on is None  # a build is not a publication
    marked = owner.post(reverse("webui:mark_published", args=[slug]), follow=True)
    answered.campaign.refresh_from_db()
    # queued, not done in the request: the worker reads the correspondence first
    assert answered.campaign.first_published_on is None
    (publish,) = run_queued()
    assert follow_messages(marked) == [
        f"Recording the first publication: queued as task {publish.pk}."
    ]
    assert marked.redirect_chain == [(reverse("webui:task", args=[publish.pk]), 302)]
    today = timezone.localdate()
    assert (publish.state, publish.summary) == (
        "done",
        f"Findings recorded as first published on {today}.",
    )
    assert publish.parameters == {"on": today.isoformat()}
    answered.campaign.refresh_from_db()
    assert answered.campaign.first_published_on == today
    assert AuditEntry.objects.get(action="first_published").detail == {
        "task": publish.pk,
        "on": today.isoformat(),
    }
    again = owner.post(reverse("webui:mark_published", args=[slug]), follow=True)
    assert follow_messages(again) == [f"Already first published on {today}."]
    assert run_queued() == []  # said at once, nothing queued


def test_queue_drafts_and_reminders(client_for, answered):
    client = client_for("editor")
    slug = answered.campaign.slug
    response = client.post(reverse("webui:queue_drafts", args=[slug]), follow=True)
    assert follow_messages(response) == ["31 requests stored in the outbox, ready to send."]
    assert OutgoingMessage.objects.filter(kind="request").count() == 31
    response = client.post(reverse("webui:queue_reminders", args=[slug]), follow=True)
    assert follow_messages(response) == ["1 reminders stored in the outbox, ready to send."]
    response = client.post(reverse("webui:queue_reminders", args=[slug]), follow=True)
    assert follow_messages(response) == ["0 reminders stored in the outbox, ready to send."]


def test_messages_that_may_have_gone_are_listed_and_settled_one_by_one(client_for, answered):
    import datetime as dt

    client = client_for("editor")
    slug = answered.campaign.slug
    client.post(reverse("webui:queue_drafts", args=[slug]))
    first, second = OutgoingMessage.objects.filter(kind="request").order_by("id")[:2]
    tried = dt.datetime(2021, 2, 1, 10, tzinfo=dt.UTC)
    OutgoingMessage.objects.filter(pk__in=[first.pk, second.pk]).update(
        status="uncertain", smtp_answer="the SMTP server closed the connection", attempted_at=tried
    )
    page = client.get(reverse("webui:dashboard", args=[slug]))
    assert [m["number"] for m in page.context["uncertain"]] == [first.pk, second.pk]
    assert b"May have gone (2)" in page.content
    assert (
        client_for("viewer")
        .get(reverse("webui:dashboard", args=[slug]))
        .content.count(b"Record as sent")
        == 0
    )  # a viewer sees the list, not the buttons
    settle = reverse("webui:settle_message", args=[slug, first.pk])
    bad = client.post(settle, {"outcome": "went", "on": "soon"}, follow=True)
    assert follow_messages(bad) == ["give the day the message went, as YYYY-MM-DD"]
    went = client.post(settle, {"outcome": "went", "on": "2021-02-01"}, follow=True)
    reference = first.request.reference
    assert follow_messages(went) == [
        f"Message {first.pk} ({reference}) recorded as sent on 2021-02-01."
    ]
    request = Request.objects.get(pk=first.request_id)
    assert (request.state, str(request.received_on)) == ("sent", "2021-02-01")
    again = client.post(
        reverse("webui:settle_message", args=[slug, second.pk]), {"outcome": "again"}, follow=True
    )
    assert follow_messages(again) == [
        f"Message {second.pk} ({second.request.reference}) will be sent again."
    ]
    assert OutgoingMessage.objects.get(pk=second.pk).status == "pending"
    assert client.get(reverse("webui:dashboard", args=[slug])).context["uncertain"] == []
    assert list(
        AuditEntry.objects.filter(action="settle_message")
        .order_by("id")
        .values_list("target", flat=True)
    ) == [reference, second.request.reference]


def test_send_outbox_needs_an_smtp_url(client_for, answered, monkeypatch):
    monkeypatch.delenv("SIGHTLINE_SMTP_URL", raising=False)
    response = client_for("editor").post(
        reverse("webui:send_outbox", args=[answered.campaign.slug]), follow=True
    )
    assert follow_messages(response) == [
        "Nothing can be sent: no SMTP server: set SIGHTLINE_SMTP_URL for the worker"
    ]


def test_audit_trail_lists_actions(client_for, answered):
    client_for("editor").post(
        reverse("webui:set_state", args=[answered.reference]), {"state": "refused"}
    )
    page = client_for("owner").get(reverse("webui:audit"))
    # Newest first; force_login counts as a login.
    assert [(e.username, e.action, e.target) for e in page.context["page"].object_list] == [
        ("owner", "login", ""),
        ("editor", "set_state", answered.reference),
        ("editor", "login", ""),
    ]


def test_missing_things_are_404(client_for, answered):
    client = client_for("owner")
    assert client.get(reverse("webui:request", args=["NOPE-0001"])).status_code == 404
    assert client.get(reverse("webui:dashboard", args=["nope"])).status_code == 404
    assert client.get(reverse("webui:message", args=[999999])).status_code == 404
    assert client.get(reverse("webui:asset", args=["secret.py"])).status_code == 404
    assert client.post(reverse("webui:decide", args=[999999]), {}).status_code == 404


def test_unmatched_selection_by_kind(answered, unmatched, grow):
    from sightline.mail.inbox import unmatched_query

    grow(answered.campaign, 3, start=500)
    before = set(unmatched_query().values_list("id", flat=True))
    # One unlinked message of every kind: own mail and unreadable mail are not "unmatched".
    made = {}
    for number, kind in enumerate(IncomingMessage.Kind.values):
        made[kind] = IncomingMessage.objects.create(
            sha256=f"{kind}{number:060d}"[:64], source="t", size=1, kind=kind
        ).pk
    shown = set(unmatched_query().values_list("id", flat=True)) - before
    hidden = {IncomingMessage.Kind.MALFORMED, IncomingMessage.Kind.OWN}
    assert shown == {pk for kind, pk in made.items() if kind not in hidden}
    assert list(unmatched_query(malformed=True).values_list("id", flat=True)) == [
        made[IncomingMessage.Kind.MALFORMED]
    ]


def test_extract_reads_new_replies_once(client_for, replied, run_queued):
    client = client_for("reviewer")
    url = reverse("webui:extract", args=[replied.campaign.slug])
    response = client.post(url, follow=True)
    (job,) = run_queued()
    assert follow_messages(response) == [f"Reading replies for facts: queued as task {job.pk}."]
    facts = StoredFact.objects.filter(request=replied)
    count = facts.count()
    assert count > 0
    assert job.summary == (
        f"1 new reply read, {count} fact{'' if count == 1 else 's'} waiting for review."
    )
    assert (job.done, job.total, job.runs) == (1, 1, 1)
    owned = facts.get(field="owned", vendor="hikvision")
    assert (owned.value, owned.status) == ("yes", "pending")
    client.post(url)
    (again,) = run_queued()
    assert again.summary == "0 new replies read, 0 facts waiting for review."
    assert AuditEntry.objects.filter(action="extract").count() == 2


def test_start_a_campaign_from_the_browser(client_for, campaign):
    client = client_for("editor")
    form = client.get(reverse("webui:new_campaign"))
    assert form.context["form"]["template"].value().startswith("Dear {authority_name}")
    data = {
        "slug": "cctv-cities",
        "title": "CCTV in the largest cities",
        "authority_set": "largest-cities",
        "law": "",
        "requester_name": "A. Researcher",
        "template": "Dear {authority_name},\n\n1. Do you own Hikvision equipment?\n",
    }

    def errors(response):
        assert response.status_code == 200
        return {name: list(e) for name, e in response.context["form"].errors.items()}

    bad = client.post(reverse("webui:new_campaign"), {**data, "slug": "Bad Name"})
    assert errors(bad) == {
        "__all__": ["campaign name 'Bad Name' must be lower-case letters, digits and hyphens"]
    }
    nameless = client.post(reverse("webui:new_campaign"), {**data, "requester_name": "Your name"})
    assert errors(nameless) == {
        "requester_name": [
            "the campaign has 'Your name' as the requester's name, which stands in for a name"
        ]
    }
    reserved = {**data, "reply_domain": "replies.example", "template": "Dear {nobody}"}
    assert errors(client.post(reverse("webui:new_campaign"), reserved)) == {
        "reply_domain": [
            "the campaign has replies directed to replies.example, a reserved name that cannot "
            "receive mail (mark the campaign as a test to send to it)"
        ],
        "template": [
            "unknown placeholder(s) {nobody}; known: {authority_name}, {authority_short_name}, "
            "{law_name}, {law_short_name}, {law_section}, {time_limit_section}, {reference}, "
            "{requester_name}"
        ],
    }
    assert not Campaign.objects.filter(slug="cctv-cities").exists()
    response = client.post(reverse("webui:new_campaign"), data, follow=True)
    assert response.redirect_chain == [(reverse("webui:contacts", args=["cctv-cities"]), 302)]
    assert follow_messages(response) == ["Created cctv-cities: 20 draft requests."]
    missing = list(response.context["missing"])
    assert len(missing) == 20
    first, second = missing[0].authority, missing[1].authority
    rows = f"gss_code,email\n{first.gss_code},foi@first.example\n{second.gss_code},not-an-address\n"
    saved = client.post(reverse("webui:contacts", args=["cctv-cities"]), {"rows": rows})
    assert texts(saved) == [
        "1 addresses added, 0 changed, 0 unchanged.",
        "line 3: 'not-an-address' is not a valid e-mail address",
    ]
    assert len(saved.context["missing"]) == 19
    assert first.foi_email == "foi@first.example"
    assert [e.action for e in AuditEntry.objects.exclude(action="login").order_by("id")] == [
        "create_campaign",
        "import_contacts",
    ]


def test_fetch_mail_needs_an_imap_url(client_for, campaign, monkeypatch):
    monkeypatch.delenv("SIGHTLINE_IMAP_URL", raising=False)
    response = client_for("editor").post(reverse("webui:fetch_mail"), follow=True)
    assert follow_messages(response) == [
        "Fetching mail failed: no IMAP mailbox: set SIGHTLINE_IMAP_URL for the worker"
    ]


def test_an_error_sightline_explains_is_a_page_not_a_server_error(users, rf):
    from django.http import HttpResponse

    from sightline.errors import SightlineError
    from sightline.webui.middleware import SightlineErrorMiddleware

    middleware = SightlineErrorMiddleware(lambda request: HttpResponse())
    request = rf.post("/c/cctv/queue/", HTTP_REFERER="http://testserver/c/cctv/")
    request.user = users["owner"]
    error = SightlineError("campaign cctv has no requester name", detail="library words")
    response = middleware.process_exception(request, error)
    assert response is not None and response.status_code == 400
    page = response.content.decode()
    assert "campaign cctv has no requester name" in page
    assert '<a href="http://testserver/c/cctv/">Back</a>' in page
    assert "library words" not in page
    elsewhere = rf.post("/c/cctv/queue/", HTTP_REFERER="https://elsewhere.example/")
    elsewhere.user = users["owner"]
    other = middleware.process_exception(elsewhere, error)
    assert other is not None and "elsewhere.example" not in other.content.decode()
    assert middleware.process_exception(request, KeyError("a bug")) is None

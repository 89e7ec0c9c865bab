"""After sending: reminders (`chase`), follow-up letters, re-filing, previews and the worker."""

from __future__ import annotations

import json
from datetime import date
from email import message_from_bytes, policy
from pathlib import Path

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.db]

FIXTURES = Path(__file__).parent / "fixtures"
LONG_AGO = date(2026, 9, 1)  # a Tuesday; 20 working days later is 29 September


def backdate(*references):
    """Pretend the requests were received on LONG_AGO, so they are overdue now."""
    from sightline.campaigns.models import Request
    from sightline.campaigns.service import refresh_due

    for request in Request.objects.filter(reference__in=references):
        request.received_on = LONG_AGO
        refresh_due(request)
        request.save()


def review_asked_on(reference, day=LONG_AGO):
    """Pretend an internal review was asked for on ``day`` (so it is overdue now)."""
    from datetime import datetime, time

    from django.utils import timezone

    from sightline.campaigns.models import Request
    from sightline.campaigns.service import record_event
    from sightline.lifecycle import EventKind

    request = Request.objects.get(reference=reference)
    at = timezone.make_aware(datetime.combine(day, time(12)))
    record_event(request, EventKind.INTERNAL_REVIEW_REQUESTED, actor="person", at=at)


def test_chase_lists_and_sends_reminders_once(run, sent_campaign, smtp_server):
    from sightline.campaigns.models import Request, RequestEvent
    from sightline.mail.models import OutgoingMessage

    run("mail", "import", str(FIXTURES / "html_only_refusal.eml"))  # CCTV-0003 refused
    backdate("CCTV-0001", "CCTV-0002", "CCTV-0003")
    listed = json.loads(run("chase", "cctv", "--json").stdout)
    assert [(r["reference"], r["deadline"], r["to"]) for r in listed] == [
        ("CCTV-0001", "long_overdue", "foi@glasgow.gov.uk"),
        ("CCTV-0002", "long_overdue", "foi@camden.gov.uk"),
    ]
    assert listed[1]["due"] == "2026-09-29"
    before = len(smtp_server.handler.received)
    sent = run("chase", "cctv", "--send", "--smtp", smtp_server.url)
    assert (sent.exit_code, sent.stdout) == (0, "Sent 2 message(s); 0 deferred, 0 failed\n")
    reminders = [
        message_from_bytes(r.content, policy=policy.default)
        for r in smtp_server.handler.received[before:]
    ]
    camden = next(m for m in reminders if m["To"] == "foi@camden.gov.uk")
    original = OutgoingMessage.objects.get(request__reference="CCTV-0002", kind="request")
    assert camden["Subject"] == "Reminder: Freedom of Information request: CCTV vendors [CCTV-0002]"
    assert camden["In-Reply-To"] == f"<{original.message_id}>"
    assert "Under section 10(1) of the Freedom of Information Act 2000" in camden.get_content()
    assert RequestEvent.objects.filter(kind="follow_up_sent").count() == 2
    assert Request.objects.get(reference="CCTV-0002").state == "sent"
    again = run("chase", "cctv", "--send", "--smtp", smtp_server.url)
    assert again.stdout == "Sent 0 message(s); 0 deferred, 0 failed\n"
    assert run("chase", "cctv").stdout == "No reminders due today.\n"


def test_nothing_to_chase_in_time(run, sent_campaign):
    assert json.loads(run("chase", "cctv", "--json").stdout) == []


def test_reminder_letter_text(run, sent_campaign):
    from sightline.campaigns.models import Request

    backdate("CCTV-0002")
    sent_on = Request.objects.get(reference="CCTV-0002").sent_at
    result = run("followup", "CCTV-0002", "--kind", "reminder")
    assert result.stdout == (
        "Subject: Reminder: Freedom of Information request: CCTV vendors [CCTV-0002]\n\n"
        "Dear London Borough of Camden,\n\n"
        "I am writing about my request for information under section 1 of the Freedom of "
        f"Information Act 2000, sent on {sent_on:%-d %B %Y} (reference CCTV-0002).\n\n"
        "Under section 10(1) of the Freedom of Information Act 2000 a response was due no later "
        "than the twentieth working day after receipt, which was 29 September 2026. I have not "
        "yet received a response.\n\n"
        "Please send your response as soon as possible. If you have already replied, please "
        "send it again quoting reference CCTV-0002.\n\n"
        "Yours faithfully,\n\nAlex Example\n"
    )


@pytest.mark.parametrize(
    ("reference", "kind", "cited"),
    [
        (
            "CCTV-0002",
            "internal-review",
            "under the code of practice issued under section 45 of the Freedom of Information Act 2000",
        ),
        (
            "CCTV-0001",
            "internal-review",
            "under section 20 of the Freedom of Information (Scotland) Act 2002",
        ),
        (
            "CCTV-0002",
            "complaint",
            "Dear Information Commissioner's Office,\n\nI wish to make a complaint under section 50 "
            "of the Freedom of Information Act 2000",
        ),
        (
            "CCTV-0001",
            "complaint",
            "Dear Scottish Information Commissioner,\n\nI wish to make a complaint under section 47 "
            "of the Freedom of Information (Scotland) Act 2002",
        ),
    ],
)
def test_follow_up_letters_cite_the_law_of_the_request(run, sent_campaign, reference, kind, cited):
    backdate(reference)  # overdue: an internal review fits
    if kind == "complaint":
        review_asked_on(reference)  # ...and a complaint once the review is overdue too
    result = run("followup", reference, "--kind", kind)
    assert result.exit_code == 0, result.stderr
    assert cited in result.stdout


def test_follow_ups_only_when_the_facts_allow_them(run, sent_campaign):
    from sightline.campaigns.models import Request
    from sightline.campaigns.service import record_event
    from sightline.lifecycle import EventKind, State

    camden = Request.objects.get(reference="CCTV-0002")
    record_event(camden, EventKind.STATE_SET, State.ACKNOWLEDGED, actor="person")
    cases = {
        "reminder": "a reminder is for an overdue request, and this one is still within its "
        "time limit",
        "internal-review": "an internal review is for a refusal, a partial answer, a 'not held' "
        "or a missed deadline, and this request is acknowledged and within its time limit",
        "complaint": "a complaint to the regulator comes after an internal review: request "
        "one first",
    }
    for kind, problem in cases.items():
        for extra in ([], ["--mark"], ["--send", "--smtp", "smtp://127.0.0.1:1"]):
            refused = run("followup", "CCTV-0002", "--kind", kind, *extra)
            assert (refused.exit_code, refused.stdout) == (1, "")
            assert refused.stderr == (
                f"Error: CCTV-0002: no {kind.replace('-', ' ')} now: {problem}\n"
            )
    record_event(camden, EventKind.STATE_SET, State.ANSWERED, actor="person")
    answered = run("followup", "CCTV-0002", "--kind", "reminder")
    assert answered.stderr == (
        "Error: CCTV-0002: no reminder now: a reminder is for a request still waiting for its "
        "answer, and this one is answered\n"
    )
    review_asked_on("CCTV-0002")
    record_event(camden, EventKind.STATE_SET, State.ANSWERED, actor="person")
    complaint = run("followup", "CCTV-0002", "--kind", "complaint")
    assert complaint.stderr == (
        "Error: CCTV-0002: no complaint now: the request was answered in full: there is "
        "nothing to complain of\n"
    )


def test_eir_letters_cite_the_regulations(run, campaign, smtp_server):
    from sightline.campaigns.models import Request

    Request.objects.filter(reference="CCTV-0002").update(law="eir")
    Request.objects.filter(reference="CCTV-0001").update(law="eisr")
    run("campaign", "send", "cctv", "--smtp", smtp_server.url)
    backdate("CCTV-0001", "CCTV-0002")
    review_asked_on("CCTV-0001")
    review = run("followup", "CCTV-0002", "--kind", "internal-review").stdout
    assert "under regulation 11 of the Environmental Information Regulations 2004" in review
    complaint = run("followup", "CCTV-0001", "--kind", "complaint").stdout
    assert complaint.startswith(
        "Subject: Complaint to the Scottish Information Commissioner: Glasgow City Council "
        "[CCTV-0001]\n\nDear Scottish Information Commissioner,\n\nI wish to make a complaint "
        "under regulation 17 (applying FOISA Part 4) of the Environmental Information (Scotland) "
        "Regulations 2004"
    )


def test_sending_an_internal_review_and_recording_a_complaint(run, sent_campaign, smtp_server):
    from sightline.campaigns.models import Request

    run("mail", "import", str(FIXTURES / "html_only_refusal.eml"))
    sent = run(
        "followup", "CCTV-0003", "--kind", "internal-review", "--send", "--smtp", smtp_server.url
    )
    assert sent.stdout == "Sent 1 message(s); 0 deferred, 0 failed\n"
    assert Request.objects.get(reference="CCTV-0003").state == "internal_review"
    last = message_from_bytes(smtp_server.handler.received[-1].content, policy=policy.default)
    assert (
        last["Subject"]
        == "Internal review: Freedom of Information request: CCTV vendors [CCTV-0003]"
    )
    review_text = last.get_content()
    assert "Under the section 45 Code of Practice I expect your decision by " in review_text
    early = run("followup", "CCTV-0003", "--kind", "complaint", "--mark")
    assert early.stderr == (
        "Error: CCTV-0003: no complaint now: the internal review is still within its time "
        "limit: wait for its answer\n"
    )
    # The review was asked for long ago (a test's back-dating): it is overdue now.
    Request.objects.filter(reference="CCTV-0003").update(
        review_requested_on=LONG_AGO, review_due=date(2026, 9, 29)
    )
    no_to = run("followup", "CCTV-0003", "--kind", "complaint", "--send", "--smtp", smtp_server.url)
    assert no_to.stderr == (
        "Error: a complaint goes to the regulator, not the authority: give its address with --to\n"
    )
    marked = run("followup", "CCTV-0003", "--kind", "complaint", "--mark")
    assert marked.stdout == "Recorded the complaint for CCTV-0003\n"
    assert Request.objects.get(reference="CCTV-0003").state == "appealed"


def test_refile_after_a_bounce(run, sent_campaign, smtp_server):
    from sightline.campaigns.models import Request

    in_time = run("refile", "CCTV-0002")
    assert in_time.stderr == (
        "Error: CCTV-0002 is sent, not delivery_failed: only a request that could not be "
        "delivered is re-filed\n"
    )
    run("mail", "import", str(FIXTURES / "bounce_dsn.eml"))
    result = run("refile", "cctv-0003", "--email", "information@hackney.gov.uk")
    assert (result.exit_code, result.stdout) == (
        0,
        "Re-filed CCTV-0003 as CCTV-0004 to London Borough of Hackney "
        "(information@hackney.gov.uk); send it with `sightline campaign send cctv`\n",
    )
    new = Request.objects.get(reference="CCTV-0004")
    assert (new.replaces.reference, new.state) == ("CCTV-0003", "draft")
    assert run("campaign", "send", "cctv", "--smtp", smtp_server.url).stdout == (
        "Sent 1 message(s); 0 deferred, 0 failed\n"
    )
    assert smtp_server.handler.received[-1].rcpt_tos == ["information@hackney.gov.uk"]
    twice = run("refile", "CCTV-0003")
    assert twice.stderr == "Error: CCTV-0003 was already re-filed as CCTV-0004\n"
    status = json.loads(run("campaign", "status", "cctv", "--json").stdout)
    assert status["counts"] == {"delivery_failed": 1, "sent": 3}


def test_template_preview_and_fields(run, campaign):
    preview = run("template", "preview", "cctv", "--reference", "CCTV-0002")
    assert preview.stdout == (
        "From: Alex Example <foi+cctv-0002-366b34d797@replies.example.org>\n"
        "To: foi@camden.gov.uk\n"
        "Subject: Freedom of Information request: CCTV vendors [CCTV-0002]\n\n"
        "Dear London Borough of Camden,\n\n"
        "Under section 1 of the Freedom of Information Act 2000, please tell me which companies "
        "made the CCTV cameras you own.\n\nAlex Example\nReference CCTV-0002\n"
    )
    fields = run("template", "fields").stdout.splitlines()
    assert fields[0] == "{authority_name}  the authority's name"
    assert run("template", "preview", "cctv", "--reference", "X-1").stderr == (
        "Error: campaign 'cctv' has no request 'X-1'\n"
    )


# `sightline worker` runs its tasks as a deployment does, outside any test transaction (its queue
# checks its database connection between tasks, as a request does): these tests commit.
@pytest.mark.django_db(transaction=True)
def test_worker_once_sends_the_outbox_and_marks_overdue(run, campaign, smtp_server, monkeypatch):
    from sightline.campaigns.models import RequestEvent

    assert run("campaign", "send", "cctv", "--queue-only").stdout == (
        "Queued 3 message(s); `sightline worker` will send them\n"
        "Sent 0 message(s); 0 deferred, 0 failed\n"
    )
    monkeypatch.setenv("SIGHTLINE_SMTP_URL", smtp_server.url)
    assert run("worker", "--once").exit_code == 0
    assert len(smtp_server.handler.received) == 3
    backdate("CCTV-0002")
    run("worker", "--once")
    run("worker", "--once")  # noted once only
    notes = RequestEvent.objects.filter(kind="note", actor="rule:deadline")
    assert [(n.request.reference, n.note) for n in notes] == [("CCTV-0002", "long_overdue")]
    assert len(smtp_server.handler.received) == 3


@pytest.mark.imap
@pytest.mark.django_db(transaction=True)
def test_worker_fetches_mail(run, sent_campaign, dovecot, monkeypatch):
    from sightline.campaigns.models import Request

    monkeypatch.setenv("SIGHTLINE_IMAP_URL", dovecot.url())
    monkeypatch.setenv("SIGHTLINE_IMAP_PASSWORD", "secret")
    dovecot.append((FIXTURES / "acknowledgement_latin1.eml").read_bytes())
    assert run("worker", "--once").exit_code == 0
    assert Request.objects.get(reference="CCTV-0001").state == "acknowledged"


def test_a_bounced_reminder_does_not_fail_the_delivered_request(
    run, sent_campaign, smtp_server, tmp_path
):
    from sightline.campaigns.models import Request, RequestEvent
    from sightline.mail.models import OutgoingMessage

    backdate("CCTV-0003")
    run("chase", "cctv", "--send", "--smtp", smtp_server.url)
    reminder = OutgoingMessage.objects.get(request__reference="CCTV-0003", kind="reminder")
    bounce = (
        (FIXTURES / "bounce_dsn.eml")
        .read_bytes()
        .replace(b"179568600412.100.1234@replies.example.org", reminder.message_id.encode())
    )
    path = tmp_path / "bounce.eml"
    path.write_bytes(bounce)
    run("mail", "import", str(path))
    assert Request.objects.get(reference="CCTV-0003").state == "sent"
    note = RequestEvent.objects.filter(request__reference="CCTV-0003").last()
    assert (note.kind, note.note, note.data["status"]) == ("note", "a follow-up bounced", "5.1.1")

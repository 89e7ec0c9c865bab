import datetime as dt
from email.message import EmailMessage

import pytest

from sightline.authorities.registry import load_builtin
from sightline.campaigns.service import create_campaign, record_event
from sightline.facts import Evidence, Extraction, Fact
from sightline.lifecycle import EventKind
from sightline.mail.inbox import raw_store
from sightline.mail.models import IncomingMessage, MessageLink
from sightline.mail.rawstore import content_hash
from sightline.review.models import ReviewDecision, StoredFact
from sightline.review.service import (
    ReviewError,
    auto_confirm,
    coded_responses,
    decide,
    evidence_rows,
    extract_campaign,
    method_info,
    numbered_questions,
    parse_value,
    pending_facts,
    store_extraction,
)

pytestmark = pytest.mark.django_db

TEMPLATE = (
    "Dear {authority_name},\n\n1. Does {authority_short_name} own Hikvision\n   equipment?\n"
    "2. How many devices?\n\nRef {reference}\n"
)


@pytest.fixture
def campaign():
    load_builtin()
    return create_campaign("cctv", "seed-52", TEMPLATE, "CCTV")


def sent(request, day):
    record_event(request, EventKind.QUEUED)
    record_event(request, EventKind.SENT, at=dt.datetime(*day, 9, 0, tzinfo=dt.UTC))
    return request


def received(request, body, day=(2021, 1, 12), subject="Re: FOI"):
    message = EmailMessage()
    message["From"] = "foi@council.example"
    message["To"] = "foi+x@sightline.example"
    message["Subject"] = subject
    message["Date"] = dt.datetime(*day, 10, 0, tzinfo=dt.UTC).strftime(
        "%a, %d %b %Y %H:%M:%S +0000"
    )
    message["Message-ID"] = f"<{content_hash(body.encode())[:16]}@council.example>"
    message.set_content(body)
    raw = bytes(message)
    sha = raw_store().put(raw)
    stored = IncomingMessage.objects.create(
        sha256=sha,
        message_id=message["Message-ID"],
        source="test",
        size=len(raw),
        subject=subject,
        date=dt.datetime(*day, 10, 0, tzinfo=dt.UTC),
    )
    MessageLink.objects.create(message=stored, request=request, method="address")
    return stored


def facts(*items):
    return Extraction("test", [Fact(*item) for item in items])


def by_authority(responses):
    return {r.authority: r for r in responses}


def test_parse_value_checks_the_vocabulary():
    assert parse_value("owned", "yes") == "yes"
    assert parse_value("count", "1,790") == 1790
    assert parse_value("count", "none") is None
    assert parse_value("hikvision_or_dahua_unspecified", "true") is True
    assert parse_value("device_types", "camera, nvr") == ["camera", "nvr"]
    with pytest.raises(ReviewError) as error:
        parse_value("owned", "maybe")
    assert str(error.value) == "owned must be one of yes, no, unknown, unstated, not 'maybe'"
    with pytest.raises(ReviewError):
        parse_value("count", "lots")


def test_store_decide_and_code(campaign):
    camden = sent(campaign.requests.get(authority__gss_code="E09000007"), (2021, 1, 4))
    message = received(camden, "We own 12 Hikvision cameras.")
    extraction = facts(
        (
            "status",
            "answered",
            [Evidence("We own 12 Hikvision cameras.", "body")],
            "status.answer",
            0.9,
        ),
        (
            "owned",
            "yes",
            [Evidence("We own 12 Hikvision cameras.", "body")],
            "owned.statement",
            0.95,
            "hikvision",
        ),
        (
            "count",
            12,
            [Evidence("12 Hikvision cameras", "body")],
            "count.near_vendor",
            0.6,
            "hikvision",
        ),
        ("owned", "unstated", [], "owned.absent", 1.0, "dahua"),
    )
    stored = store_extraction(camden, message, extraction, "Re: FOI")
    assert [f.status for f in stored] == ["pending"] * 4
    assert [f.field for f in pending_facts(campaign)] == ["count", "status", "owned", "owned"]

    # Nothing counts until a person has confirmed it.
    assert (
        by_authority(coded_responses(campaign))["London Borough of Camden"].outcome == "no_response"
    )

    status, owned, count, _ = stored
    decide(status, "confirm", "ann")
    decide(owned, "confirm", "ann")
    decide(count, "correct", "bob", "1,790", note="Count taken from the asset register.")
    with pytest.raises(ReviewError) as error:
        decide(count, "correct", "bob", "many")
    assert str(error.value) == "count must be a whole number or 'none', not 'many'"

    count.refresh_from_db()
    assert (count.value, count.final_value, count.status) == (12, 1790, "corrected")
    assert list(ReviewDecision.objects.values_list("decision", "reviewer")) == [
        ("confirm", "ann"),
        ("confirm", "ann"),
        ("correct", "bob"),
    ]
    camden_row = by_authority(coded_responses(campaign))["London Borough of Camden"]
    assert camden_row.outcome == "answered"
    assert camden_row.group == "London borough councils"
    assert camden_row.responded_on == dt.date(2021, 1, 12)
    assert (camden_row.hikvision, camden_row.dahua) == ("yes", "unknown")
    assert camden_row.hikvision_devices == 1790
    assert camden_row.note == "Count taken from the asset register."
    leeds_row = by_authority(coded_responses(campaign))["Leeds City Council"]
    assert (leeds_row.group, leeds_row.outcome) == (
        "Largest city councils outside London",
        "not_delivered",  # never sent
    )

    rows = evidence_rows(campaign)
    assert [(r.fact, r.value, r.location, r.status) for r in rows] == [
        ("status", "answered", "body", "confirmed"),
        ("owned:hikvision", "yes", "body", "confirmed"),
        ("count:hikvision", "1790", "body", "corrected"),
    ]


def test_rejected_facts_do_not_count_and_refusals_are_coded(campaign):
    leeds = sent(campaign.requests.get(authority__gss_code="E08000035"), (2021, 1, 4))
    message = received(leeds, "Withheld under section 31.")
    stored = store_extraction(
        leeds,
        message,
        facts(
            (
                "status",
                "refused",
                [Evidence("Withheld under section 31.", "body")],
                "status.refusal",
                0.9,
            ),
            ("owned", "no", [Evidence("Withheld", "body")], "owned.bad", 0.2, "hikvision"),
        ),
        "Re: FOI",
    )
    decide(stored[0], "confirm", "ann")
    decide(stored[1], "reject", "ann")
    row = by_authority(coded_responses(campaign))["Leeds City Council"]
    assert (row.outcome, row.hikvision, row.responded_on) == (
        "refused",
        "unknown",
        dt.date(2021, 1, 12),
    )


def test_later_answer_replaces_the_acknowledgement(campaign):
    leeds = sent(campaign.requests.get(authority__gss_code="E08000035"), (2021, 1, 4))
    first = received(leeds, "We have received your request.", day=(2021, 1, 5))
    second = received(leeds, "We do not own any Dahua equipment.", day=(2021, 2, 1))
    store_extraction(leeds, first, facts(("status", "acknowledged", [], "status.ack", 0.99)), "ack")
    store_extraction(
        leeds,
        second,
        facts(
            ("status", "answered", [], "status.answer", 0.9),
            ("owned", "no", [], "owned.negation", 0.9, "dahua"),
        ),
        "answer",
    )
    assert auto_confirm(campaign, 0.85, "demo") == 3
    row = by_authority(coded_responses(campaign))["Leeds City Council"]
    assert (row.outcome, row.dahua, row.responded_on) == ("answered", "no", dt.date(2021, 2, 1))


def test_extract_campaign_reads_each_message_once(campaign):
    camden = sent(campaign.requests.get(authority__gss_code="E09000007"), (2021, 1, 4))
    received(camden, "The council does not own any Hikvision or Dahua cameras.")
    first = extract_campaign(campaign)
    assert (first.messages, first.errors) == (1, [])
    assert first.facts == StoredFact.objects.count() > 0
    owned = {
        f.vendor: f.value
        for f in StoredFact.objects.filter(field="owned", vendor__in=["hikvision", "dahua"])
    }
    assert owned == {"hikvision": "no", "dahua": "no"}
    again = extract_campaign(campaign)
    assert (again.messages, again.facts) == (0, 0)


def test_method_info_and_questions(campaign):
    sent(campaign.requests.first(), (2021, 1, 4))
    method = method_info(campaign)
    assert method.sent_on == dt.date(2021, 1, 4)
    assert method.law == (
        "Freedom of Information (Scotland) Act 2002 and Freedom of Information Act 2000"
    )
    assert method.asked.endswith("(52 requests)")
    assert method.questions == ("Does the authority own Hikvision equipment?", "How many devices?")


def test_numbered_questions_ignores_other_paragraphs():
    assert numbered_questions("Intro\n\n1) First\n2. Second\ncontinued\n\nBye 3. no") == (
        "First",
        "Second continued",
    )


def test_coding_follows_the_order_messages_were_written_not_imported(campaign):
    leeds = sent(campaign.requests.get(authority__gss_code="E08000035"), (2021, 1, 4))
    answer = received(leeds, "We do not own any Dahua equipment.", day=(2021, 2, 1))
    ack = received(leeds, "We have received your request.", day=(2021, 1, 5))
    store_extraction(leeds, answer, facts(("status", "answered", [], "s", 0.9)), "answer")
    store_extraction(leeds, ack, facts(("status", "acknowledged", [], "s", 0.9)), "ack")
    auto_confirm(campaign, 0.5, "demo")
    row = by_authority(coded_responses(campaign))["Leeds City Council"]
    assert (row.outcome, row.responded_on) == ("answered", dt.date(2021, 2, 1))


def test_confirmed_status_of_the_newest_reply_sets_the_request_state(campaign):
    leeds = sent(campaign.requests.get(authority__gss_code="E08000035"), (2021, 1, 4))
    ack = received(leeds, "We have received your request.", day=(2021, 1, 5))
    answer = received(leeds, "Withheld under section 31.", day=(2021, 2, 1))
    (ack_status,) = store_extraction(
        leeds, ack, facts(("status", "acknowledged", [], "s", 0.9)), "a"
    )
    (refusal,) = store_extraction(leeds, answer, facts(("status", "refused", [], "s", 0.9)), "b")
    decide(refusal, "confirm", "ann")
    leeds.refresh_from_db()
    assert (leeds.state, leeds.state_is_guess) == ("refused", False)
    assert leeds.events.last().actor == "ann"
    decide(ack_status, "confirm", "ann")  # an older reply moves nothing back
    leeds.refresh_from_db()
    assert leeds.state == "refused"
    decide(refusal, "correct", "bob", "answered")
    leeds.refresh_from_db()
    assert leeds.state == "answered"


def test_findings_of_a_campaign_with_requests_in_every_state_read_true(campaign):
    from sightline.campaigns.service import campaign_status
    from sightline.findings.engine import compute_findings
    from sightline.findings.spec import default_spec
    from sightline.lifecycle import State

    today = dt.date(2021, 3, 1)
    codes = {
        "refused": "E09000007",  # Camden
        "not_held": "E09000012",  # Hackney
        "bounced": "E09000005",  # Brent
        "in_time": "E08000025",  # Birmingham
        "late": "E08000035",  # Leeds
        "clarify": "S12000049",  # Glasgow
        "withdrawn": "E09000033",  # Westminster
        "future": "E08000003",  # Manchester
    }
    requests = {name: campaign.requests.get(authority__gss_code=c) for name, c in codes.items()}
    for name, request in requests.items():
        sent(request, (2021, 2, 22) if name == "in_time" else (2021, 1, 4))
    record_event(requests["refused"], EventKind.STATE_SET, State.REFUSED, actor="ann")
    record_event(requests["not_held"], EventKind.STATE_SET, State.NOT_HELD, actor="ann")
    record_event(requests["bounced"], EventKind.DELIVERY_FAILED)
    record_event(requests["clarify"], EventKind.STATE_SET, State.CLARIFICATION_REQUESTED)
    record_event(requests["withdrawn"], EventKind.WITHDRAWN, actor="ann")
    # Manchester's answer carries a date in the future, and two reviewers left notes.
    message = received(requests["future"], "We own no Hikvision cameras.", day=(2021, 6, 1))
    stored = store_extraction(
        requests["future"],
        message,
        facts(
            (
                "owned",
                "no",
                [Evidence("We own no Hikvision", "body")],
                "owned.statement",
                0.9,
                "hikvision",
            )
        ),
        "Re: FOI",
    )
    decide(stored[0], "confirm", "ann", note="Read from the covering letter")
    decide(stored[0], "confirm", "bob", note="Checked against the register.")
    coded = by_authority(coded_responses(campaign, today=today))
    outcomes = {
        name: coded[r.authority.name].outcome for name, r in requests.items() if name != "withdrawn"
    }
    assert outcomes == {
        "refused": "refused",
        "not_held": "not_held",
        "bounced": "not_delivered",
        "in_time": "awaiting",
        "late": "no_response",
        "clarify": "awaiting",  # its clock is stopped
        "future": "answered",
    }
    assert requests["withdrawn"].authority.name not in coded  # it asked nothing in the end
    assert coded["Manchester City Council"].note == (
        "Read from the covering letter. Checked against the register. The reply is dated "
        "2021-06-01, after 2021-03-01: its date needs checking."
    )
    findings = compute_findings(list(coded.values()), default_spec())
    assert findings.outcomes["not_delivered"] == 45  # the 44 never sent and the bounce
    headline = findings.headlines[0]
    assert headline.startswith(
        "We sent Freedom of Information requests to 51 authorities: 1 answered and 2 withheld "
        "the information or did not respond in time; 1 said it holds none of the information, "
        "45 could not be delivered and 2 are still within the time limit."
    )
    assert campaign_status(campaign, today=today)["counts"]["withdrawn"] == 1


def test_the_queue_puts_the_most_doubtful_fact_first_across_requests(campaign):
    leeds = sent(campaign.requests.get(authority__gss_code="E08000035"), (2021, 1, 4))
    camden = sent(campaign.requests.get(authority__gss_code="E09000007"), (2021, 1, 4))
    store_extraction(
        leeds,
        received(leeds, "We have 3 Hikvision cameras."),
        facts(
            ("status", "answered", [], "status.answered", 0.9),
            ("owned", "yes", [], "owned.statement", 0.85, "hikvision"),
        ),
        "answer",
    )
    store_extraction(
        camden,
        received(camden, "The council has some cameras."),
        facts(("status", "answered", [], "status.default-answered", 0.7)),
        "answer",
    )
    queue = [(f.request.authority.name, f.rule) for f in pending_facts(campaign)]
    assert queue == [
        ("London Borough of Camden", "status.default-answered"),
        ("Leeds City Council", "owned.statement"),
        ("Leeds City Council", "status.answered"),
    ]

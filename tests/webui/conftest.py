"""Fixtures for the web interface tests: one user per role, a campaign with a sent request, a
reply (with an attachment and an HTML body carrying a script) and facts waiting for review."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage

import pytest
from django.test import Client

from sightline.authorities.models import Authority, Contact
from sightline.authorities.registry import load_builtin
from sightline.campaigns.models import Request, RequestEvent
from sightline.campaigns.service import create_campaign, record_event
from sightline.facts import Evidence, Extraction, Fact
from sightline.lifecycle import EventKind
from sightline.mail.inbox import raw_store
from sightline.mail.models import IncomingMessage, MessageLink
from sightline.review.service import store_extraction
from sightline.webui.roles import ROLE_NAMES, set_role

PASSWORD = "a-long-test-passphrase-7"
TEMPLATE = (
    "Dear {authority_name},\n\n1. Does {authority_short_name} own Hikvision equipment?\n"
    "2. How many devices?\n\nRef {reference}\n"
)
REPLY_TEXT = (
    "Thank you for your request.\n\nThe council owns 14 Hikvision cameras in the town centre.\n"
    "We do not own any Dahua equipment.\n"
)


def pytest_configure(config: pytest.Config) -> None:
    # The live server for the browser tests listens on IPv4 loopback, never another address.
    if not config.getoption("liveserver", default=None):
        config.option.liveserver = "127.0.0.1"


@pytest.fixture(autouse=True)
def quick_passwords(settings):
    """The real hasher takes most of a second per password; these tests are not about it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def users(django_user_model):
    """One user per role, named after it; password PASSWORD."""
    made = {}
    for role in ROLE_NAMES:
        user = django_user_model.objects.create_user(username=role, password=PASSWORD)
        set_role(user, role)
        made[role] = user
    return made


@pytest.fixture
def client_for(users):
    def make(role: str) -> Client:
        client = Client()
        client.force_login(users[role])
        return client

    return make


def reply_message(reference: str, text: str = REPLY_TEXT, html: bool = True) -> bytes:
    message = EmailMessage()
    message["From"] = "FOI Team <foi@camden.example>"
    message["To"] = "foi+x@sightline.example"
    message["Subject"] = f"Re: Freedom of Information request [{reference}]"
    message["Date"] = "Tue, 12 Jan 2021 10:00:00 +0000"
    message["Message-ID"] = f"<reply-{reference.lower()}@camden.example>"
    message.set_content(text)
    if html:
        message.add_alternative(
            "<p>The council owns <b>14</b> Hikvision cameras.</p>"
            "<script>alert('x')</script><img src='https://tracker.example/p.gif'>"
            "<a href='javascript:alert(1)' onclick='steal()'>link</a>",
            subtype="html",
        )
    message.add_attachment(
        b"make,count\nHikvision,14\n", maintype="text", subtype="csv", filename="assets.csv"
    )
    message.add_attachment(
        b"<html><script>alert(1)</script></html>",
        maintype="text",
        subtype="html",
        filename="../../evil.html",
    )
    return bytes(message)


def store_reply(request: Request, raw: bytes, link: bool = True) -> IncomingMessage:
    sha = raw_store().put(raw)
    message = IncomingMessage.objects.create(
        sha256=sha,
        message_id=f"m-{sha[:12]}",
        source="test",
        size=len(raw),
        from_address="foi@camden.example",
        subject=f"Re: Freedom of Information request [{request.reference}]",
        date=dt.datetime(2021, 1, 12, 10, 0, tzinfo=dt.UTC),
    )
    if link:
        MessageLink.objects.create(message=message, request=request, method="address")
        record_event(
            request,
            EventKind.MESSAGE_RECEIVED,
            data={"message": message.pk, "subject": message.subject},
            at=dt.datetime(2021, 1, 12, 10, 0, tzinfo=dt.UTC),
        )
    return message


def send(request: Request, day: dt.date = dt.date(2021, 1, 4)) -> Request:
    record_event(request, EventKind.QUEUED)
    record_event(
        request, EventKind.SENT, at=dt.datetime(day.year, day.month, day.day, 9, tzinfo=dt.UTC)
    )
    request.refresh_from_db()
    return request


@pytest.fixture
def campaign(db):
    load_builtin()
    made = create_campaign(
        "cctv",
        "london-boroughs",
        TEMPLATE,
        "CCTV in London",
        requester_name="A. Researcher",
        reply_domain="replies.example.org",
    )
    for request in made.requests.select_related("authority"):
        Contact.objects.create(
            authority=request.authority,
            email=f"foi@{request.authority.gss_code.lower()}.example",
            checked_on=dt.date(2021, 1, 1),
        )
    return made


@pytest.fixture
def answered(campaign):
    """Camden's request: sent 4 January 2021, a reply with two facts waiting for review."""
    request = send(campaign.requests.get(authority__gss_code="E09000007"))
    message = store_reply(request, reply_message(request.reference))
    extraction = Extraction(
        "test",
        [
            Fact(
                "owned",
                "yes",
                [Evidence("owns 14 Hikvision cameras", "body")],
                "owned.statement",
                0.9,
                "hikvision",
            ),
            Fact(
                "count",
                14,
                [Evidence("14 Hikvision cameras", "body")],
                "count.near_vendor",
                0.6,
                "hikvision",
            ),
        ],
    )
    store_extraction(request, message, extraction, message.subject)
    request.refresh_from_db()
    return request


@pytest.fixture
def replied(campaign):
    """Islington's request: sent, and a reply linked to it that nobody has read for facts."""
    request = send(campaign.requests.get(authority__gss_code="E09000019"))
    store_reply(request, reply_message(request.reference, html=False))
    request.refresh_from_db()
    return request


@pytest.fixture
def unmatched(campaign):
    """A message no request claimed, from Camden's domain."""
    request = campaign.requests.get(authority__gss_code="E09000007")
    message = store_reply(request, reply_message("NOREF", "We enclose our answer.", False), False)
    message.suggestions = [request.reference]
    message.save(update_fields=["suggestions"])
    return message


def add_requests(campaign, count: int, start: int) -> None:
    """Add ``count`` sent requests (to new authorities), each with a reply and a pending fact."""
    authorities = Authority.objects.bulk_create(
        Authority(
            gss_code=f"X{start + n:08d}",
            name=f"Test Authority {start + n}",
            nation="England",
            law="foia",
            source="csv",
        )
        for n in range(count)
    )
    sent_at = dt.datetime(2021, 1, 4, 9, tzinfo=dt.UTC)
    requests = Request.objects.bulk_create(
        Request(
            campaign=campaign,
            authority=authority,
            reference=f"{campaign.reference_prefix}-{start + n:05d}",
            law="foia",
            state="sent" if n % 2 else "answered",
            sent_at=sent_at,
            received_on=dt.date(2021, 1, 4),
            due=dt.date(2021, 2, 1),
            last_message_at=sent_at,
        )
        for n, authority in enumerate(authorities)
    )
    RequestEvent.objects.bulk_create(
        RequestEvent(request=r, kind="sent", at=sent_at) for r in requests
    )
    for request in requests:
        message = store_reply(request, reply_message(request.reference, html=False), link=False)
        MessageLink.objects.create(message=message, request=request, method="address")
        IncomingMessage.objects.create(
            sha256=f"{request.pk:064d}",
            source="test",
            size=1,
            subject=f"stray {request.reference}",
            suggestions=[request.reference],
        )
        store_extraction(
            request,
            message,
            Extraction("t", [Fact("status", "answered", [Evidence("answer", "body")], "s", 0.5)]),
            "reply",
        )


@pytest.fixture
def grow():
    """``grow(campaign, count, start)``: add requests with replies, stray mail and facts."""
    return add_requests


@pytest.fixture
def run_queued():
    """Run every queued task here, as `sightline worker` would: a function that returns the
    jobs it ran, oldest first."""
    from sightline.tasks.models import Job
    from sightline.tasks.work import run_job

    def run() -> list[Job]:
        jobs = list(Job.objects.filter(outcome="").order_by("id"))
        for job in jobs:
            run_job.call(job.pk)
            job.refresh_from_db()
        return jobs

    return run

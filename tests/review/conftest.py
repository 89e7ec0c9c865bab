"""A campaign whose letters and replies are full of personal data, for the publishing tests.

Every person, address and number here is invented; the telephone numbers are in Ofcom's ranges
reserved for drama (0113 496 0xxx, 0121 496 0xxx, 07700 900xxx), the domains end in .example
(RFC 2606) and the postcode district is only the shape of a real one.
"""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage

import pytest

from sightline.authorities.models import Authority, Contact
from sightline.authorities.registry import load_builtin
from sightline.campaigns.models import Campaign
from sightline.campaigns.service import create_campaign, record_event
from sightline.lifecycle import EventKind
from sightline.mail.inbox import raw_store
from sightline.mail.models import IncomingMessage, MessageLink, OutgoingMessage

LEEDS = "E08000035"
BIRMINGHAM = "E08000025"

TEMPLATE = """Dear {authority_name},

Under the {law_name} please tell me:

1. Does the council own any Hikvision or Dahua equipment?

Yours faithfully,

{requester_name}
12 Acacia Avenue
Leyton
E10 5AB
"""

LEEDS_REPLY = """Dear Mr Doe,

Freedom of Information request {reference}

Thank you for your request. The council owns 27 Hikvision cameras. The council does not own any Dahua equipment.

Section 1(1) of the Freedom of Information Act 2000 gives you the right to be told whether
information is held.

If you are unhappy with this response, write to foi@leeds.example or call our switchboard on
0113 496 0000.

Kind regards

Priya Raman
Information Governance Officer
Direct line: 0113 496 0321
Mobile: 07700 900123
priya.raman@leeds.example

-----Original Message-----
From: Alex Doe <alex.doe@mail.example>
Sent: 04 January 2021 09:00
Subject: Freedom of Information request {reference}
"""

BIRMINGHAM_BODY = """Hello Alex,

Please find our response to your request attached.

Many thanks
Tomasz Nowak
t.nowak@birmingham.example
+44 121 496 0777
"""

BIRMINGHAM_ATTACHMENT = """Response to Alex Doe
12 Acacia Avenue, Leyton, E10 5AB

The council does not own any Hikvision or Dahua equipment.

Yours sincerely

Marta Kowalska
Records Manager
"""

# Every piece of personal data above, as it must never appear in anything published.
PERSONAL = (
    "Alex Doe",
    "alex.doe@mail.example",
    "Acacia",
    "E10 5AB",
    "Priya Raman",
    "priya.raman@leeds.example",
    "0113 496 0321",
    "07700 900123",
    "Tomasz Nowak",
    "t.nowak@birmingham.example",
    "121 496 0777",
    "Marta Kowalska",
    "Doe",
    "reply-secret-cctv",  # the requester's reply addresses
)
# What is not personal data and must stay: the FOI address, the switchboard, the law.
PUBLIC = (
    "foi@leeds.example",
    "0113 496 0000",
    "Section 1(1) of the Freedom of Information Act 2000",
)


def _letter(campaign: Campaign, request_reference: str, authority: Authority) -> bytes:
    message = EmailMessage()
    sender = f"foi+{request_reference.lower()}-reply-secret-cctv@replies.example"
    message["From"] = f"Alex Doe <{sender}>"
    message["To"] = authority.foi_email or "foi@council.example"
    message["Subject"] = f"Freedom of Information request {request_reference}"
    message["Date"] = "Mon, 04 Jan 2021 09:00:00 +0000"
    message["Message-ID"] = f"<{request_reference}@replies.example>"
    message.set_content(
        TEMPLATE.format(
            authority_name=authority.name,
            law_name="Freedom of Information Act 2000",
            requester_name=campaign.requester_name,
        )
    )
    return bytes(message)


def _receive(request, subject: str, body: str, date: dt.datetime, attachment: str = "") -> None:
    message = EmailMessage()
    message["From"] = "foi@council.example"
    message["Subject"] = subject
    message["Date"] = date.strftime("%a, %d %b %Y %H:%M:%S +0000")
    message.set_content(body)
    if attachment:
        message.add_attachment(
            attachment.encode("utf-8"), maintype="text", subtype="plain", filename="response.txt"
        )
    raw = bytes(message)
    stored = IncomingMessage.objects.create(
        sha256=raw_store().put(raw),
        source="test",
        size=len(raw),
        from_address="foi@council.example",
        subject=subject,
        date=date,
    )
    MessageLink.objects.create(message=stored, request=request, method="address")
    record_event(request, EventKind.MESSAGE_RECEIVED, at=date, data={"message": stored.pk})


@pytest.fixture
def personal_campaign() -> Campaign:
    """Two requests sent and answered, letters and replies full of personal data, every fact
    confirmed."""
    load_builtin()
    leeds_council = Authority.objects.get(gss_code=LEEDS)
    Contact.objects.create(
        authority=leeds_council, email="foi@leeds.example", checked_on=dt.date(2021, 1, 1)
    )
    campaign = create_campaign(
        "cctv", "largest-cities", TEMPLATE, "CCTV in the largest cities", requester_name="Alex Doe"
    )
    sent_at = dt.datetime(2021, 1, 4, 9, tzinfo=dt.UTC)
    for code, reply in ((LEEDS, "leeds"), (BIRMINGHAM, "birmingham")):
        request = campaign.requests.get(authority__gss_code=code)
        record_event(request, EventKind.QUEUED)
        raw = _letter(campaign, request.reference, request.authority)
        OutgoingMessage.objects.create(
            request=request,
            message_id=f"<{request.reference}@replies.example>",
            envelope_from=f"foi+{request.reference.lower()}-reply-secret-cctv@replies.example",
            to=request.authority.foi_email or "foi@council.example",
            subject=f"Freedom of Information request {request.reference}",
            raw=raw,
            status=OutgoingMessage.Status.SENT,
            sent_at=sent_at,
        )
        record_event(request, EventKind.SENT, at=sent_at)
        subject = f"RE: Freedom of Information request {request.reference} - Alex Doe"
        answered = dt.datetime(2021, 1, 20, 10, tzinfo=dt.UTC)
        if reply == "leeds":
            _receive(request, subject, LEEDS_REPLY.format(reference=request.reference), answered)
        else:
            _receive(request, subject, BIRMINGHAM_BODY, answered, BIRMINGHAM_ATTACHMENT)
    from sightline.review.service import auto_confirm, extract_campaign

    report = extract_campaign(campaign)
    assert report.errors == []
    auto_confirm(campaign, 0.0, "ed")
    return campaign


@pytest.fixture
def personal_data() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(what must never be published, what must stay) for ``personal_campaign``."""
    return PERSONAL, PUBLIC

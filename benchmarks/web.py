"""Time the web interface's busiest pages on a campaign of 10,000 requests and 50,000 messages.

    .venv/bin/python benchmarks/web.py [--requests 10000] [--messages 50000] [--runs 30]

Builds a temporary SQLite database (WAL, as `sightline init` makes it): one campaign of
--requests requests to as many invented authorities, in every state, sent over ten weeks so
that some are in time, some overdue and some long overdue; 1 to 3 events each; --messages
received messages (five in six linked to a request, the rest unmatched); two pending facts with
evidence per request. Then, with the Django test client logged in as an owner, it requests each
page --runs times (after three warm-up requests) and prints the median and 95th percentile beside
a trivial view (login required, returns "ok") timed in the same run; then the same for the JSON
API's lists, with an owner's API token.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

STATES = [
    ("sent", 30),
    ("acknowledged", 10),
    ("answered", 30),
    ("partially_answered", 5),
    ("refused", 8),
    ("not_held", 5),
    ("delivery_failed", 2),
    ("internal_review", 3),
    ("draft", 7),
]


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


# The benchmark's own URLconf: the interface plus the trivial view (filled once Django is set up).
urlpatterns: list[object] = []


def reply(reference: str) -> bytes:
    message = EmailMessage()
    message["From"] = "foi@authority.example"
    message["Subject"] = f"Re: Freedom of Information request [{reference}]"
    message["Date"] = "Tue, 12 Jan 2021 10:00:00 +0000"
    message["Message-ID"] = f"<{reference.lower()}@authority.example>"
    message.set_content(
        "Thank you for your request.\n\n"
        + "The council operates a public space CCTV system.\n" * 20
        + "The council owns 14 Hikvision cameras in the town centre.\n"
    )
    return bytes(message)


def build(request_count: int, message_count: int) -> str:
    """Fill the database; return the campaign's slug."""
    from django.contrib.auth import get_user_model

    from sightline.authorities.models import Authority
    from sightline.campaigns.models import Campaign, Request, RequestEvent
    from sightline.mail.inbox import raw_store
    from sightline.mail.models import IncomingMessage, MessageLink
    from sightline.review.models import FactEvidence, StoredFact
    from sightline.webui.roles import set_role

    batch = 2000
    campaign = Campaign.objects.create(
        slug="bench",
        title="Benchmark campaign",
        template="Dear {authority_name}\n",
        authority_set="bench",
        reference_prefix="BENCH",
        secret="x" * 32,
    )
    authorities = Authority.objects.bulk_create(
        (
            Authority(
                gss_code=f"B{n:08d}",
                name=f"Authority {n:05d}",
                nation="England",
                law="foia",
                source="csv",
            )
            for n in range(request_count)
        ),
        batch_size=batch,
    )
    weights = [w for _, w in STATES]
    cycle = [s for s, w in STATES for _ in range(w)]
    assert len(cycle) == sum(weights)
    first_day = dt.date.today() - dt.timedelta(days=70)
    requests = []
    for n, authority in enumerate(authorities):
        state = cycle[n % len(cycle)]
        day = first_day + dt.timedelta(days=n % 70)
        sent = state != "draft"
        at = dt.datetime(day.year, day.month, day.day, 9, tzinfo=dt.UTC)
        requests.append(
            Request(
                campaign=campaign,
                authority=authority,
                reference=f"BENCH-{n:05d}",
                law="foia",
                state=state,
                sent_at=at if sent else None,
                received_on=day if sent else None,
                due=day + dt.timedelta(days=28) if sent else None,
                last_message_at=at + dt.timedelta(days=10) if sent else None,
            )
        )
    requests = Request.objects.bulk_create(requests, batch_size=batch)
    events = []
    for request in requests:
        events.append(RequestEvent(request=request, kind="created"))
        if request.sent_at:
            events.append(RequestEvent(request=request, kind="sent", at=request.sent_at))
            if request.state != "sent":
                events.append(RequestEvent(request=request, kind="state_set", state=request.state))
    RequestEvent.objects.bulk_create(events, batch_size=batch)
    store = raw_store()
    raw = reply("BENCH-00000")
    sha = store.put(raw)
    messages = [
        IncomingMessage(
            sha256=sha if n == 0 else f"{n:064x}",
            message_id=f"m{n}@authority.example",
            source="benchmark",
            size=len(raw),
            from_address="foi@authority.example",
            subject=f"Re: request {n}",
            date=dt.datetime(2021, 1, 12, 10, tzinfo=dt.UTC),
        )
        for n in range(message_count)
    ]
    messages = IncomingMessage.objects.bulk_create(messages, batch_size=batch)
    links = [
        MessageLink(message=message, request=requests[n % len(requests)], method="address")
        for n, message in enumerate(messages)
        if n % 6 != 5
    ]
    MessageLink.objects.bulk_create(links, batch_size=batch)
    facts = StoredFact.objects.bulk_create(
        (
            StoredFact(
                request=request,
                message=messages[0] if n == 0 else messages[n % len(messages)],
                document="Re: request",
                field=field,
                vendor="hikvision",
                value=value,
                final_value=value,
                rule="bench",
                confidence=confidence,
            )
            for n, request in enumerate(requests)
            for field, value, confidence in (("owned", "yes", 0.9), ("count", 14, 0.6))
        ),
        batch_size=batch,
    )
    FactEvidence.objects.bulk_create(
        (FactEvidence(fact=f, quote="14 Hikvision cameras", location="body") for f in facts),
        batch_size=batch,
    )
    owner = get_user_model().objects.create_user(username="owner", password="unused-here-123")
    set_role(owner, "owner")
    return campaign.slug


def reply_page(slug: str) -> str:
    """The review page of the most doubtful reply."""
    from sightline.campaigns.models import Campaign
    from sightline.review.models import StoredFact
    from sightline.review.replies import next_reply

    key = next_reply(Campaign.objects.get(slug=slug))
    assert key is not None
    fact = StoredFact.objects.select_related("request").filter(request_id=key.request_id).first()
    assert fact is not None
    return f"/c/{slug}/review/replies/{fact.request.reference}/{key.message_id or 0}/"


def time_page(client, url: str, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    for _ in range(3):
        assert client.get(url).status_code == 200, url
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, url
    return times


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--messages", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="sightline-web-bench-") as folder:
        os.environ["SIGHTLINE_HOME"] = folder
        os.environ.pop("DATABASE_URL", None)
        os.environ["DJANGO_SETTINGS_MODULE"] = "sightline.web.settings"
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from sightline.web.bootstrap import setup_django

        setup_django()
        from django.conf import settings
        from django.core.management import call_command
        from django.test import Client

        urlpatterns.extend(
            [
                path("trivial/", trivial),
                path("api/v1/", include("sightline.webui.api")),
                path("", include("sightline.webui.urls")),
            ]
        )
        settings.ROOT_URLCONF = __name__
        settings.ALLOWED_HOSTS = ["testserver"]
        call_command("migrate", interactive=False, verbosity=0)
        started = time.perf_counter()
        slug = build(args.requests, args.messages)
        print(
            f"Built {args.requests:,} requests and {args.messages:,} messages "
            f"in {time.perf_counter() - started:.1f} s (SQLite, {folder})",
            file=sys.stderr,
        )
        from django.contrib.auth import get_user_model

        client = Client()
        client.force_login(get_user_model().objects.get(username="owner"))
        pages = {
            "trivial view": "/trivial/",
            "dashboard": f"/c/{slug}/",
            "request list": f"/c/{slug}/requests/",
            "request list, overdue by due date": f"/c/{slug}/requests/?deadline=overdue&sort=due",
            "request list, page 50": f"/c/{slug}/requests/?page=50",
            "review": f"/c/{slug}/review/",
            "replies to review": f"/c/{slug}/review/replies/",
            "one reply to review": reply_page(slug),
            "bulk confirmation sample": f"/c/{slug}/review/bulk/?min=0.9",
            "unmatched mail": "/mail/unmatched/",
        }
        if os.environ.get("SIGHTLINE_BENCH_QUERIES"):  # each query of one page, slowest first
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            url = pages[os.environ["SIGHTLINE_BENCH_QUERIES"]]
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"])):
                print(f"{float(query['time']) * 1000:8.1f} ms  {query['sql'][:300]}")
            return
        if os.environ.get("SIGHTLINE_BENCH_PROFILE"):
            import cProfile
            import pstats

            url = pages[os.environ["SIGHTLINE_BENCH_PROFILE"]]
            client.get(url)
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(5):
                client.get(url)
            profile.disable()
            pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
            return
        results = {name: time_page(client, url, args.runs) for name, url in pages.items()}
        # The JSON API, with an owner's token, over the same data.
        from sightline.campaigns.models import Request
        from sightline.webui.users import create_api_token

        owner = get_user_model().objects.get(username="owner")
        api = Client(HTTP_AUTHORIZATION=f"Bearer {create_api_token(owner, 'bench').token}")
        reference = Request.objects.filter(campaign__slug=slug).order_by("reference")[0].reference
        calls = {
            "API: campaigns": "/api/v1/campaigns/",
            "API: campaign with counts": f"/api/v1/campaigns/{slug}/",
            "API: requests (first 100)": f"/api/v1/campaigns/{slug}/requests/",
            "API: requests, page 50": f"/api/v1/campaigns/{slug}/requests/?page=50",
            "API: requests, 500 a page": f"/api/v1/campaigns/{slug}/requests/?per_page=500",
            "API: one request's events": f"/api/v1/requests/{reference}/events/",
        }
        results.update({name: time_page(api, url, args.runs) for name, url in calls.items()})
    base = statistics.median(results["trivial view"])
    print(f"{'page':36} {'median ms':>10} {'p95 ms':>10} {'x trivial':>10}")
    for name, times in results.items():
        median = statistics.median(times)
        print(f"{name:36} {median * 1000:10.1f} {p95(times) * 1000:10.1f} {median / base:10.1f}")


if __name__ == "__main__":
    main()

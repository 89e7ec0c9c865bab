"""The read-only JSON API: tokens made and revoked in the browser, kept hashed, acting as their
user; campaigns, requests, events and confirmed facts in pages; errors as JSON."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sightline.review.models import StoredFact
from sightline.review.service import decide
from sightline.webui.models import ApiToken, AuditEntry
from sightline.webui.users import create_api_token, hashed

pytestmark = pytest.mark.django_db


def issued_token(response) -> str:
    page = response.content.decode()
    marker = 'id="issued-token" readonly value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


def api(token: str | None, path: str, **headers):
    if token is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return Client().get(f"/api/v1/{path}", **headers)


@pytest.fixture
def token_for(users):
    def make(role: str) -> str:
        return create_api_token(users[role], f"{role}'s tool").token

    return make


def test_a_user_makes_a_token_in_the_browser_sees_it_once_and_revokes_it(client_for, users):
    viewer = client_for("viewer")
    response = viewer.post(reverse("webui:create_token"), {"name": "newsroom dashboard"})
    assert response.status_code == 200
    token = issued_token(response)
    assert token.startswith("sl_") and len(token) > 40
    record = ApiToken.objects.get()
    assert (record.user, record.name, record.token_hash) == (
        users["viewer"],
        "newsroom dashboard",
        hashed(token),
    )
    # Shown once: the list afterwards has only the first characters.
    listing = viewer.get(reverse("webui:tokens")).content.decode()
    assert token not in listing and f"<code>{token[:10]}…</code>" in listing
    assert api(token, "").json() == {
        "user": "viewer",
        "role": "viewer",
        "campaigns": "http://testserver/api/v1/campaigns/",
    }
    record.refresh_from_db()
    used = timezone.localtime(record.last_used_at)
    tokens = viewer.get(reverse("webui:tokens")).content.decode()
    assert f"<td>{used:%Y-%m-%d %H:%M}</td>" in tokens
    # Nobody else can revoke it; its owner can.
    assert (
        client_for("owner").post(reverse("webui:revoke_token", args=[record.pk])).status_code == 404
    )
    viewer.post(reverse("webui:revoke_token", args=[record.pk]))
    refused = api(token, "")
    assert refused.status_code == 401
    assert refused.json() == {"error": "this API token has been revoked: make a new one"}
    assert [
        (e.username, e.action, e.target)
        for e in AuditEntry.objects.exclude(action="login").order_by("id")
    ] == [
        ("viewer", "create_api_token", token[:10]),
        ("viewer", "revoke_api_token", token[:10]),
    ]
    empty = viewer.post(reverse("webui:create_token"), {"name": " "})
    assert empty.status_code == 400
    assert "give the token a name, such as the tool that will use it" in empty.content.decode()


def test_every_call_needs_a_valid_token_of_an_active_user(token_for, users, answered):
    cases = [
        (None, "no API token: send your API token as 'Authorization: Bearer TOKEN'"),
        ("sl_not-a-real-token", "this API token is not known: check that it was copied whole"),
    ]
    for token, words in cases:
        response = api(token, "campaigns/")
        assert response.status_code == 401
        assert response.json()["error"].startswith(words)
        assert response["WWW-Authenticate"] == 'Bearer realm="sightline"'
    basic = api(None, "campaigns/", HTTP_AUTHORIZATION="Basic dmlld2VyOng=")
    assert basic.json()["error"].startswith("the Authorization header is not a bearer token")
    token = token_for("editor")
    assert api(token, "campaigns/").status_code == 200
    users["editor"].is_active = False
    users["editor"].save()
    response = api(token, "campaigns/")
    assert response.status_code == 401
    assert response.json() == {"error": "the account this API token belongs to is deactivated"}
    # A session cookie is not a token.
    browser = Client()
    browser.force_login(users["owner"])
    assert browser.get("/api/v1/campaigns/").status_code == 401


def test_a_user_without_a_role_gets_403_everywhere(django_user_model, answered):
    nobody = django_user_model.objects.create_user(username="nobody", password="x-y-z-123456")
    token = create_api_token(nobody, "t").token
    ref, slug = answered.reference, answered.campaign.slug
    for path in [
        "",
        "campaigns/",
        f"campaigns/{slug}/",
        f"campaigns/{slug}/requests/",
        f"campaigns/{slug}/facts/",
        f"requests/{ref}/",
        f"requests/{ref}/events/",
        "nothing/here/",
    ]:
        response = api(token, path)
        assert response.status_code == 403, path
        assert response.json() == {
            "error": "nobody's role (none) may not see campaigns: ask an owner for a role"
        }


def test_campaigns_and_requests(token_for, answered):
    token = token_for("viewer")
    listing = api(token, "campaigns/").json()
    assert listing["count"] == 1 and listing["next"] is None
    assert listing["results"] == [
        {
            "slug": "cctv",
            "title": "CCTV in London",
            "authority_set": "london-boroughs",
            "law": None,
            "reference_prefix": answered.campaign.reference_prefix,
            "created_at": listing["results"][0]["created_at"],
            "first_published_on": None,
            "requests": 32,
            "url": "http://testserver/api/v1/campaigns/cctv/",
        }
    ]
    one = api(token, "campaigns/cctv/").json()
    assert one["counts"] == {"draft": 31, "sent": 1}
    assert "secret" not in one and "template" not in one  # the reply-address key stays inside
    sent = api(token, "campaigns/cctv/requests/?state=sent").json()
    assert sent["count"] == 1
    assert sent["results"][0] == {
        "reference": answered.reference,
        "campaign": "cctv",
        "gss_code": "E09000007",
        "authority": answered.authority.name,
        "law": "foia",
        "state": "sent",
        "state_is_guess": False,
        "sent_at": "2021-01-04T09:00:00Z",
        "received_on": answered.received_on.isoformat(),
        "due": answered.due.isoformat(),
        "extended": False,
        "last_message_at": "2021-01-12T10:00:00Z",
        "url": f"http://testserver/api/v1/requests/{answered.reference}/",
    }
    detail = api(token, f"requests/{answered.reference.lower()}/").json()
    assert detail["events_url"] == f"http://testserver/api/v1/requests/{answered.reference}/events/"
    events = api(token, f"requests/{answered.reference}/events/").json()
    assert [e["kind"] for e in events["results"]] == [
        "created",
        "queued",
        "sent",
        "message_received",
    ]
    assert events["results"][3]["data"]["subject"] == (
        f"Re: Freedom of Information request [{answered.reference}]"
    )


def test_lists_come_in_pages(token_for, campaign):
    token = token_for("viewer")
    first = api(token, "campaigns/cctv/requests/?per_page=10").json()
    assert (first["count"], first["pages"], first["page"], first["previous"]) == (32, 4, 1, None)
    assert first["next"] == "http://testserver/api/v1/campaigns/cctv/requests/?per_page=10&page=2"
    last = api(token, "campaigns/cctv/requests/?per_page=10&page=4").json()
    assert len(last["results"]) == 2
    assert last["next"] is None and last["previous"].endswith("per_page=10&page=3")
    references = [
        r["reference"]
        for n in range(1, 5)
        for r in api(token, f"campaigns/cctv/requests/?per_page=10&page={n}").json()["results"]
    ]
    assert references == sorted(references) and len(set(references)) == 32
    for query, status, words in [
        ("?page=5&per_page=10", 404, "there is no page 5: the last is 4"),
        ("?page=0", 400, "page must be 1 or more"),
        ("?page=two", 400, "page must be a whole number, not 'two'"),
        ("?per_page=501", 400, "per_page must be from 1 to 500"),
    ]:
        response = api(token, f"campaigns/cctv/requests/{query}")
        assert (response.status_code, response.json()) == (status, {"error": words}), query


def test_only_confirmed_and_corrected_facts(token_for, users, answered):
    token = token_for("reviewer")
    assert api(token, "campaigns/cctv/facts/").json()["count"] == 0  # both still pending
    owned, count = StoredFact.objects.filter(request=answered).order_by("id")
    decide(owned, "confirm", "reviewer")
    decide(count, "correct", "owner", value_text="15")
    facts = api(token, "campaigns/cctv/facts/").json()
    first, second = facts["results"]
    assert first == {
        "id": owned.pk,
        "reference": answered.reference,
        "gss_code": "E09000007",
        "authority": answered.authority.name,
        "field": "owned",
        "vendor": "hikvision",
        "value": "yes",
        "extracted_value": "yes",
        "status": "confirmed",
        "rule": "owned.statement",
        "confidence": 0.9,
        "document": owned.document,
        "message": owned.message_id,
        "evidence": [{"quote": "owns 14 Hikvision cameras", "location": "body"}],
        "decided_by": "reviewer",
        "decided_at": first["decided_at"],
    }
    assert (second["value"], second["extracted_value"], second["status"]) == (15, 14, "corrected")
    only = api(token, "campaigns/cctv/facts/?field=count").json()
    assert [f["id"] for f in only["results"]] == [count.pk]


def test_errors_are_json_in_sightlines_words(token_for, answered):
    token = token_for("viewer")
    for path, status, words in [
        ("campaigns/nope/", 404, "there is no campaign 'nope'"),
        ("campaigns/nope/requests/", 404, "there is no campaign 'nope'"),
        ("requests/XX-00000/", 404, "there is no request 'XX-00000'"),
        ("audit/", 404, "there is no such API address: see GET /api/v1/"),
        ("campaigns", 404, "there is no such API address: did you mean /api/v1/campaigns/ ?"),
        ("campaigns/cctv/nope", 404, "there is no such API address: see GET /api/v1/"),
    ]:
        response = api(token, path)
        assert response["Content-Type"] == "application/json"
        assert (response.status_code, response.json()) == (status, {"error": words}), path
    post = Client().post("/api/v1/campaigns/", {"slug": "x"}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert (post.status_code, post.json()) == (405, {"error": "the API only reads: use GET"})
    assert post["Allow"] == "GET, HEAD"


def test_the_api_makes_a_fixed_number_of_queries(token_for, campaign, grow):
    from django.db import connection
    from django.db.models import F
    from django.test.utils import CaptureQueriesContext

    token = token_for("viewer")

    def queries(path: str) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            body = api(token, path).json()
        return len(body["results"]), len(captured.captured_queries)

    api(token, "")  # the first call of the minute also notes when the token was used
    paths = ("campaigns/cctv/requests/", "campaigns/cctv/facts/", "campaigns/")
    grow(campaign, 5, 1000)
    StoredFact.objects.update(status="confirmed", final_value=F("value"))
    small = [queries(path) for path in paths]
    grow(campaign, 40, 2000)
    StoredFact.objects.update(status="confirmed", final_value=F("value"))
    large = [queries(path) for path in paths]
    assert [rows for rows, _ in small] == [37, 5, 1]
    assert [rows for rows, _ in large] == [77, 45, 1]
    assert [n for _, n in small] == [n for _, n in large]


def documented() -> dict[str, list[str]]:
    """docs/api.md: each endpoint heading and the keys of the first shape under it."""

    text = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text(encoding="utf-8")
    sections = re.split(r"^### `GET (/api/v1/[^`]*)`\s*$", text, flags=re.M)[1:]
    found = {}
    for heading, body in zip(sections[::2], sections[1::2], strict=True):
        shape = re.search(r"`\{([^`]*)\}`", body)
        found[heading] = re.findall(r'"(\w+)"', shape[1]) if shape else []
    return found


def test_every_endpoint_and_its_shape_is_documented(token_for, answered):
    from sightline.webui import api as module

    routes = {
        "/api/v1/" + re.sub(r"<\w+:(\w+)>", r"<\1>", str(p.pattern))
        for p in module.urlpatterns
        if p.name != "nowhere"
    }
    docs = documented()
    assert set(docs) == routes
    StoredFact.objects.filter(request=answered).update(status="confirmed")
    token = token_for("viewer")
    ref = answered.reference
    listed = {
        "/api/v1/": api(token, "").json(),
        "/api/v1/campaigns/": api(token, "campaigns/").json()["results"][0],
        "/api/v1/campaigns/<slug>/requests/": api(token, "campaigns/cctv/requests/").json()[
            "results"
        ][0],
        "/api/v1/requests/<reference>/events/": api(token, f"requests/{ref}/events/").json()[
            "results"
        ][0],
        "/api/v1/campaigns/<slug>/facts/": api(token, "campaigns/cctv/facts/").json()["results"][0],
    }
    for route, body in listed.items():
        assert docs[route] == list(body), route
    detail = api(token, "campaigns/cctv/").json()
    assert list(detail) == docs["/api/v1/campaigns/"] + ["counts", "requests_url", "facts_url"]
    one = api(token, f"requests/{ref}/").json()
    assert list(one) == docs["/api/v1/campaigns/<slug>/requests/"] + ["events_url"]

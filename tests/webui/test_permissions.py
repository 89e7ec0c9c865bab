"""Every view and action, for every role: allowed (not 403) or refused (403); and no page but
the published report without a login."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from sightline.review.models import StoredFact
from sightline.webui.roles import ROLE_NAMES

pytestmark = pytest.mark.django_db

VIEWERS = set(ROLE_NAMES)
ACTORS = {"owner", "editor"}
REVIEWERS = {"owner", "reviewer"}
OWNERS = {"owner"}


def endpoints(answered, unmatched):
    """(name, method, url, data, roles allowed)."""
    ref = answered.reference
    slug = answered.campaign.slug
    message = answered.messages.first().pk
    fact = StoredFact.objects.filter(request=answered).first().pk
    viewer = getattr(get_user_model().objects.filter(username="viewer").first(), "pk", 1)
    reply = [slug, ref, message]
    return [
        ("home", "get", reverse("webui:home"), {}, VIEWERS),
        ("dashboard", "get", reverse("webui:dashboard", args=[slug]), {}, VIEWERS),
        ("requests", "get", reverse("webui:requests", args=[slug]), {}, VIEWERS),
        ("request", "get", reverse("webui:request", args=[ref]), {}, VIEWERS),
        ("review", "get", reverse("webui:review", args=[slug]), {}, VIEWERS),
        ("findings", "get", reverse("webui:findings", args=[slug]), {}, VIEWERS),
        ("unmatched", "get", reverse("webui:unmatched"), {}, VIEWERS),
        ("message", "get", reverse("webui:message", args=[message]), {}, VIEWERS),
        ("raw", "get", reverse("webui:raw_message", args=[message]), {}, VIEWERS),
        ("attachment", "get", reverse("webui:attachment", args=[message, 0]), {}, VIEWERS),
        ("audit", "get", reverse("webui:audit"), {}, OWNERS),
        (
            "set_state",
            "post",
            reverse("webui:set_state", args=[ref]),
            {"state": "answered"},
            ACTORS,
        ),
        ("letter_get", "get", reverse("webui:letter", args=[ref, "reminder"]), {}, ACTORS),
        ("letter_post", "post", reverse("webui:letter", args=[ref, "reminder"]), {}, ACTORS),
        ("refile_get", "get", reverse("webui:refile", args=[ref]), {}, ACTORS),
        ("refile_post", "post", reverse("webui:refile", args=[ref]), {}, ACTORS),
        ("clock", "post", reverse("webui:clock", args=[ref]), {"action": "none"}, ACTORS),
        ("queue_drafts", "post", reverse("webui:queue_drafts", args=[slug]), {}, ACTORS),
        ("queue_reminders", "post", reverse("webui:queue_reminders", args=[slug]), {}, ACTORS),
        ("send_outbox", "post", reverse("webui:send_outbox", args=[slug]), {}, ACTORS),
        (
            "settle",
            "post",
            reverse("webui:settle_message", args=[slug, 999999]),
            {"outcome": "again"},
            ACTORS,
        ),
        ("build", "post", reverse("webui:build", args=[slug]), {}, ACTORS),
        ("mark_published", "post", reverse("webui:mark_published", args=[slug]), {}, ACTORS),
        (
            "assign",
            "post",
            reverse("webui:assign", args=[unmatched.pk]),
            {"reference": ref},
            ACTORS,
        ),
        (
            "decide",
            "post",
            reverse("webui:decide", args=[fact]),
            {"decision": "confirm"},
            REVIEWERS,
        ),
        ("new_get", "get", reverse("webui:new_campaign"), {}, ACTORS),
        ("new_post", "post", reverse("webui:new_campaign"), {"slug": "x"}, ACTORS),
        ("contacts_get", "get", reverse("webui:contacts", args=[slug]), {}, ACTORS),
        ("contacts_post", "post", reverse("webui:contacts", args=[slug]), {"rows": ""}, ACTORS),
        ("fetch_mail", "post", reverse("webui:fetch_mail"), {}, ACTORS),
        ("extract", "post", reverse("webui:extract", args=[slug]), {}, REVIEWERS),
        ("users", "get", reverse("webui:users"), {}, OWNERS),
        (
            "invite",
            "post",
            reverse("webui:invite"),
            {"username": "newbie", "role": "viewer"},
            OWNERS,
        ),
        ("set_role", "post", reverse("webui:set_role", args=[viewer]), {"role": "viewer"}, OWNERS),
        ("set_active", "post", reverse("webui:set_active", args=[viewer]), {"active": "1"}, OWNERS),
        ("reset_password", "post", reverse("webui:reset_password", args=[viewer]), {}, OWNERS),
        ("tokens", "get", reverse("webui:tokens"), {}, VIEWERS),
        ("review_replies", "get", reverse("webui:review_replies", args=[slug]), {}, VIEWERS),
        ("review_reply", "get", reverse("webui:review_reply", args=reply), {}, VIEWERS),
        (
            "decide_reply",
            "post",
            reverse("webui:decide_reply", args=reply),
            {"fact": [fact], f"decision-{fact}": "confirm"},
            REVIEWERS,
        ),
        ("review_bulk", "get", reverse("webui:review_bulk", args=[slug]), {}, VIEWERS),
        (
            "review_bulk_confirm",
            "post",
            reverse("webui:review_bulk_confirm", args=[slug]),
            {"min": "0.9", "fingerprint": "x"},
            REVIEWERS,
        ),
        ("edit_get", "get", reverse("webui:edit_campaign", args=[slug]), {}, ACTORS),
        ("edit_post", "post", reverse("webui:edit_campaign", args=[slug]), {"title": ""}, ACTORS),
        ("letters", "get", reverse("webui:letters", args=[slug]), {}, VIEWERS),
        ("letter_preview", "get", reverse("webui:letter_preview", args=[slug, ref]), {}, VIEWERS),
    ]


NAMES = [
    "home", "dashboard", "requests", "request", "review", "findings", "unmatched", "message",
    "raw", "attachment", "audit", "set_state", "letter_get", "letter_post", "refile_get",
    "refile_post", "clock", "queue_drafts", "queue_reminders", "send_outbox", "settle", "build", "mark_published", "assign", "decide",
    "extract", "new_get", "new_post", "contacts_get", "contacts_post", "fetch_mail", "users",
    "invite", "set_role", "set_active", "reset_password", "tokens",
    "review_replies", "review_reply", "decide_reply", "review_bulk", "review_bulk_confirm",
    "edit_get", "edit_post", "letters", "letter_preview",
]  # fmt: skip


@pytest.mark.parametrize("name", NAMES)
def test_each_role_is_allowed_or_refused(name, client_for, answered, unmatched):
    found = {e[0]: e for e in endpoints(answered, unmatched)}
    assert set(found) == set(NAMES)
    _, method, url, data, allowed = found[name]
    # Refused roles first, so an allowed action has not changed anything they are refused.
    for role in sorted(ROLE_NAMES, key=lambda r: r in allowed):
        response = getattr(client_for(role), method)(url, data)
        if role in allowed:
            assert response.status_code in (200, 302), (name, role, response.status_code)
        else:
            assert response.status_code == 403, (name, role, response.status_code)


def test_a_user_without_a_role_sees_nothing(django_user_model, answered, unmatched):
    nobody = django_user_model.objects.create_user(username="nobody", password="x-y-z-123456")
    client = Client()
    client.force_login(nobody)
    for name, method, url, data, _ in endpoints(answered, unmatched):
        assert getattr(client, method)(url, data).status_code == 403, name


def test_every_page_but_the_report_needs_a_login(answered, unmatched):
    client = Client()
    login = reverse("webui:login")
    for name, method, url, data, _ in endpoints(answered, unmatched):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, name
        assert response["Location"] == f"{login}?next={url}", name
    slug = answered.campaign.slug
    # Not built yet: not found, but not a login redirect either.
    assert client.get(reverse("webui:published", args=[slug])).status_code == 404
    assert client.get(login).status_code == 200
    assert client.get(reverse("webui:asset", args=["app.js"])).status_code == 200


def test_nothing_changed_by_a_refused_action(client_for, answered):
    events = answered.events.count()
    response = client_for("viewer").post(
        reverse("webui:set_state", args=[answered.reference]), {"state": "answered"}
    )
    assert response.status_code == 403
    answered.refresh_from_db()
    assert (answered.state, answered.events.count()) == ("sent", events)
    fact = StoredFact.objects.filter(request=answered).first()
    response = client_for("editor").post(
        reverse("webui:decide", args=[fact.pk]), {"decision": "confirm"}
    )
    assert response.status_code == 403
    fact.refresh_from_db()
    assert (fact.status, fact.decisions.count()) == ("pending", 0)

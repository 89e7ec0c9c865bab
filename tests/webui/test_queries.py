"""List pages make the same number of queries however many rows there are (no per-row queries)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


def pages(campaign):
    slug = campaign.slug
    return {
        "dashboard": reverse("webui:dashboard", args=[slug]),
        "requests": reverse("webui:requests", args=[slug]),
        "requests sorted by due, overdue only": reverse("webui:requests", args=[slug])
        + "?deadline=long_overdue&sort=due&dir=desc",
        "review": reverse("webui:review", args=[slug]),
        "replies to review": reverse("webui:review_replies", args=[slug]),
        "bulk confirmation": reverse("webui:review_bulk", args=[slug]) + "?min=0.4",
        "letters": reverse("webui:letters", args=[slug]),
        "unmatched": reverse("webui:unmatched"),
        "audit": reverse("webui:audit"),
        "home": reverse("webui:home"),
    }


def counts(client, campaign):
    found = {}
    for name, url in pages(campaign).items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code in (200, 302), name
        found[name] = len(queries)
    return found


def test_list_pages_make_a_fixed_number_of_queries(client_for, answered, unmatched, grow):
    client = client_for("owner")
    campaign = answered.campaign
    grow(campaign, 5, start=1000)
    client.get(reverse("webui:home"))  # the login entry and session exist before counting
    small = counts(client, campaign)
    grow(campaign, 40, start=2000)
    large = counts(client, campaign)
    assert large == small
    assert campaign.requests.count() == 32 + 45

"""The rules for a letter that can be sent: a requester's name, a reply domain that receives mail."""

from __future__ import annotations

import pytest

from sightline.campaigns.validity import reply_domain_problem, requester_problem


@pytest.mark.parametrize(
    "name", ["Alex Example", "A. Researcher", "Dr Ngozi Okafor", "Privacy Group"]
)
def test_names_that_stand(name):
    assert requester_problem(name) is None


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("", "has no requester name"),
        ("   ", "has no requester name"),
        ("alex@example.org", "has 'alex@example.org' as the requester's name, which is not a name"),
        ("{requester_name}", "has '{requester_name}' as the requester's name, which is not a name"),
        ("1234", "has '1234' as the requester's name, which is not a name"),
        ("Your name", "has 'Your name' as the requester's name, which stands in for a name"),
    ],
)
def test_names_that_do_not(name, problem):
    assert requester_problem(name) == problem


@pytest.mark.parametrize(
    "domain", ["replies.example.org", "foi.campaign.org.uk", "Mail.Example.COM."]
)
def test_domains_that_receive_mail(domain):
    assert reply_domain_problem(domain, test=False) is None


@pytest.mark.parametrize(
    "domain", ["localhost", "sightline.localhost", "a.test", "replies.example", "x.invalid"]
)
def test_reserved_names_only_for_a_test(domain):
    assert reply_domain_problem(domain, test=False) == (
        f"has replies directed to {domain}, a reserved name that cannot receive mail "
        "(mark the campaign as a test to send to it)"
    )
    assert reply_domain_problem(domain, test=True) is None


def test_not_a_domain_at_all():
    assert reply_domain_problem("not a domain", test=True) == (
        "has 'not a domain' as its reply domain, which is not a domain name"
    )
    assert reply_domain_problem("intranet", test=False) == (
        "has replies directed to intranet, which is not a domain that receives mail"
    )

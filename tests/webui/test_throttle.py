"""Login throttling: a password spray is stopped by address, a guessed user name is slowed, and a
stranger's failures never keep the real user out. The clock is moved, never waited for."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sightline.webui import audit, throttle
from sightline.webui.models import AuditEntry

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-passphrase-7"  # as conftest.PASSWORD
ADDRESS_LOCKED = b"Too many failed logins from your address: try again in 15 minutes."


def attempt(client: Client, username: str, password: str) -> tuple[int, str]:
    response = client.post(reverse("webui:login"), {"username": username, "password": password})
    if response.status_code == 302:
        return 302, "logged in"
    page = response.content.decode()
    for line in page.splitlines():
        if '<p class="error">' in line:
            return response.status_code, line.split(">", 1)[1].rsplit("<", 1)[0]
    return response.status_code, ""


@pytest.fixture
def later(monkeypatch):
    """``later(seconds)``: the audit trail's clock (which the throttle reads) moves that far
    past the real one; ``later`` again measures from the real clock, not the last move."""

    def move(seconds: float) -> None:
        real = timezone.now
        monkeypatch.setattr(audit, "now", lambda: real() + timedelta(seconds=seconds))

    return move


def test_a_password_spray_over_30_names_is_stopped_by_address(users):
    sprayer = Client(REMOTE_ADDR="203.0.113.9")
    outcomes = [attempt(sprayer, f"name{n}", "Summer2026!")[1] for n in range(30)]
    mismatch = "Your user name and password did not match. Please try again."
    locked = "Too many failed logins from your address: try again in 15 minutes."
    assert outcomes == [mismatch] * 10 + [locked] * 20
    # Only ten passwords were checked; the other twenty attempts are on the record as refused.
    assert AuditEntry.objects.filter(action="login_failed").count() == 10
    refused = AuditEntry.objects.filter(action="login_throttled", address="203.0.113.9")
    assert refused.count() == 20
    assert refused.first().detail == {"by": "address", "wait": 900}
    # Even the right password for a real user is not checked from that address...
    assert attempt(sprayer, "viewer", PASSWORD)[1] == locked
    # ...while everyone else logs in as usual.
    assert attempt(Client(REMOTE_ADDR="198.51.100.20"), "viewer", PASSWORD)[0] == 302


def test_the_address_lock_ends_with_the_window(users, later):
    sprayer = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(10):
        attempt(sprayer, f"name{n}", "wrong")
    later(14 * 60)
    assert attempt(sprayer, "viewer", PASSWORD)[1] == (
        "Too many failed logins from your address: try again in 1 minute."
    )
    later(15 * 60 + 1)
    assert attempt(sprayer, "viewer", PASSWORD)[0] == 302


def test_a_stranger_cannot_lock_the_real_user_out(users, later):
    stranger = Client(REMOTE_ADDR="203.0.113.9")
    # The real user has logged in from the office before.
    assert attempt(Client(REMOTE_ADDR="198.51.100.20"), "editor", PASSWORD)[0] == 302
    # A patient stranger: one guess every 31 seconds, past each delay, until the address locks.
    mismatch = "Your user name and password did not match. Please try again."
    for n in range(10):
        later(n * 31)
        assert attempt(stranger, "editor", "guess")[1] == mismatch
    later(9 * 31 + 1)
    assert attempt(stranger, "editor", PASSWORD)[1] == (
        "Too many failed logins from your address: try again in 11 minutes."
    )
    assert AuditEntry.objects.filter(action="login_failed", username="editor").count() == 10
    # The real user logs in from the office at once, five times in a row...
    for _ in range(5):
        assert attempt(Client(REMOTE_ADDR="198.51.100.20"), "editor", PASSWORD)[0] == 302
    # ...and from an address they have never used waits at most 30 seconds, never 15 minutes.
    cafe = Client(REMOTE_ADDR="192.0.2.33")
    assert attempt(cafe, "editor", PASSWORD)[1] == (
        "Too many failed logins for this user name: wait 29 seconds and try again."
    )
    later(9 * 31 + 30)
    assert attempt(cafe, "editor", PASSWORD)[0] == 302


def test_guessing_one_name_from_many_addresses_is_slowed(users, later):
    def guess(n: int) -> str:
        return attempt(Client(REMOTE_ADDR=f"203.0.113.{n}"), "owner", "guess")[1]

    mismatch = "Your user name and password did not match. Please try again."
    # Five free failures, then one check per delay: 1, 2, 4 seconds after the last failure.
    assert [guess(n) for n in range(5)] == [mismatch] * 5
    assert guess(6) == "Too many failed logins for this user name: wait 1 second and try again."
    later(1.5)
    assert guess(7) == mismatch
    assert guess(8) == "Too many failed logins for this user name: wait 2 seconds and try again."
    later(3.5)
    assert guess(9) == mismatch
    assert guess(10).startswith("Too many failed logins for this user name: wait 4 seconds")
    assert [throttle.name_delay(n) for n in (4, 5, 6, 7, 9, 10, 50)] == [0, 1, 2, 4, 16, 30, 30]
    # The right password, from anywhere, after the delay.
    later(3.5 + 4)
    assert attempt(Client(REMOTE_ADDR="192.0.2.1"), "owner", PASSWORD)[0] == 302


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(users, settings):
    settings.SIGHTLINE_PROXY_HOPS = 1
    for n in range(10):
        # The same proxy for everyone; a made-up address on the left is ignored.
        client = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 203.0.113.9")
        attempt(client, f"name{n}", "wrong")
    assert set(
        AuditEntry.objects.filter(action="login_failed").values_list("address", flat=True)
    ) == {"203.0.113.9"}
    colleague = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert attempt(colleague, "viewer", PASSWORD)[0] == 302
    sprayer = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert attempt(sprayer, "viewer", PASSWORD)[1].startswith("Too many failed logins from your")

"""SMTP URLs, the rate limit and one delivery attempt against aiosmtpd (no database)."""

from __future__ import annotations

import pytest

from sightline.mail.smtp import (
    RateLimiter,
    SmtpConnection,
    SmtpSettings,
    SmtpUrlError,
    backoff_delays,
    parse_smtp_url,
)


def test_smtp_urls():
    assert parse_smtp_url("smtp://127.0.0.1:2525") == SmtpSettings("127.0.0.1", 2525, "plain")
    assert parse_smtp_url("smtp+starttls://alex%40org@mail.example.org", password="pw") == (
        SmtpSettings("mail.example.org", 587, "starttls", "alex@org", "pw")
    )
    assert parse_smtp_url("smtps://u@mail.example.org", password="pw").port == 465
    with pytest.raises(SmtpUrlError) as error:
        parse_smtp_url("smtp+starttls://alex@mail.example.org:587")
    assert str(error.value) == "SMTP URL names user 'alex': set SIGHTLINE_SMTP_PASSWORD"
    with pytest.raises(SmtpUrlError) as error:
        parse_smtp_url("smtp://")
    assert str(error.value) == "no host in SMTP URL 'smtp://'"


class FakeClock:
    def __init__(self):
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def test_rate_limit_allows_a_minutes_worth_then_spaces_the_rest():
    fake = FakeClock()
    limiter = RateLimiter(3, clock=fake.clock, sleep=fake.sleep)
    for _ in range(3):
        limiter.wait()
        fake.now += 1.0  # each message takes a second to send
    assert fake.sleeps == []
    limiter.wait()  # the fourth waits until the first is a minute old
    assert fake.sleeps == [57.0]
    limiter.wait()  # at once again: the second message is not yet a minute old
    assert fake.sleeps == [57.0, 1.0]


def test_backoff_doubles():
    assert backoff_delays(4, 30.0) == [30.0, 60.0, 120.0]
    assert backoff_delays(1, 30.0) == []


def test_delivery_outcomes(smtp_server):
    smtp_server.handler.refuse.add("gone@example.org")
    smtp_server.handler.temporary["later@example.org"] = 1
    port = int(smtp_server.url.rsplit(":", 1)[1])
    connection = SmtpConnection(SmtpSettings("127.0.0.1", port, "plain"))
    data = b"From: a@example.org\r\nSubject: t\r\n\r\nhello\r\n"
    try:
        sent = connection.deliver("a@example.org", "ok@example.org", data)
        gone = connection.deliver("a@example.org", "gone@example.org", data)
        later = connection.deliver("a@example.org", "later@example.org", data)
        again = connection.deliver("a@example.org", "later@example.org", data)
    finally:
        connection.close()
    assert (sent.status, sent.code, sent.answer) == ("sent", 250, "2.0.0 Ok: queued as TEST1")
    assert (gone.status, gone.code) == ("permanent", 550)
    assert gone.answer == "5.1.1 <gone@example.org>: Recipient address rejected: User unknown"
    assert (later.status, later.code) == ("temporary", 451)
    assert again.sent
    assert [r.rcpt_tos for r in smtp_server.handler.received] == [
        ["ok@example.org"],
        ["later@example.org"],
    ]


def test_connection_refused_is_temporary(unused_port):
    connection = SmtpConnection(SmtpSettings("127.0.0.1", unused_port, "plain", timeout=5))
    outcome = connection.deliver("a@example.org", "b@example.org", b"Subject: x\r\n\r\n")
    assert (outcome.status, outcome.code) == ("temporary", None)
    assert outcome.answer == "the SMTP server refused the connection"

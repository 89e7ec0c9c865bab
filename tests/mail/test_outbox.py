"""`sightline campaign send` against a real SMTP server (aiosmtpd on loopback)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from email import message_from_bytes, policy

import pytest

from sightline.mail.addresses import reply_address

pytestmark = [pytest.mark.django_db, pytest.mark.db]

ADDRESS = {
    ref: reply_address(ref, "fixture-secret", "replies.example.org")
    for ref in ("CCTV-0001", "CCTV-0002", "CCTV-0003")
}


def test_send_delivers_one_message_per_request(run, campaign, smtp_server):
    from sightline.campaigns.models import Request
    from sightline.mail.models import OutgoingMessage

    result = run("campaign", "send", "cctv", "--smtp", smtp_server.url)
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "Sent 3 message(s); 0 deferred, 0 failed\n",
        "",
    )
    received = smtp_server.handler.received
    assert sorted(r.rcpt_tos[0] for r in received) == [
        "foi@camden.gov.uk",
        "foi@glasgow.gov.uk",
        "foi@hackney.gov.uk",
    ]
    by_reference = {}
    for delivery in received:
        message = message_from_bytes(delivery.content, policy=policy.default)
        reference = message["X-Sightline-Reference"]
        by_reference[reference] = message
        assert delivery.mail_from == ADDRESS[reference]  # bounces come back to the request
        assert message["Reply-To"] == ADDRESS[reference]
        assert message["From"] == f"Alex Example <{ADDRESS[reference]}>"
        assert message["Subject"] == f"Freedom of Information request: CCTV vendors [{reference}]"
    assert sorted(by_reference) == ["CCTV-0001", "CCTV-0002", "CCTV-0003"]
    glasgow = by_reference["CCTV-0001"].get_content().replace("\r\n", "\n")
    assert glasgow.startswith(
        "Dear Glasgow City Council,\n\nUnder section 1 of the Freedom of Information (Scotland) Act 2002,"
    )
    # Every sent message is stored exactly as handed to the server.
    stored = {m.request.reference: m for m in OutgoingMessage.objects.select_related("request")}
    for delivery in received:
        reference = message_from_bytes(delivery.content)["X-Sightline-Reference"]
        assert stored[reference].status == "sent"
        assert stored[reference].smtp_code == 250
        assert stored[reference].smtp_answer.startswith("2.0.0 Ok: queued as TEST")
        assert bytes(stored[reference].raw) == delivery.content
    assert set(Request.objects.values_list("state", flat=True)) == {"sent"}
    status = json.loads(run("campaign", "status", "cctv", "--json").stdout)
    assert status["counts"] == {"sent": 3}
    assert all(r["sent_on"] and r["due"] for r in status["requests"])


def test_second_send_sends_nothing(run, sent_campaign, smtp_server):
    from sightline.campaigns.models import RequestEvent

    assert len(smtp_server.handler.received) == 3
    again = run("campaign", "send", "cctv", "--smtp", smtp_server.url)
    assert (again.exit_code, again.stdout) == (0, "Sent 0 message(s); 0 deferred, 0 failed\n")
    assert len(smtp_server.handler.received) == 3
    assert RequestEvent.objects.filter(kind="sent").count() == 3


def test_interrupted_attempt_is_never_resent_without_a_person(run, campaign, smtp_server):
    from sightline.campaigns.models import Request
    from sightline.mail.models import OutgoingMessage

    # Queue only, then pretend a crash left one message mid-attempt.
    assert run("campaign", "send", "cctv", "--queue-only").exit_code == 0
    camden = OutgoingMessage.objects.get(request__reference="CCTV-0002")
    OutgoingMessage.objects.filter(pk=camden.pk).update(status="sending")
    result = run("campaign", "send", "cctv", "--smtp", smtp_server.url)
    assert result.exit_code == 0  # nothing went wrong in this run
    assert result.stdout == "Sent 2 message(s); 0 deferred, 0 failed\n"
    assert result.stderr == (
        f"CCTV-0002: message {camden.pk} may have gone (an attempt was interrupted before its "
        "result was recorded); not resent: check the relay's log, then `sightline campaign "
        f"settle {camden.pk} --went --on DATE` or `--send-again`\n"
    )
    assert len(smtp_server.handler.received) == 2
    listed = run("campaign", "uncertain", "cctv")
    assert listed.stdout.split()[:4] == [str(camden.pk), "CCTV-0002", "request", "tried"]
    status = json.loads(run("campaign", "status", "cctv", "--json").stdout)
    assert status["uncertain"] == 1
    assert [r["uncertain"] for r in status["requests"]] == [[], [camden.pk], []]
    # Settled one by one: this one did not go, so it is sent again by the next run (only it).
    settled = run("campaign", "settle", "CCTV-0002", "--send-again")
    assert settled.stdout == (
        f"Message {camden.pk} (CCTV-0002) will be sent again by the next "
        "`sightline campaign send cctv`\n"
    )
    resent = run("campaign", "send", "cctv", "--smtp", smtp_server.url)
    assert resent.stdout == "Sent 1 message(s); 0 deferred, 0 failed\n"
    assert len(smtp_server.handler.received) == 3
    assert Request.objects.get(reference="CCTV-0002").state == "sent"


def test_a_message_that_went_is_settled_with_its_day_which_starts_the_clock(
    run, campaign, smtp_server
):
    from sightline.campaigns.models import Request
    from sightline.mail.models import OutgoingMessage

    run("campaign", "send", "cctv", "--queue-only")
    OutgoingMessage.objects.filter(request__reference="CCTV-0003").update(
        status="uncertain", attempted_at=datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    )
    early = run("campaign", "settle", "CCTV-0003", "--went", "--on", "2026-03-01")
    assert (early.exit_code, early.stderr) == (
        1,
        "Error: 2026-03-01 is before the message was first tried (2026-03-02)\n",
    )
    both = run("campaign", "settle", "CCTV-0003", "--went", "--send-again")
    assert both.stderr == (
        "Error: say what happened: give either --went --on DATE or --send-again\n"
    )
    no_day = run("campaign", "settle", "CCTV-0003", "--went")
    assert no_day.stderr == "Error: --went needs --on DATE, the day the message went\n"
    went = run("campaign", "settle", "CCTV-0003", "--went", "--on", "2026-03-03")
    number = OutgoingMessage.objects.get(request__reference="CCTV-0003").pk
    # FOIA s.10(6): St Patrick's Day (17 March) is not a working day anywhere under FOIA.
    assert went.stdout == (
        f"Message {number} (CCTV-0003) recorded as sent on 2026-03-03; due 2026-04-01\n"
    )
    hackney = Request.objects.get(reference="CCTV-0003")
    assert (hackney.state, str(hackney.received_on), str(hackney.due)) == (
        "sent",
        "2026-03-03",
        "2026-04-01",
    )
    again = run("campaign", "settle", "CCTV-0003", "--send-again")
    assert again.stderr == (
        "Error: no message 'CCTV-0003' waits to be settled (see `sightline campaign uncertain`)\n"
    )
    # The other two go; the settled one is not sent.
    sent = run("campaign", "send", "cctv", "--smtp", smtp_server.url)
    assert sent.stdout == "Sent 2 message(s); 0 deferred, 0 failed\n"
    assert len(smtp_server.handler.received) == 2


def test_missing_contact_is_reported_before_anything_is_sent(run, campaign, smtp_server):
    from sightline.authorities.models import Contact
    from sightline.mail.models import OutgoingMessage

    Contact.objects.filter(authority__gss_code="E09000012").delete()
    result = run("campaign", "send", "cctv", "--smtp", smtp_server.url)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: 1 authority has no FOI contact address, nothing sent (import them with "
        "`sightline contacts import`): London Borough of Hackney (E09000012)\n"
    )
    assert smtp_server.handler.received == []
    assert OutgoingMessage.objects.count() == 0


def test_permanent_failure_marks_delivery_failed_with_the_servers_answer(
    run, campaign, smtp_server
):
    from sightline.campaigns.models import Request, RequestEvent

    smtp_server.handler.refuse.add("foi@hackney.gov.uk")
    result = run("campaign", "send", "cctv", "--smtp", smtp_server.url, "--json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    answer = "550 5.1.1 <foi@hackney.gov.uk>: Recipient address rejected: User unknown"
    assert report["failed"] == [{"reference": "CCTV-0003", "answer": answer}]
    assert sorted(report["sent"]) == ["CCTV-0001", "CCTV-0002"]
    hackney = Request.objects.get(reference="CCTV-0003")
    assert hackney.state == "delivery_failed"
    event = RequestEvent.objects.get(request=hackney, kind="delivery_failed")
    assert event.data["smtp_code"] == 550
    assert event.data["smtp_answer"] == answer.removeprefix("550 ")
    # A permanent failure is not retried.
    assert smtp_server.handler.rcpt_attempts.count("foi@hackney.gov.uk") == 1


def test_temporary_failure_is_retried_with_backoff(run, campaign, smtp_server):
    from sightline.mail.models import OutgoingMessage

    smtp_server.handler.temporary["foi@camden.gov.uk"] = 2
    result = run("campaign", "send", "cctv", "--smtp", smtp_server.url, "--backoff", "0", "--json")
    report = json.loads(result.stdout)
    assert sorted(report["sent"]) == ["CCTV-0001", "CCTV-0002", "CCTV-0003"]
    assert smtp_server.handler.rcpt_attempts.count("foi@camden.gov.uk") == 3
    camden = OutgoingMessage.objects.get(request__reference="CCTV-0002")
    assert (camden.status, camden.attempts) == ("sent", 3)


def test_temporary_failure_left_deferred_then_sent_by_a_later_run(run, campaign, smtp_server):
    from sightline.campaigns.models import Request
    from sightline.mail.models import OutgoingMessage

    smtp_server.handler.temporary["foi@camden.gov.uk"] = 2
    first = run(
        "campaign",
        "send",
        "cctv",
        "--smtp",
        smtp_server.url,
        "--backoff",
        "0",
        "--attempts",
        "1",
    )
    assert first.stdout == "Sent 2 message(s); 1 deferred, 0 failed\n"
    assert first.stderr == (
        "CCTV-0002: deferred, will retry: 451 4.7.1 Greylisted, please try again later\n"
    )
    camden = OutgoingMessage.objects.get(request__reference="CCTV-0002")
    assert camden.status == "deferred" and camden.next_attempt_at is not None
    assert Request.objects.get(reference="CCTV-0002").state == "queued"
    run("campaign", "send", "cctv", "--smtp", smtp_server.url, "--backoff", "0", "--attempts", "1")
    third = run(
        "campaign", "send", "cctv", "--smtp", smtp_server.url, "--backoff", "0", "--attempts", "1"
    )
    assert third.stdout == "Sent 1 message(s); 0 deferred, 0 failed\n"
    assert Request.objects.get(reference="CCTV-0002").state == "sent"
    assert len(smtp_server.handler.received) == 3


def test_send_needs_an_smtp_server_and_a_known_scheme(run, campaign):
    missing = run("campaign", "send", "cctv")
    assert (missing.exit_code, missing.stderr) == (
        1,
        "Error: no SMTP server: give --smtp URL or set SIGHTLINE_SMTP_URL\n",
    )
    bad = run("campaign", "send", "cctv", "--smtp", "http://127.0.0.1:25")
    assert bad.stderr == (
        "Error: unsupported SMTP URL scheme 'http' in 'http://127.0.0.1:25': use smtp://, "
        "smtp+starttls://, smtps://\n"
    )


def test_smtp_url_from_the_environment(run, campaign, smtp_server, monkeypatch):
    monkeypatch.setenv("SIGHTLINE_SMTP_URL", smtp_server.url)
    result = run("campaign", "send", "cctv")
    assert result.stdout == "Sent 3 message(s); 0 deferred, 0 failed\n"


def test_unknown_campaign(run, campaign, smtp_server):
    result = run("campaign", "send", "nope", "--smtp", smtp_server.url)
    assert (result.exit_code, result.stderr) == (1, "Error: no campaign 'nope'\n")


def test_a_message_claimed_by_another_sender_is_not_sent_again(run, campaign, smtp_server):
    from sightline.mail.models import OutgoingMessage
    from sightline.mail.outbox import SendPolicy, send_outbox, sendable
    from sightline.mail.smtp import SmtpConnection, parse_smtp_url

    run("campaign", "send", "cctv", "--queue-only")
    waiting = sendable(campaign)  # read by this sender...
    OutgoingMessage.objects.filter(request__reference="CCTV-0001").update(status="sent")
    # ...while another sender (say, the worker) took and sent CCTV-0001.
    report = send_outbox(waiting, SmtpConnection(parse_smtp_url(smtp_server.url)), SendPolicy())
    assert report.sent == ["CCTV-0002", "CCTV-0003"]
    assert len(smtp_server.handler.received) == 2


@pytest.mark.filterwarnings("ignore:Session.login_data is deprecated")  # inside aiosmtpd
def test_starttls_and_login(run, campaign, tls_files, monkeypatch, unused_port):
    import ssl

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    from sightline.mail.models import OutgoingMessage

    cert, key = tls_files
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((mechanism, auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"hunter2", handled=False)

    class Handler:
        def __init__(self):
            self.received: list[tuple[bool, bytes]] = []

        async def handle_DATA(self, server, session, envelope):
            self.received.append((session.ssl is not None, bytes(envelope.content)))
            return "250 OK"

    handler = Handler()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=unused_port,
        tls_context=context,
        require_starttls=True,
        authenticator=authenticator,
        auth_required=True,
        auth_exclude_mechanism=["LOGIN"],
    )
    controller.start()
    try:
        monkeypatch.setenv("SIGHTLINE_TLS_CA_FILE", str(cert))
        url = f"smtp+starttls://alex@127.0.0.1:{unused_port}"
        monkeypatch.setenv("SIGHTLINE_SMTP_PASSWORD", "wrong")
        refused = run("campaign", "send", "cctv", "--smtp", url)
        assert (refused.exit_code, refused.stderr) == (
            1,
            f"Error: SMTP login to starttls alex@127.0.0.1:{unused_port} refused: "
            "535 5.7.8 Authentication credentials invalid\n",
        )
        # Nothing was sent or even stored: the login is checked before any message is queued.
        assert OutgoingMessage.objects.count() == 0
        monkeypatch.setenv("SIGHTLINE_SMTP_PASSWORD", "hunter2")
        sent = run("campaign", "send", "cctv", "--smtp", url)
        assert sent.stdout == "Sent 3 message(s); 0 deferred, 0 failed\n"
    finally:
        controller.stop()
    assert logins[:2] == [("PLAIN", b"alex", b"wrong"), ("PLAIN", b"alex", b"hunter2")]
    assert [over_tls for over_tls, _ in handler.received] == [True, True, True]


def test_implicit_tls(run, campaign, tls_files, monkeypatch, unused_port):
    import ssl

    from aiosmtpd.controller import Controller

    cert, key = tls_files
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

    class Handler:
        def __init__(self):
            self.received: list[bool] = []

        async def handle_DATA(self, server, session, envelope):
            self.received.append(server.transport.get_extra_info("ssl_object") is not None)
            return "250 OK"

    handler = Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=unused_port, ssl_context=context)
    controller.start()
    try:
        monkeypatch.setenv("SIGHTLINE_TLS_CA_FILE", str(cert))
        result = run("campaign", "send", "cctv", "--smtp", f"smtps://127.0.0.1:{unused_port}")
        assert result.stdout == "Sent 3 message(s); 0 deferred, 0 failed\n"
    finally:
        controller.stop()
    assert handler.received == [True, True, True]


def test_no_requester_name_no_letter(run, campaign, smtp_server):
    from sightline.mail.models import OutgoingMessage

    assert run("campaign", "edit", "cctv", "--requester", " ").exit_code == 0
    result = run("campaign", "send", "cctv", "--smtp", smtp_server.url)
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "",
        "Error: campaign cctv has no requester name; nothing sent (set it with "
        "`sightline campaign edit cctv --requester NAME`)\n",
    )
    queued = run("campaign", "send", "cctv", "--queue-only")  # nor stored for the worker
    assert queued.exit_code == 1
    assert OutgoingMessage.objects.count() == 0
    assert smtp_server.handler.received == []
    edited = run("campaign", "edit", "cctv", "--requester", "Alex  Example")
    assert edited.stdout == "Campaign cctv: requester 'Alex Example'\n"
    assert run("campaign", "send", "cctv", "--smtp", smtp_server.url).exit_code == 0
    assert len(smtp_server.handler.received) == 3


@pytest.mark.parametrize(
    "domain",
    ["", "localhost", "replies.localhost", "mail.test", "foi.example", "x.invalid"],
)
def test_replies_to_a_reserved_name_only_in_a_test_campaign(run, campaign, smtp_server, domain):
    from sightline.mail.models import OutgoingMessage

    assert run("campaign", "edit", "cctv", "--reply-domain", domain).exit_code == 0
    shown = domain or "sightline.localhost"  # the default when none is set
    result = run("campaign", "send", "cctv", "--smtp", smtp_server.url)
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: campaign cctv has replies directed to {shown}, a reserved name that cannot "
        "receive mail (mark the campaign as a test to send to it); nothing sent (set it with "
        "`sightline campaign edit cctv --reply-domain DOMAIN`)\n",
    )
    assert OutgoingMessage.objects.count() == 0
    assert run("campaign", "edit", "cctv", "--test").stdout == "Campaign cctv: marked as a test\n"
    assert run("campaign", "send", "cctv", "--smtp", smtp_server.url).exit_code == 0
    assert len(smtp_server.handler.received) == 3


def test_send_to_a_port_where_nothing_listens_stores_and_sends_nothing(run, campaign, unused_port):
    from sightline.campaigns.models import Request
    from sightline.mail.models import OutgoingMessage

    result = run("campaign", "send", "cctv", "--smtp", f"smtp://127.0.0.1:{unused_port}")
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "",
        f"Error: cannot reach the SMTP server plain 127.0.0.1:{unused_port}: the SMTP server "
        "refused the connection; nothing was sent\n",
    )
    assert OutgoingMessage.objects.count() == 0
    assert set(Request.objects.values_list("state", flat=True)) == {"draft"}


def test_a_server_that_never_answers_stops_the_run_before_anything_is_stored(run, campaign):
    import socket

    from sightline.mail.models import OutgoingMessage

    with socket.socket() as silent:  # accepts connections and never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        result = run(
            "campaign", "send", "cctv", "--smtp", f"smtp://127.0.0.1:{port}", "--timeout", "0.3"
        )
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: cannot reach the SMTP server plain 127.0.0.1:{port}: the SMTP server did not "
        "answer in time; nothing was sent\n",
    )
    assert OutgoingMessage.objects.count() == 0


def test_a_campaign_changes_until_its_letters_are_queued(run, campaign, smtp_server, tmp_path):
    from sightline.campaigns.models import Request

    letter = tmp_path / "better.txt"
    letter.write_text(
        "Dear {authority_name},\n\nPlease list your CCTV cameras.\n\n{requester_name}\n"
    )
    edited = run(
        "campaign", "edit", "cctv", "--template", str(letter), "--remove", "E09000012",
        "--add", "E09000001", "--title", "CCTV makers",
    )  # fmt: skip
    assert edited.exit_code == 0, edited.stderr
    assert edited.stdout == (
        f"Campaign cctv: title 'CCTV makers'; letter from {letter}; removed London Borough of "
        "Hackney (CCTV-0003); added City of London Corporation (CCTV-0004)\n"
    )
    states = dict(Request.objects.values_list("reference", "state"))
    assert states == {
        "CCTV-0001": "draft",
        "CCTV-0002": "draft",
        "CCTV-0003": "withdrawn",
        "CCTV-0004": "draft",
    }
    # City of London has no FOI address yet: nothing goes until it has one.
    refused = run("campaign", "send", "cctv", "--smtp", smtp_server.url)
    assert refused.exit_code == 1
    assert "City of London Corporation (E09000001)" in refused.stderr
    assert run("campaign", "edit", "cctv", "--remove", "E09000001").exit_code == 0
    sent = run("campaign", "send", "cctv", "--smtp", smtp_server.url)
    assert sent.stdout == "Sent 2 message(s); 0 deferred, 0 failed\n"
    body = message_from_bytes(smtp_server.handler.received[0].content, policy=policy.default)
    assert "Please list your CCTV cameras." in body.get_content()
    late = run("campaign", "edit", "cctv", "--requester", "Someone Else")
    assert (late.exit_code, late.stderr) == (
        1,
        "Error: campaign cctv has requests queued or sent: the requester can no longer change\n",
    )
    assert run("campaign", "edit", "cctv", "--title", "CCTV makers 2026").exit_code == 0


def test_many_missing_contacts_are_named_five_at_most(run, campaign, smtp_server, tmp_path):
    from .conftest import TEMPLATE

    template = tmp_path / "big.txt"
    template.write_text(TEMPLATE)
    created = run(
        "campaign", "create", "big", "--set", "london-boroughs", "--template", str(template),
        "--title", "CCTV", "--requester", "Alex Example", "--reply-domain", "replies.example.org",
    )  # fmt: skip
    assert created.exit_code == 0, created.stderr
    result = run("campaign", "send", "big", "--smtp", smtp_server.url)
    assert result.exit_code == 1
    # 32 boroughs, of which the fixture gave Camden and Hackney an address: 30 are named
    assert result.stderr.startswith("Error: 30 authorities have no FOI contact address")
    named = result.stderr.split("`): ", 1)[1]
    assert named.count("(E09") == 5 and named.endswith("; and 25 more\n")
    assert smtp_server.handler.received == []

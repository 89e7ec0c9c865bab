"""`sightline mail fetch` from a real dovecot IMAP server on loopback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.db, pytest.mark.imap]

FIXTURES = Path(__file__).parent / "fixtures"


def fetch(run, dovecot, *extra):
    return run("mail", "fetch", "--imap", dovecot.url(), "--json", *extra)


def test_fetch_imports_each_message_once(run, sent_campaign, dovecot, monkeypatch):
    from sightline.campaigns.models import Request
    from sightline.mail.models import IncomingMessage, MailboxState

    monkeypatch.setenv("SIGHTLINE_IMAP_PASSWORD", "secret")
    dovecot.append(
        *[
            (FIXTURES / name).read_bytes()
            for name in ("acknowledgement_latin1.eml", "html_only_refusal.eml", "malformed.eml")
        ]
    )
    first = fetch(run, dovecot)
    assert first.exit_code == 0, first.stderr
    report = json.loads(first.stdout)
    assert (report["imported"], report["matched"], len(report["malformed"])) == (2, 2, 1)
    assert report["malformed"][0]["source"] == f"imap:foi@127.0.0.1:{dovecot.port}/INBOX#3"
    states = dict(Request.objects.values_list("reference", "state"))
    assert (states["CCTV-0001"], states["CCTV-0003"]) == ("acknowledged", "refused")
    mailbox = MailboxState.objects.get()
    assert (mailbox.key, mailbox.last_uid) == (f"foi@127.0.0.1:{dovecot.port}/INBOX", 3)

    again = json.loads(fetch(run, dovecot).stdout)
    assert (again["imported"], again["duplicates"]) == (0, 0)  # not even fetched again

    dovecot.append((FIXTURES / "answer_with_pdf.eml").read_bytes())
    third = json.loads(fetch(run, dovecot).stdout)
    assert (third["imported"], third["matched"], third["duplicates"]) == (1, 1, 0)
    assert IncomingMessage.objects.count() == 4
    assert MailboxState.objects.get().last_uid == 4


def test_uidvalidity_change_reads_again_without_duplicates(
    run, sent_campaign, dovecot, monkeypatch
):
    from sightline.mail.models import IncomingMessage, MailboxState

    monkeypatch.setenv("SIGHTLINE_IMAP_PASSWORD", "secret")
    dovecot.append((FIXTURES / "out_of_office.eml").read_bytes())
    fetch(run, dovecot)
    MailboxState.objects.update(uidvalidity=1)  # as if the server renumbered the mailbox
    report = json.loads(fetch(run, dovecot).stdout)
    assert (report["imported"], report["duplicates"]) == (0, 1)
    assert IncomingMessage.objects.count() == 1


def test_fetch_errors(run, campaign, dovecot, monkeypatch):
    monkeypatch.delenv("SIGHTLINE_IMAP_PASSWORD", raising=False)
    no_password = fetch(run, dovecot)
    assert (no_password.exit_code, no_password.stderr) == (
        1,
        "Error: set SIGHTLINE_IMAP_PASSWORD to the mailbox password\n",
    )
    monkeypatch.setenv("SIGHTLINE_IMAP_PASSWORD", "wrong")
    refused = fetch(run, dovecot)
    assert (refused.exit_code, refused.stderr) == (
        1,
        f"Error: IMAP foi@127.0.0.1:{dovecot.port}/INBOX: the server refused the login"
        " (user name or SIGHTLINE_IMAP_PASSWORD)\n",
    )
    missing = run("mail", "fetch")
    assert missing.stderr == "Error: no IMAP mailbox: give --imap URL or set SIGHTLINE_IMAP_URL\n"


def test_fetch_over_imaps(run, sent_campaign, dovecot, monkeypatch):
    from sightline.campaigns.models import Request

    if not dovecot.imaps_port:
        pytest.skip("openssl is not installed: no certificate for imaps")
    monkeypatch.setenv("SIGHTLINE_IMAP_PASSWORD", "secret")
    dovecot.append((FIXTURES / "html_only_refusal.eml").read_bytes())
    url = f"imaps://foi@127.0.0.1:{dovecot.imaps_port}/INBOX"
    untrusted = run("mail", "fetch", "--imap", url)
    assert (untrusted.exit_code, untrusted.stderr) == (
        1,
        f"Error: IMAP foi@127.0.0.1:{dovecot.imaps_port}/INBOX: the server's TLS certificate"
        " could not be verified (set SIGHTLINE_TLS_CA_FILE?)\n",
    )
    monkeypatch.setenv("SIGHTLINE_TLS_CA_FILE", str(dovecot.certificate))
    fetched = run("mail", "fetch", "--imap", url, "--json")
    assert json.loads(fetched.stdout)["matched"] == 1
    assert Request.objects.get(reference="CCTV-0003").state == "refused"


def test_fetch_from_a_port_where_nothing_listens(run, campaign, unused_port, monkeypatch):
    monkeypatch.setenv("SIGHTLINE_IMAP_PASSWORD", "secret")
    result = run("mail", "fetch", "--imap", f"imap://foi@127.0.0.1:{unused_port}/INBOX")
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: IMAP foi@127.0.0.1:{unused_port}/INBOX: the connection was refused"
        " (is the host and port right?)\n",
    )


def test_fetch_as_a_background_task(sent_campaign, dovecot, monkeypatch):
    """The web's "fetch mail now" queues a task; the worker's run of it imports the mail."""
    from sightline.tasks.models import Job
    from sightline.tasks.service import start_job
    from sightline.tasks.work import run_job

    monkeypatch.setenv("SIGHTLINE_IMAP_URL", dovecot.url())
    monkeypatch.setenv("SIGHTLINE_IMAP_PASSWORD", "secret")
    dovecot.append((FIXTURES / "acknowledgement_latin1.eml").read_bytes())
    job = start_job(Job.Kind.FETCH, None, "editor").job
    assert (job.state, job.runs) == ("queued", 0)
    run_job.call(job.pk)
    job.refresh_from_db()
    assert (job.state, job.runs, job.summary) == (
        "done",
        1,
        "1 new message: 1 matched, 0 unmatched.",
    )
    assert job.result["imported"] == 1

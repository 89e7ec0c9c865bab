"""The review commands, end to end through the command line (in-process)."""

import csv
import datetime as dt
import io
import json
from email.message import EmailMessage

import pytest
from click.testing import CliRunner

from sightline.authorities.registry import load_builtin
from sightline.campaigns.service import create_campaign, record_event
from sightline.cli.main import cli
from sightline.lifecycle import EventKind
from sightline.mail.inbox import raw_store
from sightline.mail.models import IncomingMessage, MessageLink
from sightline.review.models import ReviewDecision, StoredFact

pytestmark = pytest.mark.django_db


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def campaign_with_reply():
    load_builtin()
    campaign = create_campaign("cctv", "largest-cities", "Dear {authority_name}", "CCTV")
    leeds = campaign.requests.get(authority__gss_code="E08000035")
    record_event(leeds, EventKind.QUEUED)
    record_event(leeds, EventKind.SENT, at=dt.datetime(2021, 1, 4, 9, tzinfo=dt.UTC))
    message = EmailMessage()
    message["From"] = "foi@leeds.example"
    message["Subject"] = "Your FOI request"
    message["Date"] = "Tue, 12 Jan 2021 10:00:00 +0000"
    message.set_content("The council does not own any Hikvision or Dahua cameras.")
    raw = bytes(message)
    stored = IncomingMessage.objects.create(
        sha256=raw_store().put(raw),
        source="test",
        size=len(raw),
        subject="Your FOI request",
        date=dt.datetime(2021, 1, 12, 10, tzinfo=dt.UTC),
    )
    MessageLink.objects.create(message=stored, request=leeds, method="address")
    return campaign


def test_extract_then_review_queue(campaign_with_reply):
    result = run("extract", "cctv")
    assert result.exit_code == 0
    count = StoredFact.objects.count()
    assert result.stdout == f"1 messages read, {count} facts waiting for review\n"
    listed = json.loads(run("review", "cctv", "--json").stdout)
    assert len(listed) == count
    owned = [f for f in listed if f["field"] == "owned" and f["vendor"] == "hikvision"]
    assert owned[0]["value"] == "no"
    assert owned[0]["evidence"][0]["location"] == "body"
    assert run("extract", "cctv").stdout == "0 messages read, 0 facts waiting for review\n"


def test_interactive_review_and_coded_csv(campaign_with_reply):
    run("extract", "cctv")
    pending = StoredFact.objects.count()
    # confirm everything the queue shows, in order
    result = run("review", "cctv", "--reviewer", "ann", input="c\n" * pending)
    assert result.exit_code == 0
    assert result.stdout.endswith(f"{pending} decisions recorded\n")
    assert StoredFact.objects.filter(status="confirmed").count() == pending
    coded = run("code", "cctv", "--csv")
    rows = list(csv.DictReader(io.StringIO(coded.stdout)))
    assert len(rows) == 20
    leeds = next(r for r in rows if r["authority"] == "Leeds City Council")
    assert (leeds["outcome"], leeds["hikvision"], leeds["dahua"], leeds["responded_on"]) == (
        "answered",
        "no",
        "no",
        "2021-01-12",
    )
    # Never sent: it did not reach the authority, which is not the same as no reply.
    assert next(r for r in rows if r["authority"] == "Belfast City Council")["outcome"] == (
        "not_delivered"
    )


def test_decide_correct_and_errors(campaign_with_reply):
    run("extract", "cctv")
    fact = StoredFact.objects.get(field="owned", vendor="hikvision")
    result = run("decide", str(fact.pk), "correct", "--value", "yes", "--reviewer", "bob")
    assert (result.exit_code, result.stdout) == (0, f'#{fact.pk} corrected: "yes"\n')
    bad = run("decide", str(fact.pk), "correct", "--value", "perhaps", "--reviewer", "bob")
    assert (bad.exit_code, bad.stderr) == (
        1,
        "Error: owned must be one of yes, no, unknown, unstated, not 'perhaps'\n",
    )
    missing = run("decide", "999999", "confirm", "--reviewer", "bob")
    assert (missing.exit_code, missing.stderr) == (1, "Error: no fact #999999\n")


def test_findings_build_from_the_campaign(campaign_with_reply, tmp_path):
    run("extract", "cctv")
    pending = StoredFact.objects.count()
    run("review", "cctv", "--reviewer", "ann", input="c\n" * pending)
    out = tmp_path / "bundle"
    result = run("findings", "build", "cctv", "--out", str(out))
    assert result.exit_code == 0, result.output
    published = json.loads((out / "findings.json").read_text())
    assert (published["sent"], published["successful"]) == (20, 1)
    evidence = list(csv.DictReader(io.StringIO((out / "evidence.csv").read_text())))
    assert {row["authority"] for row in evidence} == {"Leeds City Council"}
    both = run("findings", "build", "cctv", "--coded", "x.csv", "--out", str(out))
    assert (both.exit_code, both.stderr) == (
        1,
        "Error: give either a campaign SLUG or --coded CODED.csv, not both or neither\n",
    )


def test_decide_follows_the_dispute_rule(campaign_with_reply):
    run("extract", "cctv")
    fact = StoredFact.objects.get(field="owned", vendor="hikvision")
    assert run("decide", str(fact.pk), "confirm", "--reviewer", "ann").exit_code == 0
    second = run("decide", str(fact.pk), "reject", "--reviewer", "bob")
    assert second.exit_code == 0
    assert second.stdout == f'#{fact.pk} pending: "no"\n'
    assert second.stderr == (
        f"#{fact.pk} is disputed: ann and bob disagree; a third reviewer decides it\n"
    )
    again = run("decide", str(fact.pk), "confirm", "--reviewer", "ann")
    assert (again.exit_code, again.stderr) == (
        1,
        f"Error: ann and bob disagree on fact #{fact.pk}: a third reviewer decides it\n",
    )
    third = run("decide", str(fact.pk), "confirm", "--reviewer", "cy")
    assert (third.exit_code, third.stdout) == (0, f'#{fact.pk} confirmed: "no"\n')


def test_later_builds_list_replies_after_first_publication(campaign_with_reply, tmp_path):
    from django.utils import timezone

    from sightline.campaigns.models import Campaign

    run("extract", "cctv")
    run("review", "cctv", "--reviewer", "ann", input="c\n" * StoredFact.objects.count())
    out = tmp_path / "bundle"
    assert run("findings", "build", "cctv", "--out", str(out)).exit_code == 0
    # A build (a private draft, say) is not a publication.
    assert Campaign.objects.get(slug="cctv").first_published_on is None
    assert json.loads((out / "findings.json").read_text())["updates"] == []
    future = run("findings", "publish", "cctv", "--on", "2999-01-01")
    assert (future.exit_code, future.stderr) == (
        1,
        "Error: 2999-01-01 is in the future: give the day they went out\n",
    )
    # As if the findings had gone out before Leeds's reply of 12 January 2021 arrived:
    published = run("findings", "publish", "cctv", "--on", "2021-01-10")
    assert published.stdout == "Campaign cctv: findings first published on 2021-01-10\n"
    again = run("findings", "publish", "cctv", "--on", str(timezone.localdate()))
    assert again.stderr == (
        "Error: campaign cctv's findings were already first published on 2021-01-10\n"
    )
    assert run("findings", "build", "cctv", "--out", str(out)).exit_code == 0
    updates = json.loads((out / "findings.json").read_text())["updates"]
    assert [(u["date"], "Leeds City Council" in u["text"]) for u in updates] == [
        ("2021-01-12", True)
    ]
    assert Campaign.objects.get(slug="cctv").first_published_on == dt.date(2021, 1, 10)


def test_confirm_a_whole_reply_at_once(campaign_with_reply):
    run("extract", "cctv")
    leeds = StoredFact.objects.first().request
    count = StoredFact.objects.count()
    nameless = run("review", "cctv", "--confirm-reply", leeds.reference)
    assert (nameless.exit_code, nameless.stderr) == (
        1,
        "Error: --confirm-reply needs --reviewer NAME (or SIGHTLINE_REVIEWER)\n",
    )
    other = run("review", "cctv", "--confirm-reply", "CCTV-0001", "--reviewer", "ann")
    assert (other.exit_code, other.stderr) == (1, "Error: no fact of CCTV-0001 waits for review\n")
    done = run("review", "cctv", "--confirm-reply", leeds.reference, "--reviewer", "ann")
    assert (done.exit_code, done.stdout) == (0, f"{leeds.reference}: {count} facts confirmed\n")
    assert set(StoredFact.objects.values_list("status", flat=True)) == {"confirmed"}
    assert ReviewDecision.objects.filter(reviewer="ann", decision="confirm").count() == count


def test_interactive_review_confirms_the_rest_of_a_reply_with_a(campaign_with_reply):
    run("extract", "cctv")
    count = StoredFact.objects.count()
    assert count > 2
    # Reject the first (most doubtful) fact, then confirm all the rest of the reply with "a".
    result = run("review", "cctv", "--reviewer", "ann", input="r\na\n")
    assert result.exit_code == 0
    assert result.stdout.endswith(f"{count} decisions recorded\n")
    statuses = sorted(StoredFact.objects.values_list("status", flat=True))
    assert statuses == ["confirmed"] * (count - 1) + ["rejected"]


def test_a_decision_loads_neither_the_readers_nor_the_rules_nor_the_report():
    """Why `sightline decide` was slow: importing the review service loaded the document
    readers, the extraction rules and the report builder (with its charting library)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from sightline.web.bootstrap import setup_django\n"
        "setup_django()\n"
        "import sightline.review.workflow, sightline.review.replies\n"
        "heavy = ('sightline.facts', 'sightline.documents.reader', 'sightline.findings.bundle', 'altair')\n"
        "print(sorted(name for name in heavy if name in sys.modules))\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert found.stdout == "[]\n"

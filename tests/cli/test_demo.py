import datetime as dt
import json

import pytest

from sightline.demo.scenario import COUNCILS, GROUPS, PUBLISHED_ON, SENT_ON
from sightline.findings.coded import NO_REPLY_OUTCOMES, CodedResponse
from sightline.findings.engine import compute_findings
from sightline.findings.spec import default_spec


def answered_on(council):
    return SENT_ON + dt.timedelta(days=council.replies[-1].days_after)


def implied_responses():
    """What the scenario's replies say, coded by hand in the scenario itself."""
    return [
        CodedResponse(
            authority=c.name,
            group=GROUPS[c.group],
            outcome=c.expected.outcome,
            responded_on=(answered_on(c) if c.expected.outcome not in NO_REPLY_OUTCOMES else None),
            hikvision=c.expected.hikvision,
            dahua=c.expected.dahua,
            hikvision_or_dahua_unspecified=c.expected.unspecified,
            facial_recognition=c.expected.facial_recognition,
            hikvision_devices=c.expected.hikvision_devices,
            dahua_devices=c.expected.dahua_devices,
            note="",
        )
        for c in COUNCILS
    ]


@pytest.mark.slow
@pytest.mark.ocr
def test_demo_report_shows_the_figures_the_replies_imply(console, tmp_path):
    home = tmp_path / "demo-home"
    result = console("demo", "--home", str(home))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == f"Report: {home / 'report' / 'index.html'}"
    published = json.loads((home / "report" / "findings.json").read_text())
    final = compute_findings(implied_responses(), default_spec())
    first = compute_findings(implied_responses(), default_spec(), as_of=PUBLISHED_ON)
    assert (first.sent, first.successful) == (12, 8)  # the late answer came after publication
    assert published["metrics"] == final.as_contract_json()["metrics"]
    assert published["table"] == final.as_contract_json()["table"]
    assert published["totals"] == {total.id: total.as_json() for total in final.totals}
    assert published["headlines"] == list(final.headlines)
    late = [c for c in COUNCILS if c.replies and answered_on(c) > PUBLISHED_ON]
    assert [c.name for c in late] == ["Harwick Borough Council"]
    assert len(published["updates"]) == 1
    assert published["updates"][0]["date"] == answered_on(late[0]).isoformat()
    assert late[0].name in published["updates"][0]["text"]
    for name in ("index.html", "chart.svg", "findings.csv", "evidence.csv", "sightline.db"):
        assert (home / "report" / name).is_file()


def test_demo_refuses_a_folder_in_use(console, tmp_path):
    home = tmp_path / "used"
    home.mkdir()
    (home / "something").write_text("x")
    result = console("demo", "--home", str(home))
    assert (result.returncode, result.stderr) == (
        1,
        f"Error: {home} is not empty; the demo needs a new folder\n",
    )


def test_init_uses_sqlite_in_wal_mode(console, tmp_path):
    import sqlite3

    result = console("init")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1] == (
        "Built-in authorities: 53 added, 0 updated, 0 unchanged"
    )
    database = tmp_path / "console-home" / "sightline.sqlite3"
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    again = console("init")
    assert again.stdout.splitlines()[1] == "Built-in authorities: 0 added, 0 updated, 53 unchanged"

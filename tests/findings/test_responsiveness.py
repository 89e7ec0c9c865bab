"""How promptly the authorities answered: a campaign with known dates, its figures counted by
hand below (the calendar's days are named where they matter), against the bundle's files.

Every request is sent on Monday 1 June 2026. Weekdays the Freedom of Information Act does not
count in this period (a bank holiday in any part of the UK): Monday 15 June 2026 (Scotland, the
World Cup holiday in the bank-holiday data), Monday 13 July 2026 (Northern Ireland, the Battle of
the Boyne substitute day) and Monday 3 August 2026 (Scotland, summer bank holiday).

Counting from 1 June: 2-5 June are days 1-4, 8-12 June 5-9, (15 June skipped) 16-19 June 10-13,
22-26 June 14-18, 29 June 19, 30 June 20: the 20th working day is Tuesday 30 June. Then 1-3 July
21-23, 6-10 July 24-28, (13 July skipped) 14-17 July 29-32, 20-24 July 33-37, 27-29 July 38-40:
the 40th (the extended limit) is Wednesday 29 July. The figures are taken on Friday 31 July 2026.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import sqlite3

import pytest
from django.utils import timezone

from sightline.campaigns.histories import request_histories
from sightline.campaigns.service import create_campaign, record_event
from sightline.demo.clock import at, simulated_time
from sightline.findings.bundle import ReportInfo, build_bundle
from sightline.findings.database import RESPONSIVENESS_COLUMNS
from sightline.findings.responsiveness import RECORD_COLUMNS, compute_responsiveness
from sightline.lifecycle import EventKind, State
from sightline.review.service import coded_responses

pytestmark = pytest.mark.django_db

TEMPLATE = "Dear {authority_name},\n\nPlease list your CCTV cameras.\n\n{requester_name}\n"
BARNET, BEXLEY, BRENT, BROMLEY, CAMDEN, HACKNEY = (
    "E09000003", "E09000004", "E09000005", "E09000006", "E09000007", "E09000012",
)  # fmt: skip
SENT = dt.date(2026, 6, 1)
TODAY = dt.date(2026, 7, 31)


def day(month: int, number: int) -> dt.datetime:
    return at(dt.date(2026, month, number), hour=11)


@pytest.fixture
def campaign(db):
    from sightline.authorities.registry import add_to_set, load_builtin

    load_builtin()
    add_to_set("six", [BARNET, BEXLEY, BRENT, BROMLEY, CAMDEN, HACKNEY], title="Six boroughs")
    campaign = create_campaign(
        "timely", "six", TEMPLATE, "Timeliness", requester_name="Alex Example",
        reply_domain="replies.example.org",
    )  # fmt: skip
    requests = {r.authority.gss_code: r for r in campaign.requests.all()}
    for request in requests.values():
        record_event(request, EventKind.QUEUED, at=at(SENT, 8))
        record_event(request, EventKind.SENT, at=at(SENT, 9))

    def answer(code: str, when: dt.datetime, state: State, by_rule: bool = True) -> None:
        request = requests[code]
        record_event(request, EventKind.MESSAGE_RECEIVED, at=when, data={"message": 0})
        if by_rule:  # the mail import's reading, dated by its message
            record_event(
                request, EventKind.STATE_SET, state, guess=True, actor="rule:test", at=when,
                data={"message": 0},
            )  # fmt: skip

    # Camden: answered Friday 19 June, working day 13.
    answer(CAMDEN, day(6, 19), State.ANSWERED)
    # Hackney: extended on 22 June, answered Wednesday 8 July: day 26, inside the 40.
    record_event(requests[HACKNEY], EventKind.DUE_EXTENDED, at=day(6, 22))
    answer(HACKNEY, day(7, 8), State.ANSWERED)
    # Barnet: refused on Tuesday 30 June (day 20, just in time); review asked for on Wednesday
    # 1 July, due 20 working days later: 2-3 July 1-2, 6-10 July 3-7, (13 July skipped) 14-17
    # July 8-11, 20-24 July 12-16, 27-30 July 17-20: Thursday 30 July. Decided (information
    # released) on Friday 24 July: in time.
    answer(BARNET, day(6, 30), State.REFUSED)
    record_event(requests[BARNET], EventKind.INTERNAL_REVIEW_REQUESTED, at=day(7, 1))
    answer(BARNET, day(7, 24), State.ANSWERED)
    # Bexley: nothing at all; past the 20th (30 June) and the 40th (29 July) by 31 July.
    # Brent: acknowledged 2 June; its answer came on Wednesday 1 July (day 21) and a reviewer
    # confirmed it on 6 July (dated by the message, not the reviewer's day). Review asked for on
    # Tuesday 7 July: 8-10 July 1-3, (13 skipped) 14-17 July 4-7, 20-24 July 8-12, 27-31 July
    # 13-17, (3 August skipped) 4-6 August 18-20: due Thursday 6 August, undecided on 31 July.
    answer(BRENT, day(6, 2), State.ACKNOWLEDGED)
    answer(BRENT, day(7, 1), State.ANSWERED, by_rule=False)
    record_event(requests[BRENT], EventKind.STATE_SET, State.ANSWERED, actor="ann", at=day(7, 6))
    record_event(requests[BRENT], EventKind.INTERNAL_REVIEW_REQUESTED, at=day(7, 7))
    # Bromley: asked what was meant on 3 June (the clock stops), clarified on Wednesday 10 June
    # (it starts again from that day), answered Wednesday 8 July: 11-12 June 1-2, (15 skipped)
    # 16-19 June 3-6, 22-26 June 7-11, 29-30 June 12-13, 1-3 July 14-16, 6-8 July 17-19: day 19.
    answer(BROMLEY, day(6, 3), State.CLARIFICATION_REQUESTED)
    record_event(requests[BROMLEY], EventKind.CLARIFIED, at=day(6, 10))
    answer(BROMLEY, day(7, 8), State.ANSWERED)
    return campaign


def test_figures_equal_those_counted_by_hand(campaign):
    with simulated_time(at(TODAY, 12)):
        result = compute_responsiveness(request_histories(campaign), timezone.localdate())
    rows = {row.authority.removeprefix("London Borough of "): row for row in result.requests}
    assert {name: (r.received_on, r.answered_on, r.working_days) for name, r in rows.items()} == {
        "Barnet": (SENT, dt.date(2026, 6, 30), 20),
        "Bexley": (SENT, None, None),
        "Brent": (SENT, dt.date(2026, 7, 1), 21),
        "Bromley": (dt.date(2026, 6, 10), dt.date(2026, 7, 8), 19),
        "Camden": (SENT, dt.date(2026, 6, 19), 13),
        "Hackney": (SENT, dt.date(2026, 7, 8), 26),
    }
    assert {n: (r.within_20, r.in_time, r.extended, r.status) for n, r in rows.items()} == {
        "Barnet": (True, True, False, "answered"),
        "Bexley": (False, False, False, "no_answer"),
        "Brent": (False, False, False, "answered"),
        "Bromley": (True, True, False, "answered"),
        "Camden": (True, True, False, "answered"),
        "Hackney": (False, True, True, "answered"),
    }
    assert (rows["Camden"].due_20, rows["Hackney"].due) == (
        dt.date(2026, 6, 30),
        dt.date(2026, 7, 29),
    )
    assert [
        (v.requested_on, v.due, v.answered_on, v.outcome, v.in_time) for v in rows["Barnet"].reviews
    ] == [(dt.date(2026, 7, 1), dt.date(2026, 7, 30), dt.date(2026, 7, 24), "answered", True)]
    assert [
        (v.requested_on, v.due, v.answered_on, v.outcome, v.in_time) for v in rows["Brent"].reviews
    ] == [(dt.date(2026, 7, 7), dt.date(2026, 8, 6), None, "awaiting", None)]
    campaign_figures = result.campaign.as_json()
    # 3 of 6 within 20 working days (Barnet, Bromley, Camden) = 50%, short of 90%; the five
    # answers took 13, 19, 20, 21 and 26 working days: the median is 20.
    assert campaign_figures == {
        "requests": 6,
        "judged": 6,
        "answered_within_20_working_days": 3,
        "percent_within_20_working_days": 50,
        "ico_expected_percent": 90,
        "meets_ico_expectation": False,
        "answered": 5,
        "median_working_days_to_answer": 20.0,
        "extended": 1,
        "answered_in_time": 4,
        "judged_in_time": 6,
        "internal_reviews_requested": 2,
        "internal_reviews_answered": 1,
        "internal_reviews_in_time": 1,
        "internal_reviews_judged": 1,
        "internal_review_outcomes": {"answered": 1, "awaiting": 1},
    }
    barnet = result.by_authority["London Borough of Barnet"].as_json()
    assert (barnet["percent_within_20_working_days"], barnet["meets_ico_expectation"]) == (
        100,
        True,
    )
    assert barnet["median_working_days_to_answer"] == 20.0


def test_on_an_earlier_day_later_events_do_not_count(campaign):
    # On 26 June (day 18) nobody's 20 working days are over: only Camden is judged (answered).
    result = compute_responsiveness(request_histories(campaign), dt.date(2026, 6, 26))
    figures = result.campaign
    assert (figures.judged, figures.within_20, figures.percent_within_20) == (1, 1, 100)
    assert (figures.meets_ico_expectation, figures.answered, figures.extended) == (True, 1, 1)
    # Bromley's clock started again on 10 June; its answer of 8 July had not come yet.
    bromley = next(r for r in result.requests if r.authority.endswith("Bromley"))
    assert (bromley.status, bromley.received_on, bromley.answered_on) == (
        "awaiting",
        dt.date(2026, 6, 10),
        None,
    )


def test_the_bundle_carries_the_figures_in_every_file(campaign, tmp_path):
    with simulated_time(at(TODAY, 12)):
        info = ReportInfo("Timeliness", built_on=timezone.localdate())
        result = build_bundle(
            tmp_path / "report", coded_responses(campaign), info,
            histories=request_histories(campaign),
        )  # fmt: skip
    folder = result.folder
    assert {"responsiveness.csv", "responsiveness.svg"} <= set(result.files)
    document = json.loads((folder / "findings.json").read_text())
    assert document["responsiveness"]["as_of"] == "2026-07-31"
    assert document["responsiveness"]["campaign"]["percent_within_20_working_days"] == 50
    table = list(csv.DictReader(io.StringIO((folder / "responsiveness.csv").read_text())))
    assert tuple(table[0]) == RECORD_COLUMNS
    hackney = next(r for r in table if r["authority"].endswith("Hackney"))
    assert (hackney["received_on"], hackney["answered_on"], hackney["working_days_to_answer"]) == (
        "2026-06-01", "2026-07-08", "26",
    )  # fmt: skip
    assert (hackney["answered_within_20_working_days"], hackney["answered_in_time"]) == (
        "false",
        "true",
    )
    figures = {
        r["id"]: (r["count"], r["of"], r["percent"])
        for r in csv.DictReader(io.StringIO((folder / "findings.csv").read_text()))
        if r["kind"] == "responsiveness"
    }
    assert figures["answered_within_20_working_days"] == ("3", "6", "50")
    assert figures["internal_reviews_in_time"] == ("1", "1", "100")
    with sqlite3.connect(folder / "sightline.db") as db:
        stored = db.execute(
            "SELECT working_days_to_answer, answered_within_20_working_days,"
            " internal_review_outcome, internal_review_in_time FROM coded_responses"
            " WHERE authority = 'London Borough of Barnet'"
        ).fetchone()
    assert stored == (20, "true", "answered", "true")
    html = (folder / "index.html").read_text()
    assert 'id="responsiveness"' in html
    assert (
        "3 of 6 requests (50%) were answered within 20 working days, short of the Information "
        "Commissioner&#39;s expectation of 90%; the median answer took 20 working days." in html
    )
    assert "<svg" in (folder / "responsiveness.svg").read_text()
    section = html.split('id="responsiveness"')[1].split("</section>")[0]
    # Nothing in the section loads anything (the SVG's namespace names are not requests).
    assert re.findall(r"(?:src|href)=\"([^\"]*)\"", section) == ["responsiveness.csv"]
    assert "<script" not in section


def test_every_record_column_is_described():
    assert set(RESPONSIVENESS_COLUMNS) == set(RECORD_COLUMNS) - {"authority"}


def test_a_coded_csv_bundle_has_no_responsiveness(tmp_path):
    from sightline.findings.coded import parse_coded_csv

    responses = parse_coded_csv(
        "authority,group,outcome,responded_on,hikvision,dahua,hikvision_or_dahua_unspecified,"
        "facial_recognition,hikvision_devices,dahua_devices,note\n"
        "A council,G,answered,2026-06-02,yes,no,false,no,3,,\n"
    )
    result = build_bundle(tmp_path / "r", responses, ReportInfo("T", built_on=TODAY))
    assert "responsiveness.csv" not in result.files
    assert "responsiveness" not in json.loads((tmp_path / "r" / "findings.json").read_text())
    assert 'id="responsiveness"' not in (tmp_path / "r" / "index.html").read_text()


def test_a_record_has_the_columns_in_order(campaign):
    result = compute_responsiveness(request_histories(campaign), TODAY)
    assert tuple(result.requests[0].as_record()) == RECORD_COLUMNS


@pytest.mark.browser
def test_the_report_shows_the_chart_and_table_offline(campaign, tmp_path, chromium):
    """Opened from disk in headless Chromium, with every request but file: refused."""
    with simulated_time(at(TODAY, 12)):
        info = ReportInfo("Timeliness", built_on=timezone.localdate())
        result = build_bundle(
            tmp_path / "report", coded_responses(campaign), info,
            histories=request_histories(campaign),
        )  # fmt: skip
    refused: list[str] = []
    with chromium() as browser:
        context = browser.new_context(java_script_enabled=False)

        def guard(route):
            if route.request.url.startswith("file:"):
                route.continue_()
            else:
                refused.append(route.request.url)
                route.abort()

        context.route("**/*", guard)
        page = context.new_page()
        page.goto((result.folder / "index.html").as_uri())
        assert page.locator("#responsiveness-summary").inner_text() == (
            "3 of 6 requests (50%) were answered within 20 working days, short of the "
            "Information Commissioner's expectation of 90%; the median answer took 20 "
            "working days."
        )
        assert page.locator("#responsiveness-chart svg").is_visible()
        chart_text = page.locator("#responsiveness-chart svg").text_content() or ""
        assert "3 of 6 (50%)" in chart_text and "ICO: 90%" in chart_text
        rows = page.locator("#responsiveness-table tbody tr")
        assert rows.count() == 6
        hackney = page.locator("#responsiveness-table tr", has_text="Hackney")
        assert [c.inner_text() for c in hackney.locator("td").all()] == [
            "London Borough of Hackney", "2026-06-01", "2026-07-08", "26", "no", "yes", "",
        ]  # fmt: skip
        barnet = page.locator("#responsiveness-table tr", has_text="Barnet")
        assert barnet.locator("td").last.inner_text() == "answered in full, in time"
        bexley = page.locator("#responsiveness-table tr", has_text="Bexley")
        assert bexley.locator("td").nth(2).inner_text() == "no answer after 20 working days"
        page.locator("#responsiveness").screenshot(path=str(tmp_path / "section.png"))
        context.close()
    assert refused == []


def test_findings_build_from_a_campaign_writes_the_responsiveness(campaign, tmp_path):
    from click.testing import CliRunner

    from sightline.cli.main import cli

    out = tmp_path / "built"
    with simulated_time(at(TODAY, 12)):
        result = CliRunner().invoke(
            cli, ["findings", "build", "timely", "--out", str(out), "--json"],
            catch_exceptions=False,
        )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert {"responsiveness.csv", "responsiveness.svg"} <= set(json.loads(result.stdout)["files"])
    document = json.loads((out / "findings.json").read_text())
    assert document["responsiveness"]["campaign"]["answered_within_20_working_days"] == 3


def test_the_chart_has_a_bar_per_group_and_one_for_all():
    from sightline.findings.responsiveness import ClockEvent, RequestHistory
    from sightline.findings.responsiveness_report import group_summaries, responsiveness_chart_spec

    def history(name: str, answered: dt.date | None) -> RequestHistory:
        events = [ClockEvent(EventKind.QUEUED, SENT), ClockEvent(EventKind.SENT, SENT)]
        if answered:
            events.append(ClockEvent(EventKind.STATE_SET, answered, State.ANSWERED, True))
        return RequestHistory(name, name, "foia", tuple(events))

    # A and B answered on day 13 (19 June) and day 21 (1 July); C never, past its 20th day.
    histories = [
        history("A", dt.date(2026, 6, 19)),
        history("B", dt.date(2026, 7, 1)),
        history("C", None),
    ]
    result = compute_responsiveness(histories, TODAY)
    groups = {"A": "Cities", "B": "Boroughs", "C": "Cities"}
    summaries = [(name, s.within_20, s.judged) for name, s in group_summaries(result, groups)]
    assert summaries == [("Cities", 1, 2), ("Boroughs", 0, 1), ("All authorities", 1, 3)]
    spec = responsiveness_chart_spec(result, groups)
    values = spec["datasets"][spec["data"]["name"]]  # the bars' data (the rule has its own)
    assert [(v["group"], v["percent"], v["text"]) for v in values] == [
        ("Cities", 50, "1 of 2 (50%)"),
        ("Boroughs", 0, "0 of 1 (0%)"),
        ("All authorities", 33, "1 of 3 (33%)"),
    ]

"""Dated updates and the method file; late replies after first publication."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sightline.cli.main import cli
from sightline.findings import parse_coded_csv
from sightline.findings.method import MethodError, MethodInfo, read_method
from sightline.findings.updates import Update, UpdatesError, late_reply_updates, parse_updates


def test_updates_are_read_in_date_order() -> None:
    updates = parse_updates(
        "date,text\n2021-04-02, Corrected   Bexton's count. \n\n2021-03-05,Elham answered.\n"
    )
    assert updates == [
        Update(dt.date(2021, 3, 5), "Elham answered."),
        Update(dt.date(2021, 4, 2), "Corrected Bexton's count."),
    ]
    assert str(updates[0]) == "Updated on 2021-03-05: Elham answered."


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("when,what\n", "u.csv: line 1: the header must have the columns date,text"),
        ("date,text\n2021-3-5,x\n", "u.csv: line 2: date '2021-3-5' is not a date YYYY-MM-DD"),
        (
            "date,text\n2021-03-05,\n2021-13-01,x\n",
            "u.csv: line 2: text is empty (and 1 more)",
        ),
    ],
)
def test_bad_updates_are_named_by_line(text: str, message: str) -> None:
    with pytest.raises(UpdatesError) as caught:
        parse_updates(text, source="u.csv")
    assert str(caught.value) == message


def test_method_file(tmp_path: Path) -> None:
    path = tmp_path / "method.toml"
    path.write_text(
        'asked = "All councils"\nsent_on = 2020-11-02\nquestions = ["Q1?", "  ", "Q2?"]\n',
        encoding="utf-8",
    )
    assert read_method(path) == MethodInfo(
        asked="All councils", sent_on=dt.date(2020, 11, 2), law=None, questions=("Q1?", "Q2?")
    )
    path.write_text('sent_on = "2 Nov"\n', encoding="utf-8")
    with pytest.raises(MethodError) as caught:
        read_method(path)
    assert str(caught.value) == f"{path}: sent_on '2 Nov' is not a date YYYY-MM-DD"
    path.write_text("who = 1\n", encoding="utf-8")
    with pytest.raises(MethodError) as caught:
        read_method(path)
    assert str(caught.value) == f"{path}: unknown key(s) who"


def test_late_replies_become_updates(small_campaign: Path) -> None:
    responses = parse_coded_csv(small_campaign.read_text("utf-8"))
    first = dt.date(2021, 1, 15)
    assert late_reply_updates(responses, first) == [
        Update(dt.date(2021, 1, 20), "Dunmere refused the request after publication; the figures"
               " include it."),
        Update(dt.date(2021, 3, 1), "Elham answered after publication; the figures include it."),
    ]  # fmt: skip
    # Not past the findings date, and not twice when a written update already tells it.
    written = [Update(dt.date(2021, 1, 21), "Dunmere refused, citing FOIA s.31.")]
    assert late_reply_updates(responses, first, dt.date(2021, 2, 1), written) == written


def test_build_with_first_publication_shows_then_and_now(
    small_campaign: Path, tmp_path: Path
) -> None:
    out = tmp_path / "report"
    result = CliRunner().invoke(
        cli,
        ["findings", "build", "--coded", str(small_campaign), "--out", str(out),
         "--first-published", "2021-02-01"],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    document = json.loads((out / "findings.json").read_text("utf-8"))
    assert document["updates"] == [
        {"date": "2021-03-01", "text": "Elham answered after publication; the figures include it."}
    ]
    assert document["first_published"]["date"] == "2021-02-01"
    assert document["first_published"]["metrics"]["hikvision"] == {
        "count": 2, "of": 3, "percent": 67,
    }  # fmt: skip
    assert document["metrics"]["hikvision"] == {"count": 2, "of": 4, "percent": 50}
    html = (out / "index.html").read_text("utf-8")
    assert "<tr><td>Hikvision</td><td>2 of 3 (67%)</td><td>2 of 4 (50%)</td></tr>" in html
    assert "Updated on 2021-03-01</time>: Elham answered after publication" in html
    assert 'First published on <time datetime="2021-02-01">2021-02-01</time>.' in html


def test_first_publication_after_the_findings_date_is_refused(
    small_campaign: Path, tmp_path: Path
) -> None:
    result = CliRunner().invoke(
        cli,
        ["findings", "build", "--coded", str(small_campaign), "--out", str(tmp_path / "o"),
         "--first-published", "2021-03-01", "--as-of", "2021-02-01"],
    )  # fmt: skip
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "Error: the first publication date 2021-03-01 is after the findings date 2021-02-01\n"
    )

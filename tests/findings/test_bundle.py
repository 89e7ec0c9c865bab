"""The published bundle: every file, its contents, and the SQLite file opened by Datasette."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sightline.cli.main import cli
from sightline.findings import parse_coded_csv
from sightline.findings.bundle import EvidenceRow, ReportInfo, build_bundle
from sightline.findings.serve import datasette_for_bundle

BUNDLE = {
    "index.html", "chart.svg", "findings.csv", "findings.json", "evidence.csv", "sightline.db",
    "metadata.json",
}  # fmt: skip


def _compute(coded: Path, *options: str) -> dict[str, Any]:
    result = CliRunner().invoke(cli, ["findings", "compute", str(coded), *options, "--json"])
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_bundle_holds_every_file_and_nothing_else(built_bundle: Path) -> None:
    assert {path.name for path in built_bundle.iterdir()} == BUNDLE


def test_findings_json_is_the_contract_plus_report_details(
    built_bundle: Path, small_campaign: Path
) -> None:
    document = json.loads((built_bundle / "findings.json").read_text("utf-8"))
    contract = _compute(small_campaign, "--as-of", "2021-02-01")
    assert {key: document[key] for key in contract} == contract
    assert document["title"] == "Cameras in five invented councils"
    assert document["as_of"] == "2021-02-01"
    assert document["built_on"] == dt.date.today().isoformat()
    assert document["updates"] == [
        {
            "date": "2021-03-05",
            "text": "Elham answered after publication; it owns no Hikvision or Dahua equipment.",
        }
    ]
    assert document["method"]["sent_on"] == "2020-12-01"
    assert len(document["method"]["questions"]) == 2
    assert sum(document["outcomes"].values()) == document["sent"]
    assert list(document["outcome_by_authority"]) == [row["authority"] for row in contract["table"]]
    assert document["totals"]["hikvision_devices"] == {
        "total": 1802, "reporting": 2, "max": 1790, "max_authorities": ["Bexton"],
    }  # fmt: skip


def test_findings_csv_has_one_row_per_figure(built_bundle: Path) -> None:
    with (built_bundle / "findings.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [
        (r["kind"], r["id"], r["count"], r["of"], r["percent"], r["authorities"]) for r in rows
    ] == [
        ("requests", "sent", "5", "", "", ""),
        ("requests", "successful", "3", "", "", ""),
        ("requests", "unsuccessful", "2", "", "", ""),
        ("metric", "hikvision", "2", "3", "67", "Ashford; Bexton"),
        ("metric", "dahua", "1", "3", "33", "Bexton"),
        ("metric", "hikvision_or_dahua", "3", "3", "100", "Ashford; Bexton; Carnby"),
        ("metric", "facial_recognition", "1", "3", "33", "Bexton"),
        ("total", "hikvision_devices", "1802", "", "", "Bexton"),
        ("total", "dahua_devices", "4", "", "", "Bexton"),
    ]
    assert (
        rows[3]["sentence"] == "2 of the 3 authorities that answered (67%) own Hikvision equipment."
    )


def test_evidence_csv_is_empty_when_built_from_a_coded_file(built_bundle: Path) -> None:
    assert (built_bundle / "evidence.csv").read_bytes().decode("utf-8") == (
        "authority,fact,value,quote,location,document,status,statement,reference\r\n"
    )


def test_sqlite_file_keeps_the_coded_rows_and_how_they_counted(built_bundle: Path) -> None:
    connection = sqlite3.connect(built_bundle / "sightline.db")
    try:
        tables = [
            name for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]  # fmt: skip
        assert tables == [
            "coded_responses",
            "correspondence",
            "evidence",
            "findings",
            "footnotes",
            "requests",
            "updates",
        ]
        coded = connection.execute(
            'SELECT authority, "group", outcome, counted_as, hikvision, hikvision_devices, footnote'
            " FROM coded_responses ORDER BY rowid"
        ).fetchall()
        assert coded == [
            ("Ashford", "Boroughs", "answered", "answered", "yes", 12, None),
            ("Bexton", "Boroughs", "answered", "answered", "yes", 1790, None),
            ("Carnby", "Cities", "answered", "answered", "unknown", None, None),
            ("Dunmere", "Cities", "refused", "refused", "unknown", None, 2),
            ("Elham", "Boroughs", "answered", "no_response", "no", None, 1),
        ]
        assert connection.execute("SELECT number, authority FROM footnotes").fetchall() == [
            (1, "Elham"),
            (2, "Dunmere"),
        ]
        assert connection.execute("SELECT date FROM updates").fetchall() == [("2021-03-05",)]
        assert connection.execute("SELECT count(*) FROM findings").fetchone() == (9,)
    finally:
        connection.close()


def test_metadata_describes_every_table_and_column(built_bundle: Path) -> None:
    metadata = json.loads((built_bundle / "metadata.json").read_text("utf-8"))
    assert metadata["title"] == "Cameras in five invented councils"
    tables = metadata["databases"]["sightline"]["tables"]
    connection = sqlite3.connect(built_bundle / "sightline.db")
    try:
        for table, about in tables.items():
            columns = [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')]
            assert list(about["columns"]) == columns
            assert about["description"]
            assert all(about["columns"].values())
    finally:
        connection.close()


def test_datasette_opens_the_bundle(built_bundle: Path) -> None:
    datasette = datasette_for_bundle(built_bundle)

    async def fetch() -> tuple[Any, ...]:
        rows = await datasette.client.get("/sightline/coded_responses.json?_shape=array")
        page = await datasette.client.get("/sightline/findings")
        query = await datasette.client.get(
            "/sightline.json?_shape=array&sql="
            "select+id,+percent+from+findings+where+kind+%3D+'metric'+order+by+rowid"
        )
        return rows, page, query

    rows, page, query = asyncio.run(fetch())
    assert rows.status_code == 200
    assert [row["authority"] for row in rows.json()] == [
        "Ashford", "Bexton", "Carnby", "Dunmere", "Elham",
    ]  # fmt: skip
    assert page.status_code == 200
    assert "The published figures, one row per figure" in page.text
    assert "<dt>percent</dt>" in page.text  # column descriptions shown
    assert query.json() == [
        {"id": "hikvision", "percent": 67},
        {"id": "dahua", "percent": 33},
        {"id": "hikvision_or_dahua", "percent": 100},
        {"id": "facial_recognition", "percent": 33},
    ]


def test_report_html_is_self_contained(built_bundle: Path) -> None:
    html = (built_bundle / "index.html").read_text("utf-8")
    # No external resource: nothing loaded by src or stylesheet links, only relative data links.
    markup = re.sub(r"<script>.*?</script>", "<script></script>", html, flags=re.DOTALL)
    assert markup.count("<script></script>") == 3  # the chart, its start, the table tools
    assert re.findall(r"\bsrc\s*=", markup) == []
    assert "<link" not in markup
    assert sorted(set(re.findall(r'href="([^"#][^"]*)"', markup))) == [
        "chart.svg", "evidence.csv", "findings.csv", "findings.json", "sightline.db",
    ]  # fmt: skip
    assert "window.vegaEmbed=" in html
    assert "Updated on 2021-03-05</time>: Elham answered after publication" in html
    assert "<q>If so, how many devices of each make?</q>" in html
    assert 'id="evidence-table"' not in html  # no evidence, no empty section
    assert "Findings as they stood on" in html
    assert html.count('class="footnote-ref"') == 2
    assert '<li id="fn-2">Refused under FOIA s.31 (law enforcement).' in html


def test_build_bundle_from_rows_with_evidence(tmp_path: Path, small_campaign: Path) -> None:
    responses = parse_coded_csv(small_campaign.read_text("utf-8"))
    evidence = [
        EvidenceRow(
            authority="Bexton",
            fact="hikvision_devices",
            value="1790",
            quote='We have 1,790 "HikVision" cameras, see sheet.',
            location="sheet Assets!C14",
            document="reply.xlsx",
        )
    ]
    result = build_bundle(
        tmp_path / "out",
        responses,
        ReportInfo(title="T", built_on=dt.date(2021, 4, 1)),
        evidence=evidence,
    )
    assert result.findings.successful == 4
    assert (tmp_path / "out" / "evidence.csv").read_bytes().decode("utf-8") == (
        "authority,fact,value,quote,location,document,status,statement,reference\r\n"
        'Bexton,hikvision_devices,1790,"We have 1,790 ""HikVision"" cameras, see sheet.",'
        "sheet Assets!C14,reply.xlsx,confirmed,Hikvision devices: 1790,\r\n"
    )
    connection = sqlite3.connect(tmp_path / "out" / "sightline.db")
    try:
        assert connection.execute("SELECT quote, location FROM evidence").fetchall() == [
            ('We have 1,790 "HikVision" cameras, see sheet.', "sheet Assets!C14")
        ]
    finally:
        connection.close()
    html = (tmp_path / "out" / "index.html").read_text("utf-8")
    assert 'Built on <time datetime="2021-04-01">2021-04-01</time>.' in html
    assert "No updates since publication." in html
    assert (
        "<tr><td>Bexton</td><td>Hikvision devices: 1790</td>"
        "<td><q>We have 1,790 &#34;HikVision&#34; cameras, see sheet.</q></td>"
        "<td>reply.xlsx, sheet Assets!C14</td></tr>"
    ) in html
    assert "The wording of the request was not supplied with this build." in html
    # Building again over the same folder replaces the files.
    build_bundle(tmp_path / "out", responses[:2], ReportInfo(title="T"))
    again = json.loads((tmp_path / "out" / "findings.json").read_text("utf-8"))
    assert again["sent"] == 2


def test_build_refuses_a_bad_updates_file(tmp_path: Path, small_campaign: Path) -> None:
    updates = tmp_path / "updates.csv"
    updates.write_text("date,text\n5 March 2021,late answer\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        ["findings", "build", "--coded", str(small_campaign), "--out", str(tmp_path / "o"),
         "--updates", str(updates)],
    )  # fmt: skip
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: {updates}: line 2: date '5 March 2021' is not a date YYYY-MM-DD\n"
    )
    assert not (tmp_path / "o").exists()


def test_publish_checks_the_folder(built_bundle: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["publish", str(built_bundle)])
    assert result.exit_code == 0
    assert result.stdout == f"{built_bundle / 'index.html'}\n"
    (tmp_path / "half").mkdir()
    (tmp_path / "half" / "index.html").write_text("x", encoding="utf-8")
    result = CliRunner().invoke(cli, ["publish", str(tmp_path / "half"), "--serve"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {tmp_path / 'half'}: not a findings bundle (missing chart.svg, findings.csv,"
        " findings.json, evidence.csv, sightline.db, metadata.json)\n"
    )


@pytest.mark.parametrize("port", ["0", "70000"])
def test_publish_refuses_a_bad_port(built_bundle: Path, port: str) -> None:
    result = CliRunner().invoke(cli, ["publish", str(built_bundle), "--serve", "--port", port])
    assert result.exit_code == 2


def test_the_method_names_the_groups_as_a_reader_would(tmp_path: Path) -> None:
    from sightline.findings.coded import CodedResponse
    from sightline.findings.report import reader_noun

    assert reader_noun("London borough councils") == "London borough councils"
    assert reader_noun("Largest city councils outside London") == (
        "largest city councils outside London"
    )
    assert reader_noun("NHS trusts") == "NHS trusts"
    responses = [
        CodedResponse(name, group, "answered", dt.date(2021, 1, 10), "no", "no", False, "no",
                      None, None, "")
        for name, group in [("A", "London borough councils"), ("B", "London borough councils"),
                            ("C", "Largest city councils outside London")]
    ]  # fmt: skip
    build_bundle(tmp_path / "out", responses, ReportInfo(title="T", built_on=dt.date(2021, 2, 1)))
    html = (tmp_path / "out" / "index.html").read_text("utf-8")
    assert (
        "We asked 3 authorities: 2 London borough councils and 1 largest city councils outside"
        " London."
    ) in html

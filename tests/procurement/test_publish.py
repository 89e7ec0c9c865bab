"""Spending in the findings bundle: the table column, the headline and spend.csv."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from sightline.cli.main import cli

CODED = (
    "authority,group,outcome,responded_on,hikvision,dahua,hikvision_or_dahua_unspecified,"
    "facial_recognition,hikvision_devices,dahua_devices,note\n"
    "Barking and Dagenham,London boroughs,answered,2021-01-10,yes,no,false,no,,,\n"
    "London Borough of Barnet,London boroughs,answered,2021-01-11,yes,no,false,no,12,,\n"
    "Bexley,London boroughs,answered,2021-01-12,no,yes,false,no,,,\n"
    "Camden,London boroughs,refused,2021-01-13,unknown,unknown,false,unknown,,,\n"
)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_bundle_with_spend(
    tmp_path: Path,
    write_file: Callable[[str, str | bytes], Path],
    contracts_json: Path,
    layout_a: Path,
    layout_b: Path,
) -> None:
    assert run("spend", "import", str(contracts_json), "--authority", "E09000002")[0] == 0
    assert run("spend", "import", str(layout_a), "--authority", "E09000003")[0] == 0
    assert run("spend", "import", str(layout_b), "--authority", "E09000004")[0] == 0
    coded = write_file("coded.csv", CODED)
    out = tmp_path / "bundle"
    code, stdout, stderr = run(
        "findings", "build", "--coded", str(coded), "--out", str(out), "--spend", "--json"
    )
    assert code == 0, stderr
    assert json.loads(stdout)["files"][-1] == "spend.csv"

    spend = json.loads((out / "findings.json").read_text(encoding="utf-8"))["spend"]
    assert spend["by_authority"] == {
        "Barking and Dagenham": "makers paid £0, contracts £510,000",
        "London Borough of Barnet": "makers paid £1,000 (£3,000 with uncertain matches)",
        "Bexley": "makers paid £1,000 (£13,245.67 with uncertain matches)",
        "Camden": "no data",
    }
    assert spend["headline"] == (
        "Spending records imported for 3 of the 4 authorities show £2,000 (£16,245.67 with"
        " uncertain matches) paid to suppliers linked to Hikvision or Dahua, and contracts worth"
        " £510,000 awarded to them. Payments are as published (councils publish those over"
        " £500), contract values are award values rather than payments, and money paid to a"
        " distributor or integrator is not all spent on these makers' equipment."
    )
    html = (out / "index.html").read_text(encoding="utf-8")
    assert '<th scope="col">Spent with these vendors\' suppliers</th>' in html
    assert '<td class="spend">makers paid £1,000 (£13,245.67 with uncertain matches)</td>' in html
    assert 'id="spend-headline">Spending records imported for 3 of the 4' in html
    assert '<a href="spend.csv">spend.csv</a>' in html

    rows = list(csv.DictReader(io.StringIO((out / "spend.csv").read_text(encoding="utf-8"))))
    summary = [(r["authority"], r["kind"], r["where"], r["amount"], r["counted"]) for r in rows]
    assert summary == [
        ("Barking and Dagenham", "contract", "release 1 award ocds-b5fd17-1-1", "510000.00", "certain"),
        ("Barking and Dagenham", "contract", "release 4 award ocds-b5fd17-2-1", "80000.00", "not counted"),
        ("Barking and Dagenham", "contract", "release 5 award ocds-b5fd17-3-1", "1000000.00", "not counted"),
        ("Barking and Dagenham", "contract", "release 5 award ocds-b5fd17-3-1", "1000000.00", "not counted"),
        ("Barking and Dagenham", "contract", "release 7 award ocds-b5fd17-5-1", "30000.00", "not counted"),
        ("London Borough of Barnet", "payment", "line 2", "1250.00", "certain"),
        ("London Borough of Barnet", "payment", "line 4", "-250.00", "certain"),
        ("London Borough of Barnet", "payment", "line 5", "2000.00", "uncertain"),
        ("Bexley", "payment", "line 5", "12345.67", "uncertain"),
        ("Bexley", "payment", "line 7", "1000.00", "certain"),
        ("Bexley", "payment", "line 8", "-100.00", "uncertain"),
        ("", "skipped", "release 8 award ocds-b5fd17-6-1", "", "not counted"),
        ("", "skipped", "line 6", "", "not counted"),
        ("", "skipped", "line 8", "", "not counted"),
    ]  # fmt: skip
    assert rows[0]["link_source"].startswith("https://psimagazine.co.uk/")
    assert rows[0]["cctv"] == "CPV 35125300"
    assert rows[3]["supplier"] == "ACME CIVIL ENGINEERING LIMITED"  # a camera contract, unlinked
    assert rows[3]["reason"] == "supplier not linked to a vendor family"
    assert rows[-1]["reason"] == "date '31/02/2022' is not a date"


def test_bundle_without_spend_is_unchanged(
    tmp_path: Path, write_file: Callable[[str, str | bytes], Path]
) -> None:
    coded = write_file("coded.csv", CODED)
    out = tmp_path / "bundle"
    code, stdout, _ = run("findings", "build", "--coded", str(coded), "--out", str(out), "--json")
    assert code == 0
    assert "spend.csv" not in json.loads(stdout)["files"]
    assert not (out / "spend.csv").exists()
    assert "spend" not in json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert "spend-headline" not in (out / "index.html").read_text(encoding="utf-8")


def test_spend_by_year_with_makers_and_integrators_in_the_report_and_database(
    tmp_path: Path, write_file: Callable[[str, str | bytes], Path], layout_a: Path, national: Any
) -> None:
    notices = write_file("notices.json", national.shapes()["release-package.json"])
    assert run("spend", "import", str(layout_a), "--authority", "E09000003")[0] == 0
    assert run("spend", "import", str(notices), "--national")[0] == 0
    candidates = json.loads(run("spend", "integrators", "--json")[1])["candidates"]
    source = "https://example.org/notices/barnet-cctv-award"
    code, _, err = run("spend", "integrators", "--link", candidates[0]["key"], "--family",
                       "hikvision", "--source", source)  # fmt: skip
    assert code == 0, err
    out = tmp_path / "bundle"
    code, _, err = run("findings", "build", "--coded", str(write_file("coded.csv", CODED)),
                       "--out", str(out), "--spend")  # fmt: skip
    assert code == 0, err

    document = json.loads((out / "findings.json").read_text(encoding="utf-8"))["spend"]
    # Barnet: its own file's payments to Hikvision UK (1,250 - 250 in 2021-22, 2,000 cut short
    # in 2022-23); from the national file, Hikvision UK's award of 1,000 and the integrator's of
    # 10,000 (a link of medium confidence). Bexley: 2,000 and 20,000 from the national file.
    assert document["by_authority"] == {
        "Barking and Dagenham": "no data",
        "London Borough of Barnet": "makers paid £1,000 (£3,000 with uncertain matches),"
        " contracts £1,000; integrators paid £0, contracts £0 (£10,000 with uncertain matches)",
        "Bexley": "makers paid £0, contracts £2,000; integrators paid £0, contracts £0"
        " (£20,000 with uncertain matches)",
        "Camden": "no data",
    }
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "integrators paid £0, contracts £0 (£20,000 with uncertain matches)</td>" in html

    database = sqlite3.connect(out / "sightline.db")
    try:
        years = database.execute(
            "SELECT authority, financial_year, suppliers, payments_certain_pence,"
            " payments_with_uncertain_pence, contracts_certain_pence,"
            " contracts_with_uncertain_pence FROM spend_by_year ORDER BY rowid"
        ).fetchall()
        answers = database.execute(
            "SELECT c.authority, c.hikvision, SUM(s.contracts_with_uncertain_pence)"
            " FROM coded_responses c JOIN spend_by_year s ON s.authority = c.authority"
            " GROUP BY c.authority ORDER BY c.authority"
        ).fetchall()
        integrators = database.execute(
            "SELECT supplier, company_number, authorities, contracts, contract_value_pence,"
            " linked_to, link_source FROM spend_integrators"
        ).fetchall()
        counted = database.execute(
            "SELECT counted, SUM(amount_pence) FROM spend_rows WHERE kind != 'skipped'"
            " GROUP BY counted ORDER BY counted"
        ).fetchall()
    finally:
        database.close()
    assert years == [
        ("London Borough of Barnet", "2021-22", "makers", 100000, 100000, 0, 0),
        ("London Borough of Barnet", "2022-23", "integrators", 0, 0, 0, 1000000),
        ("London Borough of Barnet", "2022-23", "makers", 0, 200000, 100000, 100000),
        ("Bexley", "2022-23", "integrators", 0, 0, 0, 2000000),
        ("Bexley", "2022-23", "makers", 0, 0, 200000, 200000),
    ]
    # Beside each authority's answer: Barnet said yes to Hikvision, Bexley no.
    assert answers == [("Bexley", "no", 2200000), ("London Borough of Barnet", "yes", 1100000)]
    assert integrators == [
        ("Northgate Vision Systems Ltd", "04433221", "London Borough of Barnet; London Borough of"
         " Bexley", 2, 3000000, "hikvision", source)
    ]  # fmt: skip
    # Every payment and award of the two authorities linked or about cameras, by how it counted:
    # certain 1,250 - 250 + 1,000 + 2,000; uncertain 2,000 + 10,000 + 20,000.
    assert counted == [("certain", 400000), ("uncertain", 3200000)]
    metadata = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    tables = metadata["databases"]["sightline"]["tables"]
    assert list(tables)[-3:] == ["spend_by_year", "spend_rows", "spend_integrators"]
    assert tables["spend_by_year"]["columns"]["suppliers"] == (
        "makers, or integrators (integrators and distributors)."
    )

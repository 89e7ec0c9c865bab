"""Spending in the findings bundle: the table column, the headline and spend.csv."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

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
        "Barking and Dagenham": "£0; contracts £510,000",
        "London Borough of Barnet": "£1,000 (£3,000 with uncertain matches)",
        "Bexley": "£1,000 (£13,245.67 with uncertain matches)",
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
    assert '<td class="spend">£1,000 (£13,245.67 with uncertain matches)</td>' in html
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

"""Candidate integrators: suppliers of camera and CCTV contracts found by CPV code and by words,
grouped by Companies House number, listed with their contracts and sums, linked to a vendor
family only on a public source."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from sightline.cli.main import cli
from sightline.procurement.cctv import cpv_concerns_cameras, text_concerns_cameras
from sightline.procurement.figures import compute_report
from sightline.procurement.integrators import find_integrators
from sightline.procurement.knowledge import load_knowledge_base
from sightline.procurement.matching import SupplierMatcher
from sightline.procurement.model import CONTRACT, PAYMENT, ImportedFile, SpendRecord


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_cpv_codes_and_their_children() -> None:
    # 35120000 and every code under it; 32323500 and 32235000 themselves (CPV 2008 Annex I).
    codes = ["35120000", "35125000", "35125300", "35121000", "32323500", "32235000",
             "35110000", "32323000", "45233220"]  # fmt: skip
    assert cpv_concerns_cameras(codes) == codes[:6]
    assert text_concerns_cameras("Town centre CCTV upgrade") == "CCTV"
    assert text_concerns_cameras("Supply of body worn cameras") == "body worn cameras"
    assert text_concerns_cameras("Resurfacing", "Highways") == ""


def record(kind: str, supplier: str, amount: str, **extra: Any) -> SpendRecord:
    return SpendRecord(kind=kind, source="f.json", where="x", supplier=supplier,
                       amount=Decimal(amount), **extra)  # fmt: skip


def test_candidates_by_cpv_and_words_grouped_by_company_number() -> None:
    records = (
        record(CONTRACT, "Watchtower Systems Ltd", "40000", cpv=("35125300",),
               company_number="05550001", status="active", reference="o-1 a"),
        record(CONTRACT, "WATCHTOWER SYSTEMS LIMITED", "2500", title="CCTV maintenance",
               company_number="05550001", status="active", reference="o-2 a"),
        record(CONTRACT, "Watchtower Sys", "9000", title="Camera upgrade", status="active",
               company_number="05550001", reference="o-3 a", supplier_count=3),
        record(PAYMENT, "Watchtower Systems Ltd", "1200.50", expense_type="CCTV repairs"),
        record(CONTRACT, "Road Builders Ltd", "900000", cpv=("45233220",), status="active"),
        record(CONTRACT, "Eyes Ltd", "7000", title="ANPR cameras", status="cancelled"),
        record(CONTRACT, "Hikvision UK Limited", "5000", cpv=("35125300",), status="active"),
    )  # fmt: skip
    item = ImportedFile("i", "E09000003", "London Borough of Barnet", "f.json", CONTRACT, "t",
                        "s", records, ())  # fmt: skip
    knowledge = load_knowledge_base()
    report = compute_report([item], knowledge, SupplierMatcher(knowledge))
    candidates = find_integrators(report)
    summary = [
        (c.name, c.company_number, len(c.contracts), c.contract_value, c.shared_value,
         len(c.payments), c.paid, c.authorities)
        for c in candidates
    ]  # fmt: skip
    assert summary == [
        ("Watchtower Systems Ltd", "05550001", 3, Decimal("42500.00"), Decimal("9000.00"), 1,
         Decimal("1200.50"), ["London Borough of Barnet"]),
        ("Eyes Ltd", "", 1, Decimal("0"), Decimal("0"), 0, Decimal("0"),
         ["London Borough of Barnet"]),
    ]  # fmt: skip
    assert [row.cctv for row in candidates[0].rows] == [
        "CPV 35125300",
        "text 'CCTV'",
        "text 'Camera'",
        "text 'CCTV'",
    ]


def test_integrators_of_a_national_file_and_a_link_on_a_source(
    sightline_home: Path, tmp_path: Path, national: Any
) -> None:
    path = tmp_path / "notices.json"
    path.write_text(national.shapes()["release-package.json"], encoding="utf-8")
    assert run("spend", "import", str(path), "--national")[0] == 0
    code, out, _ = run("spend", "integrators", "--json")
    assert code == 0
    (candidate,) = json.loads(out)["candidates"]  # Hikvision UK is the maker's: not a candidate
    # 10,000 x the buyer's place, all seven buyers; authorities only for the five matched ones.
    assert {
        k: candidate[k]
        for k in (
            "supplier",
            "company_number",
            "contracts",
            "contract_value",
            "authorities",
            "linked_to",
        )
    } == {
        "supplier": "Northgate Vision Systems Ltd",
        "company_number": "04433221",
        "contracts": 7,
        "contract_value": "280000.00",
        "authorities": [
            "Leeds City Council",
            "London Borough of Barnet",
            "London Borough of Bexley",
            "London Borough of Brent",
            "Sheffield City Council",
        ],
        "linked_to": "",
    }
    assert candidate["rows"][0]["why"] == "CPV 35125300"
    text = run("spend", "integrators")[1].splitlines()
    assert text[0] == (
        f"{candidate['key']}\tNorthgate Vision Systems Ltd\t04433221\t7 contracts £280,000"
        "\t0 payments £0\tLeeds City Council; London Borough of Barnet; London Borough of Bexley;"
        " London Borough of Brent; Sheffield City Council\tnot linked"
    )
    assert text[1] == (
        "    E09000003\tcontract\t2022-09-01\t£10,000\tactive\tTown centre CCTV installation"
        "\tCPV 35125300\tnotices.json release 1 award 0-1"
    )
    assert text[-1].startswith("    -\tcontract\t2022-09-01\t£70,000\t")  # a buyer of no authority
    key = candidate["key"]
    code, _, err = run("spend", "integrators", "--link", key, "--family", "hikvision",
                       "--source", "not a web address")  # fmt: skip
    assert (code, err) == (
        1,
        "Error: a link needs its public source: the web address of a notice, reply or statement"
        " that says this company supplied or installed the family's equipment\n",
    )
    source = "https://example.org/notices/leeds-cctv-award"
    code, out, _ = run("spend", "integrators", "--link", key, "--family", "hikvision",
                       "--source", source)  # fmt: skip
    assert (code, out) == (
        0,
        f"Northgate Vision Systems Ltd linked to hikvision as integrator (integrator-{key}),"
        f" source {source}\n",
    )
    data = json.loads(run("spend", "report", "--json")[1])
    family = next(f for f in data["families"] if f["family"] == "hikvision")
    # Certain: Hikvision UK's awards to the four buyers matched for certain (1+2+3+4 thousand).
    # With uncertain: + Sheffield's 5,000 (buyer match awaits review) + the integrator's awards to
    # the five matched buyers (10+20+30+40+50 thousand; a link of medium confidence).
    assert family["contracts"] == {"certain": "10000.00", "with_uncertain": "165000.00"}
    code, _, err = run("spend", "integrators", "--link", key, "--family", "hikvision",
                       "--source", source)  # fmt: skip
    assert (code, err) == (
        1,
        f"Error: Northgate Vision Systems Ltd is already linked (supplier integrator-{key})\n",
    )

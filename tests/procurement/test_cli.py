"""``sightline spend import / report / review`` end to end, in a fresh SIGHTLINE_HOME."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sightline.cli.main import cli


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_import_reports_rows_and_skipped_rows(layout_a: Path, sightline_home: Path) -> None:
    code, out, err = run("spend", "import", str(layout_a), "--authority", "E09000003")
    assert code == 0, err
    assert out == "barnet-2021.csv: 5 payments for E09000003\n"
    assert err == (
        "skipped barnet-2021.csv line 6: amount 'abc' is not a number\n"
        "skipped barnet-2021.csv line 8: date '31/02/2022' is not a date\n"
    )
    stored = list((sightline_home / "spend" / "imports").glob("*.jsonl"))
    assert len(stored) == 1
    lines = [json.loads(line) for line in stored[0].read_text(encoding="utf-8").splitlines()]
    assert [line["type"] for line in lines] == ["import"] + ["problem"] * 2 + ["record"] * 5
    assert lines[0]["authority_name"] == "London Borough of Barnet"
    raw = list((sightline_home / "spend" / "raw").iterdir())
    assert [path.read_bytes() for path in raw] == [layout_a.read_bytes()]
    # The same file again changes nothing.
    code, out, _ = run("spend", "import", str(layout_a), "--authority", "E09000003")
    assert (code, out) == (
        0,
        "barnet-2021.csv: 5 payments for E09000003 (already imported: unchanged)\n",
    )
    assert len(list((sightline_home / "spend" / "imports").glob("*.jsonl"))) == 1


def test_import_json_output_and_refused_file(
    contracts_json: Path, write_file: Callable[[str, str | bytes], Path]
) -> None:
    odd = write_file("odd.csv", "Organisation,When\nBarnet,2021-04-01\n")
    code, out, err = run(
        "spend", "import", str(contracts_json), str(odd), "--authority", "E09000002", "--json"
    )
    assert code == 1
    data = json.loads(out)
    assert [(i["kind"], i["rows"], i["skipped"]) for i in data["imported"]] == [
        (
            "contract",
            6,
            [
                "contracts.json release 8 award ocds-b5fd17-6-1: unknown currency 'XYZ' (ocds-b5fd17-6)"
            ],
        )
    ]
    refusal = (
        "odd.csv: cannot map the columns: no supplier, amount or date columns"
        " (columns found: Organisation, When)"
    )
    assert data["refused"] == [refusal]
    assert err == f"Error: {refusal}\nError: 1 of 2 files refused\n"


def test_unknown_authority_is_refused(layout_a: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    code, out, err = run("spend", "import", str(layout_a), "--authority", "X99")
    assert (code, out) == (1, "")
    assert err == (
        "Error: unknown authority X99: not in the registry (add it with `sightline authorities"
        " import`, or give its name with --name)\n"
    )
    code, out, _ = run(
        "spend", "import", str(layout_a), "--authority", "X99", "--name", "Testshire"
    )
    assert (code, out) == (0, "barnet-2021.csv: 5 payments for X99\n")


def test_report_and_review(layout_a: Path, layout_c_xlsx: Path) -> None:
    assert run("spend", "import", str(layout_a), "--authority", "E09000003")[0] == 0
    assert run("spend", "import", str(layout_c_xlsx), "--authority", "E09000005")[0] == 0
    code, out, _ = run("spend", "report", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["totals"]["payments"] == {"certain": "6000.50", "with_uncertain": "10300.50"}
    assert [(u["supplier"], u["method"], u["score"]) for u in data["uncertain"]] == [
        ("HIKVISION UK LIMI", "truncated_name", 85.0),
        ("Dahua Tech UK", "contains_maker_name", 100.0),
    ]
    code, out, err = run("spend", "report")
    assert code == 0
    assert out.splitlines()[:3] == [
        "Payments to linked suppliers: £6,000.50 (£10,300.50 with uncertain)",
        "Contracts awarded to linked suppliers: £0",
        "Camera or CCTV contracts: 0 worth £0",
    ]
    assert "2 matches await review: `sightline spend review`" in out
    assert "skipped barnet-2021.csv line 6: amount 'abc' is not a number" in out

    code, out, _ = run("spend", "review")
    assert code == 0
    lines = out.splitlines()  # sorted by supplier name
    keys = [line.split("\t")[0] for line in lines]
    assert len(keys) == 2
    assert lines[0].split("\t")[1:] == [
        "'Dahua Tech UK' -> dahua",
        "contains_maker_name 100",
        "1 rows",
        "awaiting review",
        "names the maker 'Dahua' but is not a known supplier",
    ]
    assert lines[1].split("\t")[1:] == [
        "'HIKVISION UK LIMI' -> hikvision-uk",
        "truncated_name 85",
        "1 rows",
        "awaiting review",
        "looks cut short from 'Hikvision UK Limited'",
    ]
    code, out, _ = run("spend", "review", "--accept", keys[1], "--reject", keys[0])
    assert (code, out) == (
        0,
        f"{keys[1]}: HIKVISION UK LIMI -> hikvision-uk accepted\n"
        f"{keys[0]}: Dahua Tech UK -> dahua rejected\n",
    )
    data = json.loads(run("spend", "report", "--json")[1])
    # Barnet's 2,000.00 is now certain; Brent's 1,500.00 to "Dahua Tech UK" is out.
    assert data["totals"]["payments"] == {"certain": "8000.50", "with_uncertain": "8800.50"}
    assert data["uncertain"] == []
    assert run("spend", "review")[1] == "No supplier matches await review.\n"
    code, _, err = run("spend", "review", "--accept", "nope")
    assert (code, err) == (
        1,
        "Error: no supplier match with key 'nope': see `sightline spend review`\n",
    )


def test_report_with_nothing_imported() -> None:
    code, out, _ = run("spend", "report")
    assert (code, out) == (
        0,
        "Nothing imported yet: run `sightline spend import FILE --authority GSS`.\n",
    )


@pytest.mark.django_db
def test_an_authority_from_the_database(layout_a: Path, sightline_home: Path) -> None:
    from sightline.authorities.records import read_plain
    from sightline.authorities.registry import upsert_authorities

    sightline_home.mkdir(parents=True, exist_ok=True)
    (sightline_home / "sightline.sqlite3").touch()  # a database exists (the test one is used)
    records = read_plain("code,name,nation\nP00000001,Testshire Police,England\n").records
    upsert_authorities(records, source="csv")
    code, out, err = run("spend", "import", str(layout_a), "--authority", "P00000001", "--json")
    assert code == 0, err
    assert json.loads(out)["imported"][0]["authority"] == "P00000001"
    data = json.loads(run("spend", "report", "--json")[1])
    assert [(a["gss_code"], a["name"]) for a in data["authorities"]] == [
        ("P00000001", "Testshire Police")
    ]


def test_review_all_lists_decided_matches(layout_a: Path) -> None:
    assert run("spend", "import", str(layout_a), "--authority", "E09000003")[0] == 0
    key = json.loads(run("spend", "review", "--json")[1])["matches"][0]["key"]
    assert run("spend", "review", "--reject", key)[0] == 0
    assert run("spend", "review")[1] == "No supplier matches await review.\n"
    listed = json.loads(run("spend", "review", "--all", "--json")[1])["matches"]
    assert [(m["supplier"], m["review"], m["certain"]) for m in listed] == [
        ("HIKVISION UK LIMI", "rejected", False)
    ]
    matches = json.loads(run("spend", "report", "--json")[1])["matches"]
    certain = next(m for m in matches if m["supplier"] == "HIKVISION UK LTD")
    code, _, err = run("spend", "review", "--accept", certain["key"])
    assert (code, err) == (
        1,
        f"Error: match {certain['key']} (HIKVISION UK LTD) is certain: nothing to review\n",
    )


def test_national_file_goes_on_each_buyer(
    sightline_home: Path, tmp_path: Path, national: Any
) -> None:
    import gzip

    path = tmp_path / "notices.json.gz"
    path.write_bytes(gzip.compress(national.shapes()["release-package.json"].encode()))
    code, out, err = run("spend", "import", str(path), "--national")
    assert (code, err) == (0, "")
    assert out == (
        "notices.json.gz: 14 contract rows, each on its buyer\n"
        "  7 buyers in the file\n"
        "Buyers: 5 of 7 matched to an authority\n"
        "1 buyer matches await review: `sightline spend buyers`\n"
        "unmatched buyer: Anytown Parish Council (2 rows)\n"
        "unmatched buyer: Ministry of Silly Walks (2 rows)\n"
    )
    raw = list((sightline_home / "spend" / "raw").iterdir())
    assert [p.read_bytes() for p in raw] == [path.read_bytes()]  # kept byte for byte, compressed
    assert raw[0].name.endswith(".json.gz")

    def contracts() -> dict[str, tuple[str, str]]:
        data = json.loads(run("spend", "report", "--json")[1])
        return {
            a["gss_code"]: (a["contracts"]["certain"], a["contracts"]["with_uncertain"])
            for a in data["authorities"]
        }

    # Hikvision UK's awards: 1,000 x the buyer's place in the file; Sheffield's buyer match (a
    # misspelt name) is uncertain until a person accepts it.
    assert contracts() == {
        "E09000003": ("1000.00", "1000.00"),
        "E09000004": ("2000.00", "2000.00"),
        "E09000005": ("3000.00", "3000.00"),
        "E08000035": ("4000.00", "4000.00"),
        "E08000019": ("0", "5000.00"),
    }
    report_lines = run("spend", "report")[1].splitlines()
    assert [line for line in report_lines if "buyer" in line] == [
        "1 buyer matches await review: `sightline spend buyers`",
        "unmatched buyer: Anytown Parish Council (2 rows, counted for no authority)",
        "unmatched buyer: Ministry of Silly Walks (2 rows, counted for no authority)",
    ]
    code, out, _ = run("spend", "buyers")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 3
    key, rest = lines[0].split("\t", 1)
    assert rest == (
        "'Shefield City Council' -> E08000019 Sheffield City Council\tfuzzy_name 94.1\t2 rows"
        "\tawaiting review"
    )
    assert lines[1:] == [
        "-\t'Anytown Parish Council'\tmatches no authority\t2 rows",
        "-\t'Ministry of Silly Walks'\tmatches no authority\t2 rows",
    ]
    code, out, _ = run("spend", "buyers", "--accept", key)
    assert (code, out) == (0, f"{key}: Shefield City Council -> Sheffield City Council accepted\n")
    assert contracts()["E08000019"] == ("5000.00", "5000.00")
    data = json.loads(run("spend", "buyers", "--all", "--json")[1])
    methods = {b["buyer"]: (b["method"], b["score"], b["review"]) for b in data["buyers"]}
    assert methods == {
        "Barnet Borough": ("identifier", 100.0, ""),
        "LONDON BOROUGH OF BEXLEY": ("name", 100.0, ""),
        "Brent Council": ("short_name", 100.0, ""),
        "Leeds City Council": ("name", 100.0, ""),
        "Shefield City Council": ("fuzzy_name", 94.1, "accepted"),
        "Ministry of Silly Walks": ("", 0.0, ""),
        "Anytown Parish Council": ("", 0.0, ""),
    }
    code, out, _ = run("spend", "import", str(path), "--national")
    assert out.splitlines()[0] == (
        "notices.json.gz: 14 contract rows, each on its buyer (already imported: unchanged)"
    )
    assert len(list((sightline_home / "spend" / "imports").glob("*.jsonl"))) == 1


def test_national_and_authority_are_exclusive(layout_a: Path) -> None:
    code, _, err = run("spend", "import", str(layout_a), "--national", "--authority", "E09000003")
    assert (code, err) == (
        1,
        "Error: give either --authority GSS or --national, not both or neither\n",
    )

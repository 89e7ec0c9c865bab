"""The figures on the fixtures, against totals worked out by hand (see the comments)."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from sightline.procurement.figures import SpendReport, compute_report, report_json
from sightline.procurement.knowledge import load_knowledge_base
from sightline.procurement.matching import SupplierMatcher
from sightline.procurement.model import ImportedFile, ReadResult
from sightline.procurement.ocds import read_ocds_file
from sightline.procurement.spendfiles import read_spend_file


def _imported(result: ReadResult, code: str, name: str) -> ImportedFile:
    return ImportedFile(
        import_id=f"{result.source}-{code}",
        authority=code,
        authority_name=name,
        source=result.source,
        kind=result.kind,
        imported_at="2024-01-01T00:00:00+00:00",
        sha256="",
        records=tuple(result.records),
        problems=tuple(result.problems),
    )


@pytest.fixture
def report(
    contracts_json: Path, releases_jsonl: Path, layout_a: Path, layout_b: Path, layout_c_xlsx: Path
) -> SpendReport:
    imports = [
        _imported(read_ocds_file(contracts_json), "E09000002", "Barking and Dagenham"),
        _imported(read_ocds_file(releases_jsonl), "E09000002", "Barking and Dagenham"),
        _imported(read_spend_file(layout_a), "E09000003", "Barnet"),
        _imported(read_spend_file(layout_b), "E09000004", "Bexley"),
        _imported(read_spend_file(layout_c_xlsx), "E09000005", "Brent"),
    ]
    knowledge = load_knowledge_base()
    return compute_report(imports, knowledge, SupplierMatcher(knowledge))


def test_totals(report: SpendReport) -> None:
    data = report_json(report)
    totals = data["totals"]
    # Payments, certain: Barnet 1,250.00 - 250.00 (Hikvision UK, exact) + Bexley 1,000.00
    # ("Hikvison UK", fuzzy 95.7) + Brent 5,000.50 ("Hik Vision UK", fuzzy 96) = 7,000.50.
    # With uncertain: + Barnet 2,000.00 (cut short) + Bexley 12,345.67 - 100.00 (Dahua UK, link
    # of medium confidence) + Brent 800.00 (Pyronix, medium) + 1,500.00 ("Dahua Tech UK") = 23,546.17.
    assert totals["payments"] == {"certain": "7000.50", "with_uncertain": "23546.17"}
    # Contracts: Hikvision UK 510,000 (amended from 492,000); Dahua UK 47,500 (medium) with
    # uncertain; the cancelled, withdrawn, shared and unknown-currency awards count for nothing.
    assert totals["contracts"] == {"certain": "510000.00", "with_uncertain": "557500.00"}
    # Every payment read, linked or not: 7,100.50 + 13,845.67 + 7,850.50.
    assert totals["all_payments"] == "28796.67"
    # Camera contracts standing: ocds-1 (CPV 35125300) 510,000 + ocds-3 (CPV 35120000) 1,000,000
    # + ocds-h6vhtk-7 ("Camera upgrade") 47,500; cancelled ocds-2 and withdrawn ocds-5 listed only.
    assert totals["cctv_contracts"] == {"count": 3, "value": "1557500.00"}
    assert (totals["payments_read"], totals["contract_rows_read"], totals["rows_skipped"]) == (
        13,
        7,
        4,
    )


def test_per_authority_family_and_year(report: SpendReport) -> None:
    data = report_json(report)
    by_code = {entry["gss_code"]: entry for entry in data["authorities"]}
    assert by_code["E09000003"]["payments"] == {"certain": "1000.00", "with_uncertain": "3000.00"}
    assert by_code["E09000003"]["all_payments"] == "7100.50"
    assert by_code["E09000004"]["payments"] == {"certain": "1000.00", "with_uncertain": "13245.67"}
    assert by_code["E09000005"]["payments"] == {"certain": "5000.50", "with_uncertain": "7300.50"}
    assert by_code["E09000002"]["contracts"] == {
        "certain": "510000.00",
        "with_uncertain": "557500.00",
    }
    assert by_code["E09000002"]["cctv_contracts"] == {"count": 3, "value": "1557500.00"}
    families = {entry["family"]: entry for entry in data["families"]}
    assert families["hikvision"]["payments"] == {"certain": "7000.50", "with_uncertain": "9800.50"}
    assert families["dahua"]["payments"] == {"certain": "0", "with_uncertain": "13745.67"}
    assert families["dahua"]["contracts"] == {"certain": "0", "with_uncertain": "47500.00"}
    years = {entry["year"]: entry["payments"] for entry in data["financial_years"]}
    # 2022-23 holds only Barnet's payment to "HIKVISION UK LIMI" of 10 April 2022.
    assert years == {
        "2021-22": {"certain": "7000.50", "with_uncertain": "21546.17"},
        "2022-23": {"certain": "0", "with_uncertain": "2000.00"},
    }
    suppliers = {entry["id"]: entry["payments"]["with_uncertain"] for entry in data["suppliers"]}
    assert suppliers == {
        "dahua": "1500.00",
        "dahua-uk": "12245.67",
        "hikvision-uk": "9000.50",
        "pyronix": "800.00",
    }


def test_every_linked_row_says_why(report: SpendReport) -> None:
    reasons = {
        (row.record.source, row.record.where, row.record.supplier): row.reason
        for row in report.rows
        if row.match.known is not None or row.record.status == "redacted"
    }
    assert reasons[("barnet-2021.csv", "line 5", "HIKVISION UK LIMI")] == (
        "truncated_name 85 to Hikvision UK Limited (subsidiary of hikvision);"
        " uncertain: match awaits review"
    )
    assert reasons[("barnet-2021.csv", "line 7", "REDACTED - personal data")] == (
        "payee redacted by the authority"
    )
    assert reasons[("bexley-q1.csv", "line 5", "Dahua Technology UK Limited")] == (
        "exact_name 100 to Dahua Technology UK Limited (subsidiary of dahua);"
        " uncertain: link confidence medium"
    )
    assert reasons[
        ("contracts.json", "release 4 award ocds-b5fd17-2-1", "Dahua Technology UK Ltd")
    ] == (
        "exact_name 100 to Dahua Technology UK Limited (subsidiary of dahua);"
        " award cancelled: not counted"
    )
    assert reasons[
        ("contracts.json", "release 5 award ocds-b5fd17-3-1", "HIKVISION UK LIMITED")
    ] == (
        "exact_name 100 to Hikvision UK Limited (subsidiary of hikvision); award shared by 2"
        " suppliers: its value is not this supplier's"
    )
    assert reasons[
        ("contracts.json", "release 7 award ocds-b5fd17-5-1", "Dahua Technology UK Ltd")
    ] == (
        "exact_name 100 to Dahua Technology UK Limited (subsidiary of dahua);"
        " tender withdrawn: not counted"
    )


def test_uncertain_matches_are_queued_once_per_name(report: SpendReport) -> None:
    queued = [
        (m.supplier, m.known.id if m.known else "", m.method) for m in report.needing_review()
    ]
    assert queued == [
        ("HIKVISION UK LIMI", "hikvision-uk", "truncated_name"),
        ("Dahua Tech UK", "dahua", "contains_maker_name"),
    ]


def test_accepting_a_match_moves_it_into_the_certain_figures(
    report: SpendReport,
) -> None:
    key = report.needing_review()[0].key
    knowledge = report.knowledge
    decided = compute_report(
        report.imports, knowledge, SupplierMatcher(knowledge, {key: "accepted"})
    )
    assert decided.totals().payments.certain == Decimal("9000.50")
    assert decided.totals().payments.with_uncertain == Decimal("23546.17")
    rejected = compute_report(
        report.imports, knowledge, SupplierMatcher(knowledge, {key: "rejected"})
    )
    assert rejected.totals().payments.with_uncertain == Decimal("21546.17")


def test_a_payment_in_two_files_counts_once_and_a_newer_award_supersedes(
    layout_a: Path, contracts_json: Path, write_file: Callable[[str, str | bytes], Path]
) -> None:
    annual = write_file(
        "barnet-annual.csv",
        "Supplier Name,Payment Date,Amount,Transaction Number\n"
        "Hikvision UK Limited,15/04/2021,1250.00,1001\n"  # also in barnet-2021.csv, line 2
        "Hikvision UK Limited,15/04/2021,1250.00,1001\n"  # a second equal payment in this file
        "Hikvision UK Limited,16/04/2021,99.00,1010\n",
    )
    package = json.loads(contracts_json.read_text(encoding="utf-8"))
    newer = package["releases"][0]
    newer["date"] = "2022-01-01T00:00:00Z"
    newer["awards"][0]["value"]["amount"] = 520000
    update = write_file("contracts-2022.json", json.dumps({"releases": [newer]}))
    imports = [
        _imported(read_spend_file(layout_a), "E09000003", "Barnet"),
        _imported(read_spend_file(annual), "E09000003", "Barnet"),
        _imported(read_ocds_file(contracts_json), "E09000002", "Barking and Dagenham"),
        _imported(read_ocds_file(update), "E09000002", "Barking and Dagenham"),
    ]
    knowledge = load_knowledge_base()
    report = compute_report(imports, knowledge, SupplierMatcher(knowledge))
    # Barnet certain: 1,250.00 - 250.00 (first file) + 1,250.00 + 99.00 (the annual file's own).
    assert report.totals().payments.certain == Decimal("2349.00")
    assert report.totals().contracts.certain == Decimal("520000.00")
    duplicates = [(r.record.source, r.record.where, r.reason) for r in report.rows if r.duplicate]
    assert duplicates == [
        ("barnet-annual.csv", "line 2",
         "same payment also in another file: counted from barnet-2021.csv line 2"),
        ("contracts.json", "release 1 award ocds-b5fd17-1-1",
         "same contract also in another file: superseded by contracts-2022.json release 1 award"
         " ocds-b5fd17-1-1"),
    ]  # fmt: skip
    assert report.all_payments("E09000003") == Decimal("7100.50") + Decimal("1349.00")

"""OCDS releases: packages and JSON lines, amendments superseding earlier releases, statuses."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from sightline.procurement.model import SpendFileError
from sightline.procurement.ocds import read_ocds_bytes, read_ocds_file


def test_release_package_awards_after_amendments(contracts_json: Path) -> None:
    result = read_ocds_file(contracts_json)
    rows = [
        (r.reference, r.supplier, r.amount, r.status, r.supplier_count, r.company_number)
        for r in result.records
    ]
    assert rows == [
        ("ocds-b5fd17-1 ocds-b5fd17-1-1", "HIKVISION UK LIMITED", Decimal("510000.00"), "active", 1, "01234567"),
        ("ocds-b5fd17-2 ocds-b5fd17-2-1", "Dahua Technology UK Ltd", Decimal("80000.00"), "cancelled", 1, "SC098765"),
        ("ocds-b5fd17-3 ocds-b5fd17-3-1", "HIKVISION UK LIMITED", Decimal("1000000.00"), "active", 2, "01234567"),
        ("ocds-b5fd17-3 ocds-b5fd17-3-1", "ACME CIVIL ENGINEERING LIMITED", Decimal("1000000.00"), "active", 2, "07654321"),
        ("ocds-b5fd17-4 ocds-b5fd17-4-1", "ACME CIVIL ENGINEERING LIMITED", Decimal("250000.00"), "active", 1, "07654321"),
        ("ocds-b5fd17-5 ocds-b5fd17-5-1", "Dahua Technology UK Ltd", Decimal("30000.00"), "tender withdrawn", 1, "SC098765"),
    ]  # fmt: skip
    assert [str(p) for p in result.problems] == [
        "contracts.json release 8 award ocds-b5fd17-6-1: unknown currency 'XYZ' (ocds-b5fd17-6)"
    ]
    first = result.records[0]
    assert first.title == "CCTV camera replacement"
    assert first.cpv == ("35125300",)
    assert first.date == dt.date(2021, 5, 10)
    assert first.buyer == "London Borough of Barking and Dagenham"
    assert first.notes == ("as of the latest of 2 releases",)
    assert result.records[2].cpv == ("79710000", "35120000")
    assert result.notes == [
        "8 releases of 6 contracting processes (later releases supersede earlier ones)"
    ]


def test_json_lines_with_a_malformed_line(releases_jsonl: Path) -> None:
    result = read_ocds_file(releases_jsonl)
    assert [(r.supplier, r.amount, r.status) for r in result.records] == [
        ("Dahua Technology UK Ltd", Decimal("47500.00"), "active")
    ]
    assert result.records[0].title == "Camera upgrade"  # kept from the first release
    assert [str(p) for p in result.problems] == ["releases.jsonl line 2: not JSON (column 37)"]


def test_record_package_with_compiled_release() -> None:
    compiled = {
        "ocid": "ocds-r-1",
        "date": "2020-01-02T00:00:00Z",
        "tender": {"title": "Bodycams", "items": [{"id": "1", "classification":
                   {"scheme": "CPV", "id": "35125300-2"}}]},
        "awards": [{"id": "a", "status": "active", "value": {"amount": 999.5, "currency": "GBP"},
                    "suppliers": [{"id": "GB-COH-123", "name": "Body Cams Ltd"}]}],
    }  # fmt: skip
    data = json.dumps({"records": [{"ocid": "ocds-r-1", "compiledRelease": compiled}]})
    result = read_ocds_bytes(data.encode(), "records.json")
    (record,) = result.records
    assert (record.amount, record.company_number, record.cpv, record.date) == (
        Decimal("999.50"),
        "00000123",
        ("35125300",),
        dt.date(2020, 1, 2),
    )
    assert (record.status, record.notes) == ("active", ())


def test_award_without_value_or_supplier_is_reported() -> None:
    package = {
        "releases": [
            {"ocid": "o-1", "date": "2021-01-01", "awards": [{"id": "1", "status": "active",
             "suppliers": [{"name": "X Ltd"}]}]},
            {"ocid": "o-2", "date": "2021-01-01", "awards": [{"id": "2", "status": "active",
             "value": {"amount": 5, "currency": "GBP"}}]},
            {"ocid": "o-3", "date": "2021-01-01", "awards": [{"id": "3", "status": "active",
             "value": {"amount": 5}, "suppliers": [{"name": "Y Ltd"}]}]},
            {"date": "2021-01-01"},
        ]
    }  # fmt: skip
    result = read_ocds_bytes(json.dumps(package).encode(), "p.json")
    assert result.records == []
    assert [str(p) for p in result.problems] == [
        "p.json release 4: release has no ocid",
        "p.json release 1 award 1: award has no value (o-1)",
        "p.json release 2 award 2: award in o-2 names no supplier",
        "p.json release 3 award 3: award value has no currency (o-3)",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"releases": [', "bad.json: the file ends where a value was due at line 1 column 15"),
        ("", "bad.json: the file is empty"),
        ("not json\nstill not\n", "bad.json: no line of the file is JSON"),
    ],
)
def test_unreadable_files_are_refused(
    write_file: Callable[[str, str | bytes], Path], content: str, message: str
) -> None:
    with pytest.raises(SpendFileError) as error:
        read_ocds_file(write_file("bad.json", content))
    assert str(error.value) == message


def test_an_award_without_a_value_takes_its_contract_value() -> None:
    release = {
        "ocid": "ocds-fts-9",
        "date": "2023-02-01T00:00:00Z",
        "tender": {"title": "ANPR cameras", "status": "complete"},
        "awards": [{"id": "9-1", "status": "pending",
                    "suppliers": [{"id": "GB-COH-00000042", "name": "Plate Readers Ltd"}]}],
        "contracts": [{"id": "9-1-c", "awardID": "9-1", "status": "active",
                       "value": {"amount": "12,500", "currency": "GBP"}}],
    }  # fmt: skip
    result = read_ocds_bytes(json.dumps({"releases": [release]}).encode(), "fts.json")
    (record,) = result.records
    assert (record.amount, record.status, record.notes) == (
        Decimal("12500.00"),
        "pending",
        ("value of contract 9-1-c",),
    )
    assert result.problems == []


def test_releases_are_ordered_as_instants_not_as_text() -> None:
    def one(date: str, amount: int) -> dict[str, object]:
        return {"ocid": "o-tz", "date": date, "awards": [{"id": "1", "status": "active",
                "value": {"amount": amount, "currency": "GBP"},
                "suppliers": [{"name": "Clock Ltd"}]}]}  # fmt: skip

    # 10:30+01:00 is 09:30Z: earlier than 10:00Z although it sorts later as text.
    package = {"releases": [one("2021-06-01T10:00:00Z", 2), one("2021-06-01T10:30:00+01:00", 1)]}
    (record,) = read_ocds_bytes(json.dumps(package).encode(), "tz.json").records
    assert record.amount == Decimal("2.00")

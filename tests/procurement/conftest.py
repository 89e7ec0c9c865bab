"""Fixtures for the procurement tests: OCDS releases, spending files in three column layouts and
an Excel workbook, all written by the tests. The companies other than those of the knowledge base
are invented."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


def _party(party_id: str, name: str, roles: list[str], number: str = "") -> dict[str, Any]:
    party: dict[str, Any] = {"id": party_id, "name": name, "roles": roles}
    if number:
        party["identifier"] = {"scheme": "GB-COH", "id": number, "legalName": name}
    return party


BUYER = {"id": "GB-SRS-barking", "name": "London Borough of Barking and Dagenham"}


def release(
    ocid: str,
    number: int,
    date: str,
    awards: list[dict[str, Any]],
    parties: list[dict[str, Any]],
    tender: dict[str, Any] | None = None,
    tag: str = "award",
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "ocid": ocid,
        "id": f"{ocid}-{number}",
        "date": date,
        "tag": [tag],
        "initiationType": "tender",
        "buyer": BUYER,
        "parties": [_party(BUYER["id"], BUYER["name"], ["buyer"]), *parties],
        "awards": awards,
    }
    if tender is not None:
        data["tender"] = tender
    return data


def award(
    award_id: str,
    suppliers: list[tuple[str, str]],
    amount: object,
    currency: str | None = "GBP",
    status: str = "active",
    date: str = "2021-05-10T00:00:00Z",
) -> dict[str, Any]:
    value: dict[str, Any] = {"amount": amount}
    if currency is not None:
        value["currency"] = currency
    return {
        "id": award_id,
        "status": status,
        "date": date,
        "value": value,
        "suppliers": [{"id": sid, "name": name} for sid, name in suppliers],
    }


HIK = ("GB-COH-1234567", "HIKVISION UK LIMITED")
HIK_PARTY = _party("GB-COH-1234567", "HIKVISION UK LIMITED", ["supplier"], "1234567")
DAHUA = ("GB-COH-SC98765", "Dahua Technology UK Ltd")
DAHUA_PARTY = _party("GB-COH-SC98765", "Dahua Technology UK Ltd", ["supplier"], "SC98765")
ACME = ("GB-COH-07654321", "ACME CIVIL ENGINEERING LIMITED")
ACME_PARTY = _party("GB-COH-07654321", "ACME CIVIL ENGINEERING LIMITED", ["supplier"], "07654321")


def contracts_package() -> dict[str, Any]:
    """A Contracts Finder-shaped release package.

    ocds-1: a CCTV award to Hikvision UK, amended from £492,000 to £510,000 by a later release.
    ocds-2: an award to Dahua UK, later cancelled. ocds-3: a framework shared by two suppliers,
    CPV 35120000 among the additional classifications. ocds-4: road works, nothing to count.
    ocds-5: a tender withdrawn after an award. ocds-6: a value in an unknown currency.
    """
    cctv = {
        "id": "T1",
        "title": "CCTV camera replacement",
        "status": "complete",
        "classification": {"scheme": "CPV", "id": "35125300", "description": "Security cameras"},
    }
    framework = {
        "id": "T3",
        "title": "Security systems framework",
        "status": "complete",
        "classification": {"scheme": "CPV", "id": "79710000", "description": "Security services"},
        "additionalClassifications": [
            {"scheme": "CPV", "id": "35120000", "description": "Surveillance and security systems"}
        ],
    }
    releases = [
        # The amendment is listed first: order in the file must not matter, dates do.
        release(
            "ocds-b5fd17-1", 2, "2021-06-01T09:00:00Z",
            [award("ocds-b5fd17-1-1", [HIK], 510000)], [HIK_PARTY], cctv, "awardUpdate",
        ),
        release(
            "ocds-b5fd17-1", 1, "2021-05-10T09:00:00Z",
            [award("ocds-b5fd17-1-1", [HIK], 492000)], [HIK_PARTY], cctv,
        ),
        release(
            "ocds-b5fd17-2", 1, "2021-07-01T09:00:00Z",
            [award("ocds-b5fd17-2-1", [DAHUA], 80000, date="2021-07-01T00:00:00Z")],
            [DAHUA_PARTY],
            {"id": "T2", "title": "CCTV for car parks", "status": "complete"},
        ),
        release(
            "ocds-b5fd17-2", 2, "2021-08-01T09:00:00Z",
            [{"id": "ocds-b5fd17-2-1", "status": "cancelled"}], [], None, "awardCancellation",
        ),
        release(
            "ocds-b5fd17-3", 1, "2021-09-01T09:00:00Z",
            [award("ocds-b5fd17-3-1", [HIK, ACME], 1000000, date="2021-09-01T00:00:00Z")],
            [HIK_PARTY, ACME_PARTY], framework,
        ),
        release(
            "ocds-b5fd17-4", 1, "2021-10-01T09:00:00Z",
            [award("ocds-b5fd17-4-1", [ACME], 250000, date="2021-10-01T00:00:00Z")],
            [ACME_PARTY],
            {"id": "T4", "title": "Road resurfacing", "status": "complete",
             "classification": {"scheme": "CPV", "id": "45233220"}},
        ),
        release(
            "ocds-b5fd17-5", 1, "2021-11-01T09:00:00Z",
            [award("ocds-b5fd17-5-1", [DAHUA], 30000, date="2021-11-01T00:00:00Z")],
            [DAHUA_PARTY],
            {"id": "T5", "title": "CCTV maintenance", "status": "withdrawn"},
        ),
        release(
            "ocds-b5fd17-6", 1, "2021-12-01T09:00:00Z",
            [award("ocds-b5fd17-6-1", [HIK], 12000, currency="XYZ")], [HIK_PARTY],
        ),
    ]  # fmt: skip
    return {
        "uri": "https://www.contractsfinder.service.gov.uk/Published/Notices/OCDS/Search",
        "publishedDate": "2022-01-01T00:00:00Z",
        "publisher": {"name": "Crown Commercial Service"},
        "version": "1.1",
        "releases": releases,
    }


def releases_lines() -> str:
    """JSON lines: an award to Dahua UK, a malformed line, then an amendment of the award."""
    first = release(
        "ocds-h6vhtk-7", 1, "2022-05-01T00:00:00Z",
        [award("7-1", [DAHUA], 45000, date="2022-05-01T00:00:00Z")], [DAHUA_PARTY],
        {"id": "T7", "title": "Camera upgrade", "status": "complete"},
    )  # fmt: skip
    amended = release(
        "ocds-h6vhtk-7", 2, "2022-06-01T00:00:00Z",
        [award("7-1", [DAHUA], "47500.00", date="2022-05-01T00:00:00Z")], [DAHUA_PARTY],
    )  # fmt: skip
    return (
        json.dumps(first) + '\n{"ocid": "ocds-h6vhtk-8", "awards": [\n' + json.dumps(amended) + "\n"
    )


# Layout A: Local Government Transparency Code headings, UTF-8.
LAYOUT_A = (
    "Body Name,Date,Transaction Number,Net Amount,Supplier Name,Expense Area,Expense Type\n"
    'London Borough of Barnet,15/04/2021,1001,"1,250.00",HIKVISION UK LTD,Community Safety,CCTV Equipment\n'
    'London Borough of Barnet,20/05/2021,1002,"£3,400.50",Acme Cleaning Services Ltd,Facilities,Cleaning\n'
    "London Borough of Barnet,03/03/2022,1003,-250.00,Hikvision UK Ltd,Community Safety,Credit note\n"
    'London Borough of Barnet,10/04/2022,1004,"2,000.00",HIKVISION UK LIMI,Community Safety,Cameras\n'
    "London Borough of Barnet,11/04/2022,1005,abc,Hikvision UK Ltd,Community Safety,Cameras\n"
    "London Borough of Barnet,12/04/2022,1006,700.00,REDACTED - personal data,Adult Care,Care\n"
    "London Borough of Barnet,31/02/2022,1007,900.00,Hikvision UK Ltd,Community Safety,Cameras\n"
    ",,,,,,\n"
)

# Layout B: a title block, other headings, Windows-1252 (the pound sign is byte 0xA3).
LAYOUT_B = (
    "London Borough of Bexley\r\n"
    "Payments to suppliers over £500 – Quarter 1 2021/22\r\n"
    "\r\n"
    "Vendor Name,Payment Date,Amount (£),Service Area,Expenses Type,Supplier Company Number\r\n"
    'Dahua Technology UK Limited,01-Jun-2021,"£12,345.67",Highways,Cameras,\r\n'
    "Café Bleu Ltd,02-Jun-2021,£600.00,Catering,Food,\r\n"
    'Hikvison UK Ltd,03-Jun-2021,"£1,000",Parking,Cameras,\r\n'
    "Dahua Technology UK Limited,30-Jun-2021,(100.00),Highways,Credit,\r\n"
)


@pytest.fixture
def write_file(tmp_path: Path) -> Callable[[str, str | bytes], Path]:
    def write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        return path

    return write


@pytest.fixture
def contracts_json(write_file: Callable[[str, str | bytes], Path]) -> Path:
    return write_file("contracts.json", json.dumps(contracts_package(), indent=2))


@pytest.fixture
def releases_jsonl(write_file: Callable[[str, str | bytes], Path]) -> Path:
    return write_file("releases.jsonl", releases_lines())


@pytest.fixture
def layout_a(write_file: Callable[[str, str | bytes], Path]) -> Path:
    return write_file("barnet-2021.csv", LAYOUT_A)


@pytest.fixture
def layout_b(write_file: Callable[[str, str | bytes], Path]) -> Path:
    return write_file("bexley-q1.csv", LAYOUT_B.encode("cp1252"))


@pytest.fixture
def layout_c_xlsx(tmp_path: Path) -> Path:
    """Layout C: an Excel workbook with a title block, spreadsheet numbers and dates."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Spend Q2"
    sheet.append(["London Borough of Brent"])
    sheet.append(["Expenditure over £500, July to September 2021"])
    sheet.append([])
    sheet.append(["Payee", "Value", "Date Paid", "Department", "Description"])
    sheet.append(
        ["Hik Vision UK", 5000.5, dt.datetime(2021, 9, 30), "Housing", "Door entry cameras"]
    )
    sheet.append(["Pyronix Limited", 800, dt.datetime(2021, 8, 2), "Housing", "Alarm panels"])
    sheet.append(["Dahua Tech UK", 1500, dt.datetime(2021, 7, 15), "Parks", "NVR"])
    sheet.append(["Joe Bloggs Plumbing", "£550.00", "14/07/2021", "Housing", "Repairs"])
    path = tmp_path / "brent-q2.xlsx"
    workbook.save(path)
    return path


# A national file in the shape Contracts Finder and Find a Tender publish: one package, many
# buyers, each named in ``buyer`` and in a party with the role "buyer". Identifiers follow
# org-id.guide: GB-LAE (Local Authorities for England, three-letter codes as in Find a Tender's
# "GB-LAE-HAV"), GB-GOR (Government Organisation Register), GB-COH (Companies House).
NATIONAL_BUYERS: list[tuple[str, dict[str, Any]]] = [
    # (how it is named, the buyer party without id/roles)
    ("gss", {"name": "Barnet Borough", "additionalIdentifiers": [{"id": "E09000003"}]}),
    ("name", {"name": "LONDON BOROUGH OF BEXLEY"}),
    ("short", {"name": "Brent Council"}),
    ("short", {"name": "Leeds City Council"}),
    ("fuzzy", {"name": "Shefield City Council"}),
    ("unmatched", {"name": "Ministry of Silly Walks"}),
    ("unmatched", {"name": "Anytown Parish Council"}),
]


def national_release(index: int, buyer: dict[str, Any], supplier: tuple[str, str], amount: int,
                     cpv: str, title: str) -> dict[str, Any]:  # fmt: skip
    buyer_id = f"GB-CFS-{1000 + index}"
    supplier_id, supplier_name = supplier
    return {
        "ocid": f"ocds-nat-{index}",
        "id": f"ocds-nat-{index}-award",
        "date": "2022-09-01T09:00:00Z",
        "tag": ["award"],
        "buyer": {"id": buyer_id, "name": buyer["name"]},
        "parties": [
            {"id": buyer_id, "roles": ["buyer"], **buyer},
            {"id": supplier_id, "name": supplier_name, "roles": ["supplier"],
             "identifier": {"scheme": "GB-COH", "id": supplier_id.removeprefix("GB-COH-")}},
        ],
        "tender": {"id": f"T{index}", "title": title, "status": "complete",
                   "classification": {"scheme": "CPV", "id": cpv}},
        "awards": [{"id": f"{index}-1", "status": "active", "date": "2022-09-01T00:00:00Z",
                    "value": {"amount": amount, "currency": "GBP"},
                    "suppliers": [{"id": supplier_id, "name": supplier_name}]}],
    }  # fmt: skip


INTEGRATOR = ("GB-COH-04433221", "Northgate Vision Systems Ltd")  # invented


def national_releases() -> list[dict[str, Any]]:
    """Two awards per buyer: a CCTV installation by an (invented) integrator, and one to
    Hikvision UK; the amounts make every total distinct."""
    releases = []
    for index, (_, buyer) in enumerate(NATIONAL_BUYERS):
        releases.append(
            national_release(
                2 * index,
                buyer,
                INTEGRATOR,
                10000 * (index + 1),
                "35125300-2",
                "Town centre CCTV installation",
            )
        )
        releases.append(
            national_release(
                2 * index + 1,
                buyer,
                HIK,
                1000 * (index + 1),
                "32323500-8",
                "Video-surveillance system supply",
            )
        )
    return releases


def national_shapes() -> dict[str, str]:
    """The same processes in every packaging the publishers use."""
    releases = national_releases()
    records = [
        {"ocid": r["ocid"], "releases": [{"url": f"https://example.org/{r['id']}.json",
         "date": r["date"], "tag": r["tag"]}], "compiledRelease": r}
        for r in releases
    ]  # fmt: skip
    full_records = [{"ocid": r["ocid"], "releases": [r]} for r in releases]
    package = {"uri": "https://example.org/package.json", "version": "1.1",
               "publishedDate": "2022-09-02T00:00:00Z"}  # fmt: skip
    return {
        "release-package.json": json.dumps({**package, "releases": releases}, indent=1),
        "minified-package.json": json.dumps({**package, "releases": releases}),
        "record-package.json": json.dumps({**package, "records": records}),
        "full-record-package.json": json.dumps({**package, "records": full_records}),
        "releases.jsonl": "".join(json.dumps(r) + "\n" for r in releases),
        "compiled.jsonl": "".join(json.dumps(r["compiledRelease"]) + "\n" for r in records),
        "records.jsonl": "".join(json.dumps(r) + "\n" for r in records),
        "packages.jsonl": "".join(
            json.dumps({**package, "releases": releases[i : i + 3]}) + "\n"
            for i in range(0, len(releases), 3)
        ),
    }


class National:
    """The national-file builders, for tests (test modules do not import conftest)."""

    buyers = NATIONAL_BUYERS
    integrator = INTEGRATOR
    release = staticmethod(national_release)
    releases = staticmethod(national_releases)
    shapes = staticmethod(national_shapes)


@pytest.fixture
def national() -> type[National]:
    return National

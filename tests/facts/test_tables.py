"""Tables: asset registers counted by rows per make, count tables, vendor columns, Q&A exports."""

from __future__ import annotations

from sightline.documents.model import Block, Cell, Document, Location, Table
from sightline.facts import contract_json, extract


def sheet(name: str, rows: list[list[str]], hidden: bool = False) -> tuple[Table, list[Block]]:
    """A sheet as the documents reader gives it: located cells, and one text block per row."""
    table = Table(location=Location(sheet=name), header=0, hidden=hidden)
    blocks = []
    for number, row in enumerate(rows, start=1):
        cells = [
            Cell(text, Location(sheet=name, cell=f"{chr(65 + col)}{number}"))
            for col, text in enumerate(row)
            if text
        ]
        table.rows.append(cells)
        blocks.append(Block(" | ".join(t for t in row if t), Location(sheet=name, row=number)))
    return table, blocks


def run(*sheets: tuple[Table, list[Block]], text: str = "") -> dict[str, object]:
    document = Document(source="register.xlsx")
    if text:
        document.blocks.append(Block(text, Location(sheet="Cover", row=1)))
    for table, blocks in sheets:
        document.tables.append(table)
        document.blocks.extend(blocks)
    return contract_json(extract(document), "register.xlsx")


REGISTER = [
    ["Ref", "Site", "Manufacturer", "Model", "Kind"],
    ["A1", "Library", "Hikvision", "DS-2CD1043", "Bullet camera"],
    ["A2", "Library", "HIKVISION", "DS-2CD1043", "Bullet camera"],
    ["A3", "Depot", "Hikvision", "DS-7608NI", "NVR"],
    ["", "Depot total", "", "", ""],
    ["A4", "Pool", "Dahua", "HAC-HFW1200", "Thermal camera"],
    ["A5", "Pool", "Axis", "M3106", "Dome"],
    ["", "Total", "5", "", ""],
]


def test_an_asset_register_is_counted_by_rows_per_make() -> None:
    result = run(sheet("Assets", REGISTER))
    vendors = result["vendors"]
    assert isinstance(vendors, dict)
    assert vendors["hikvision"]["owned"] == "yes"
    assert vendors["hikvision"]["count"] == 3
    assert vendors["hikvision"]["device_types"] == ["camera", "nvr"]
    assert vendors["hikvision"]["evidence"] == [
        {
            "quote": "A1 | Library | Hikvision | DS-2CD1043 | Bullet camera",
            "location": "sheet Assets!C2",
        }
    ]
    assert (vendors["dahua"]["count"], vendors["dahua"]["device_types"]) == (1, ["thermal"])
    assert (vendors["axis"]["owned"], vendors["axis"]["count"]) == ("yes", 1)


def test_drop_down_lists_on_hidden_sheets_are_not_assets() -> None:
    lists = sheet("Lists", [["Manufacturer"], ["Hikvision"], ["Dahua"], ["Bosch"]], hidden=True)
    assets = sheet("Assets", [["Make", "Model"], ["Bosch", "NBN-73023"], ["Bosch", "NBN-73023"]])
    result = run(assets, lists, text="No Dahua equipment is on the register.")
    vendors = result["vendors"]
    assert isinstance(vendors, dict)
    assert {v: (f["owned"], f["count"]) for v, f in vendors.items()} == {
        "hikvision": ("unstated", None),
        "dahua": ("no", None),
        "bosch": ("yes", 2),
    }


def test_a_count_column_is_summed_and_none_is_no() -> None:
    table = sheet(
        "Summary",
        [
            ["Manufacturer", "Number of devices"],
            ["Hikvision", "40"],
            ["Hikvision", "2"],
            ["Dahua", "None"],
        ],
    )
    vendors = run(table)["vendors"]
    assert isinstance(vendors, dict)
    assert (vendors["hikvision"]["owned"], vendors["hikvision"]["count"]) == ("yes", 42)
    assert (vendors["dahua"]["owned"], vendors["dahua"]["count"]) == ("no", None)


def test_a_column_per_vendor_is_summed_without_the_total_row() -> None:
    table = sheet(
        "Sites",
        [
            ["Site", "Hikvision", "Dahua"],
            ["North", "5", "0"],
            ["South", "7", "0"],
            ["Total", "12", "0"],
        ],
    )
    vendors = run(table)["vendors"]
    assert isinstance(vendors, dict)
    assert (vendors["hikvision"]["owned"], vendors["hikvision"]["count"]) == ("yes", 12)
    assert vendors["dahua"]["owned"] == "no"


def test_a_register_without_a_make_header_uses_the_column_that_names_vendors() -> None:
    table = sheet(
        "Kit",
        [["Item", "Description"], ["1", "Dahua IPC-HDW camera"], ["2", "Dahua XVR recorder"]],
    )
    vendors = run(table)["vendors"]
    assert isinstance(vendors, dict)
    assert (vendors["dahua"]["count"], vendors["dahua"]["device_types"]) == (2, ["camera", "dvr"])


def test_a_question_and_answer_export() -> None:
    table = sheet(
        "Log",
        [
            ["Ref", "Question", "Answer"],
            ["7", "Do you own cameras made by Hikvision", "Yes - 15 cameras"],
            ["7", "Do you own cameras made by Dahua", "No"],
            ["7", "Do you use facial recognition", "No"],
        ],
    )
    result = run(table)
    vendors = result["vendors"]
    assert isinstance(vendors, dict)
    assert (vendors["hikvision"]["owned"], vendors["hikvision"]["count"]) == ("yes", 15)
    assert vendors["dahua"]["owned"] == "no"
    assert result["facial_recognition"] == "no"

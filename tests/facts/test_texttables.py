"""Tables written in text: whitespace- or pipe-aligned, single-spaced PDF rows, totals rows and
dashes for zero, read by the same table reader as sheets and Word tables."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sightline.documents.model import Block, Location
from sightline.facts.texttables import text_tables, without_lines

Facts = Callable[..., dict[str, Any]]


def test_a_whitespace_table_with_a_totals_row_and_dashes(facts: Facts) -> None:
    result = facts(
        "The table below lists the devices on our register.\n\n"
        "Manufacturer     Cameras   NVRs\n"
        "Hikvision          298       14\n"
        "Dahua               -         -\n"
        "Axis                40        -\n"
        "Total              338       14\n"
    )
    assert result["vendors"]["hikvision"]["owned"] == "yes"
    assert result["vendors"]["hikvision"]["count"] == 312
    assert result["vendors"]["hikvision"]["device_types"] == ["camera", "nvr"]
    assert result["vendors"]["dahua"]["owned"] == "no"
    assert result["vendors"]["axis"]["count"] == 40
    assert result["vendors"]["hikvision"]["evidence"][0]["location"] == "body row 2 column 1"


def test_a_pipe_table_with_a_rule_line(facts: Facts) -> None:
    result = facts(
        "| Make      | Number of cameras |\n"
        "|-----------|-------------------|\n"
        "| Hikvision | 9                 |\n"
        "| Dahua     | -                 |\n"
    )
    assert (result["vendors"]["hikvision"]["count"], result["vendors"]["dahua"]["owned"]) == (
        9,
        "no",
    )


def test_single_spaced_rows_from_a_pdf_use_the_total_column(facts: Facts) -> None:
    result = facts(
        "Manufacturer Town centre Car parks Total\nHikvision 30 22 52\nDahua 0 8 8\nTotal 30 30 60"
    )
    assert result["vendors"]["hikvision"]["count"] == 52
    assert result["vendors"]["dahua"]["count"] == 8


def test_a_column_per_vendor_takes_types_from_the_row_labels(facts: Facts) -> None:
    result = facts(
        "Device   Hikvision   Dahua\nCameras     60          0\nNVRs        4           0"
    )
    assert result["vendors"]["hikvision"]["count"] == 64
    assert result["vendors"]["hikvision"]["device_types"] == ["camera", "nvr"]
    assert result["vendors"]["dahua"]["owned"] == "no"


def test_prose_with_a_number_at_the_end_is_no_table() -> None:
    block = Block(
        "If you are not satisfied with this response you may ask for a review within 40\n"
        "working days of 12",
        Location(part="body"),
    )
    assert text_tables(block) == []


def test_table_lines_are_left_out_of_the_text() -> None:
    block = Block("Intro.\nMake  Cameras\nHikvision  3\nDahua  2\nEnd.", Location(part="body"))
    [(table, lines)] = text_tables(block)
    assert [[c.text for c in row] for row in table.rows] == [
        ["Make", "Cameras"],
        ["Hikvision", "3"],
        ["Dahua", "2"],
    ]
    assert without_lines(block.text, [lines]) == "Intro.\nEnd."

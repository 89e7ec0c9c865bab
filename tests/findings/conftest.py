"""Shared fixtures for the findings tests: coded CSV files written by the tests themselves."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

HEADER = [
    "authority",
    "group",
    "outcome",
    "responded_on",
    "hikvision",
    "dahua",
    "hikvision_or_dahua_unspecified",
    "facial_recognition",
    "hikvision_devices",
    "dahua_devices",
    "note",
]

# Five invented councils: the shape of the model investigation in miniature. Elham answers after
# 2021-02-01, Carnby says "Hikvision or Dahua" without saying which, Dunmere refuses.
SMALL_CAMPAIGN = [
    ["Ashford", "Boroughs", "answered", "2021-01-10", "yes", "no", "false", "no", "12", "", ""],
    [
        "Bexton",
        "Boroughs",
        "answered",
        "2021-01-11",
        "yes",
        "yes",
        "false",
        "past",
        "1,790",
        "4",
        "",
    ],
    ["Carnby", "Cities", "answered", "2021-01-12", "unknown", "unknown", "true", "no", "", "", ""],
    [
        "Dunmere",
        "Cities",
        "refused",
        "2021-01-20",
        "unknown",
        "unknown",
        "false",
        "unknown",
        "",
        "",
        "Refused under FOIA s.31 (law enforcement).",
    ],
    [
        "Elham",
        "Boroughs",
        "answered",
        "2021-03-01",
        "no",
        "no",
        "false",
        "no",
        "",
        "",
        "Answered after publication.",
    ],
]


def write_csv(path: Path, rows: Sequence[Sequence[str]], header: Sequence[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def coded_file(tmp_path: Path) -> Callable[..., Path]:
    """Write coded rows (lists in HEADER order) to a CSV file and return its path."""
    counter = iter(range(1000))

    def make(rows: Sequence[Sequence[str]], header: Sequence[str] = HEADER) -> Path:
        return write_csv(tmp_path / f"coded-{next(counter)}.csv", rows, header)

    return make


@pytest.fixture
def small_campaign(coded_file: Callable[..., Path]) -> Path:
    return coded_file(SMALL_CAMPAIGN)


def row(
    authority: str,
    group: str = "G",
    outcome: str = "answered",
    responded_on: str = "2021-01-10",
    hikvision: str = "no",
    dahua: str = "no",
    unspecified: str = "false",
    facial_recognition: str = "no",
    hikvision_devices: str = "",
    dahua_devices: str = "",
    note: str = "",
) -> list[str]:
    return [
        authority,
        group,
        outcome,
        responded_on,
        hikvision,
        dahua,
        unspecified,
        facial_recognition,
        hikvision_devices,
        dahua_devices,
        note,
    ]


@pytest.fixture
def make_row() -> Callable[..., list[str]]:
    """Build one coded row with defaults: an answered 'no' to everything."""
    return row


UPDATES_CSV = "date,text\n2021-03-05,Elham answered after publication; it owns no Hikvision or Dahua equipment.\n"
METHOD_TOML = """
asked = "Five invented councils in two groups"
sent_on = 2020-12-01
law = "Freedom of Information Act 2000"
questions = [
  "Does the council own or operate any equipment made by Hikvision or Dahua?",
  "If so, how many devices of each make?",
]
"""


@pytest.fixture(scope="session")
def built_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small campaign published as of 2021-02-01, with one update and a method file.

    Built once per session through the command line (building inlines ~900 kB of JavaScript).
    """
    from click.testing import CliRunner

    from sightline.cli.main import cli

    base = tmp_path_factory.mktemp("bundle-inputs")
    coded = write_csv(base / "coded.csv", SMALL_CAMPAIGN)
    updates = base / "updates.csv"
    updates.write_text(UPDATES_CSV, encoding="utf-8")
    method = base / "method.toml"
    method.write_text(METHOD_TOML, encoding="utf-8")
    out = tmp_path_factory.mktemp("published") / "report"
    result = CliRunner().invoke(
        cli,
        [
            "findings", "build", "--coded", str(coded), "--out", str(out),
            "--as-of", "2021-02-01", "--title", "Cameras in five invented councils",
            "--updates", str(updates), "--method", str(method),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return out

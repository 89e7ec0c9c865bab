"""``sightline findings compute --json`` exactly as docs/formats.md gives it, and its refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sightline.cli.main import cli

EXPECTED_AS_OF_2021_02_01 = {
    "sent": 5,
    "successful": 3,
    "unsuccessful": 2,
    "metrics": {
        "hikvision": {"count": 2, "of": 3, "percent": 67},
        "dahua": {"count": 1, "of": 3, "percent": 33},
        "hikvision_or_dahua": {"count": 3, "of": 3, "percent": 100},
        "facial_recognition": {"count": 1, "of": 3, "percent": 33, "authorities": ["Bexton"]},
    },
    "headlines": [
        "We sent Freedom of Information requests to 5 authorities: 3 answered and 2 withheld the"
        " information or did not respond in time.",
        "2 of the 3 authorities that answered (67%) own Hikvision equipment.",
        "1 of the 3 authorities that answered (33%) owns Dahua equipment.",
        "3 of the 3 authorities that answered (100%) own equipment from Hikvision, Dahua or both,"
        ' counting once 1 authority that said "Hikvision or Dahua" without saying which.',
        "1 authority (33%) has used or trialled facial recognition: Bexton.",
        "The 2 authorities that counted them own 1,802 Hikvision devices between them; the largest"
        " number is 1,790 (Bexton).",
        "Bexton owns 4 Dahua devices.",
    ],
    "table": [
        {"authority": "Ashford", "group": "Boroughs", "hikvision": "yes", "dahua": "no",
         "footnote": None},
        {"authority": "Bexton", "group": "Boroughs", "hikvision": "yes", "dahua": "yes",
         "footnote": None},
        {"authority": "Elham", "group": "Boroughs", "hikvision": "unknown", "dahua": "unknown",
         "footnote": 1},
        {"authority": "Carnby", "group": "Cities", "hikvision": "unknown", "dahua": "unknown",
         "footnote": None},
        {"authority": "Dunmere", "group": "Cities", "hikvision": "unknown", "dahua": "unknown",
         "footnote": 2},
    ],
    "footnotes": ["Answered after publication.", "Refused under FOIA s.31 (law enforcement)."],
}  # fmt: skip


def test_compute_json_is_exactly_the_contract(small_campaign: Path) -> None:
    result = CliRunner().invoke(
        cli, ["findings", "compute", str(small_campaign), "--as-of", "2021-02-01", "--json"]
    )
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.count("\n") == 1
    assert json.loads(result.stdout) == EXPECTED_AS_OF_2021_02_01
    assert list(json.loads(result.stdout)) == [
        "sent", "successful", "unsuccessful", "metrics", "headlines", "table", "footnotes",
    ]  # fmt: skip


def test_compute_without_as_of_counts_the_late_answer(small_campaign: Path) -> None:
    result = CliRunner().invoke(cli, ["findings", "compute", str(small_campaign), "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert (data["sent"], data["successful"], data["unsuccessful"]) == (5, 4, 1)
    assert data["metrics"]["hikvision_or_dahua"] == {"count": 3, "of": 4, "percent": 75}
    assert data["table"][2] == {
        "authority": "Elham", "group": "Boroughs", "hikvision": "no", "dahua": "no", "footnote": 1,
    }  # fmt: skip


def test_compute_text_output(small_campaign: Path) -> None:
    result = CliRunner().invoke(cli, ["findings", "compute", str(small_campaign)])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[1] == "- 2 of the 4 authorities that answered (50%) own Hikvision equipment."
    assert "Boroughs\tElham [1]\thikvision=no\tdahua=no" in lines
    assert lines[-1] == "[2] Refused under FOIA s.31 (law enforcement)."


def test_compute_with_a_campaign_spec(small_campaign: Path, tmp_path: Path) -> None:
    spec = tmp_path / "spec.toml"
    spec.write_text(
        'noun = "councils"\nnoun_one = "council"\n[overview]\ntemplate = "{sent} {noun}."\n'
        '[[metric]]\nid = "no_hikvision"\nwhere = { hikvision = ["no"] }\n'
        'template = "{count} said no."\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        cli, ["findings", "compute", str(small_campaign), "--spec", str(spec), "--json"]
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["metrics"] == {"no_hikvision": {"count": 1, "of": 4, "percent": 25}}
    assert data["headlines"] == ["5 councils.", "1 said no."]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--as-of", "1 Feb 2021"], "Error: --as-of '1 Feb 2021' is not a date YYYY-MM-DD\n"),
        (["--as-of", "2021-02-30"], "Error: --as-of '2021-02-30' is not a date YYYY-MM-DD\n"),
    ],
)
def test_a_bad_date_is_refused(small_campaign: Path, arguments: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["findings", "compute", str(small_campaign), *arguments])
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", message)


def test_bad_input_exits_non_zero_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "authority,group,outcome,responded_on,hikvision,dahua,hikvision_or_dahua_unspecified,"
        "facial_recognition,hikvision_devices,dahua_devices,note\n"
        "Ashford,A,answered,2021-01-10,yes,no,false,sometimes,,,\n"
        "Bexton,A,pending,2021-01-10,yes,no,false,no,,,\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["findings", "compute", str(bad), "--json"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: {bad}: line 2: facial_recognition 'sometimes' is not one of yes, past, no,"
        " unknown (and 1 more problem)\n"
    )
    missing = CliRunner().invoke(cli, ["findings", "compute", str(tmp_path / "no.csv"), "--json"])
    assert (missing.exit_code, missing.stdout) == (1, "")
    assert missing.stderr == (
        f"Error: {tmp_path / 'no.csv'}: cannot be read (No such file or directory)\n"
    )


def test_a_bad_spec_file_is_refused(small_campaign: Path, tmp_path: Path) -> None:
    spec = tmp_path / "spec.toml"
    spec.write_text("[overview]\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["findings", "compute", str(small_campaign), "--spec", str(spec), "--json"]
    )
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"Error: {spec}: [overview]: template is required\n"

"""The findings engine against hand-computed fixtures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from sightline.findings import (
    FindingsError,
    compute_findings,
    default_spec,
    percent_of,
    read_coded_csv,
)
from sightline.findings.spec import parse_spec

Row = Callable[..., list[str]]


@pytest.mark.parametrize(
    ("count", "of", "percent"),
    [
        (1, 8, 13),  # 12.5: banker's rounding would give 12
        (3, 8, 38),  # 37.5
        (5, 8, 63),  # 62.5: banker's rounding would give 62
        (1, 40, 3),  # 2.5: banker's rounding would give 2
        (1, 3, 33),
        (2, 3, 67),
        (28, 43, 65),
        (7, 43, 16),
        (30, 43, 70),
        (2, 43, 5),
        (0, 5, 0),
        (5, 5, 100),
        (0, 0, None),
    ],
)
def test_percent_is_rounded_half_up(count: int, of: int, percent: int | None) -> None:
    assert percent_of(count, of) == percent


@pytest.fixture
def eight_answers(coded_file: Callable[..., Path], make_row: Row) -> Path:
    """Ten requests, eight answered: 1 Hikvision (12.5%), 3 Dahua (37.5%), one unspecified."""
    return coded_file(
        [
            make_row("Ashby", hikvision="yes", hikvision_devices="1,790"),
            make_row("Brindle", dahua="yes", dahua_devices="10"),
            make_row("Corvey", dahua="yes", dahua_devices="7"),
            make_row("Dunholm", dahua="yes", dahua_devices="10"),
            make_row("Eskby", hikvision="unknown", dahua="unknown", unspecified="true"),
            make_row("Zed Council", facial_recognition="past"),
            make_row("abbey council", facial_recognition="yes"),
            make_row("Fenmoor", facial_recognition="no", hikvision="unknown"),
            make_row("Gorsey", outcome="refused", hikvision="yes", hikvision_devices="50"),
            make_row("Hollin", outcome="no_response", responded_on=""),
        ]
    )


def test_figures_and_headlines_of_eight_answers(eight_answers: Path) -> None:
    findings = compute_findings(read_coded_csv(eight_answers), default_spec())
    result = findings.as_contract_json()
    assert (result["sent"], result["successful"], result["unsuccessful"]) == (10, 8, 2)
    assert result["metrics"] == {
        "hikvision": {"count": 1, "of": 8, "percent": 13},
        "dahua": {"count": 3, "of": 8, "percent": 38},
        "hikvision_or_dahua": {"count": 5, "of": 8, "percent": 63},
        "facial_recognition": {
            "count": 2,
            "of": 8,
            "percent": 25,
            "authorities": ["abbey council", "Zed Council"],
        },
    }
    assert result["headlines"] == [
        "We sent Freedom of Information requests to 10 authorities: 8 answered and 2 withheld"
        " the information or did not respond in time.",
        "1 of the 8 authorities that answered (13%) owns Hikvision equipment.",
        "3 of the 8 authorities that answered (38%) own Dahua equipment.",
        "5 of the 8 authorities that answered (63%) own equipment from Hikvision, Dahua or both,"
        ' counting once 1 authority that said "Hikvision or Dahua" without saying which.',
        "2 authorities (25%) have used or trialled facial recognition: abbey council and"
        " Zed Council.",
        "Ashby owns 1,790 Hikvision devices.",
        "The 3 authorities that counted them own 27 Dahua devices between them; the largest"
        " number is 10 (Brindle and Dunholm).",
    ]
    hikvision_total, dahua_total = findings.totals
    # Gorsey refused: its 50 devices are not part of the answers.
    assert (hikvision_total.total, hikvision_total.reporting, hikvision_total.max) == (
        1790,
        1,
        1790,
    )
    assert (dahua_total.total, dahua_total.reporting) == (27, 3)
    assert dahua_total.max_authorities == ("Brindle", "Dunholm")


def test_either_vendor_counts_the_unspecified_answer_once(
    coded_file: Callable[..., Path], make_row: Row
) -> None:
    path = coded_file(
        [
            make_row("Both", hikvision="yes", dahua="yes", unspecified="true"),
            make_row("Lumped", hikvision="unknown", dahua="unknown", unspecified="true"),
            make_row("LumpedNo", hikvision="no", dahua="unknown", unspecified="true"),
            make_row("Neither"),
        ]
    )
    findings = compute_findings(read_coded_csv(path), default_spec())
    either = findings.as_contract_json()["metrics"]["hikvision_or_dahua"]
    assert either == {"count": 3, "of": 4, "percent": 75}
    assert findings.metrics[2].authorities == ("Both", "Lumped", "LumpedNo")
    assert findings.metrics[2].detail_count == 2
    assert findings.headlines[3] == (
        "3 of the 4 authorities that answered (75%) own equipment from Hikvision, Dahua or both,"
        ' counting once 2 authorities that said "Hikvision or Dahua" without saying which.'
    )


def test_as_of_reproduces_the_figures_as_first_published(small_campaign: Path) -> None:
    responses = read_coded_csv(small_campaign)
    published = compute_findings(responses, default_spec(), as_of=dt.date(2021, 2, 1))
    later = compute_findings(responses, default_spec())
    first = published.as_contract_json()
    assert (first["sent"], first["successful"], first["unsuccessful"]) == (5, 3, 2)
    assert first["metrics"]["hikvision"] == {"count": 2, "of": 3, "percent": 67}
    assert first["metrics"]["hikvision_or_dahua"] == {"count": 3, "of": 3, "percent": 100}
    now = later.as_contract_json()
    assert (now["sent"], now["successful"], now["unsuccessful"]) == (5, 4, 1)
    assert now["metrics"]["hikvision"] == {"count": 2, "of": 4, "percent": 50}
    assert now["metrics"]["hikvision_or_dahua"] == {"count": 3, "of": 4, "percent": 75}
    # The late answer shows as unknown in the table as first published, as "no" afterwards.
    assert [r["hikvision"] for r in first["table"] if r["authority"] == "Elham"] == ["unknown"]
    assert [r["hikvision"] for r in now["table"] if r["authority"] == "Elham"] == ["no"]
    assert published.responses[4].outcome == "no_response"


def test_table_groups_in_first_appearance_order_and_numbers_footnotes(
    coded_file: Callable[..., Path], make_row: Row
) -> None:
    path = coded_file(
        [
            make_row("Mere", group="Cities"),
            make_row("Ash", group="Boroughs", hikvision="yes"),
            make_row("bolt", group="Cities", dahua="yes"),
            make_row("Zenith", group="Boroughs", note="First note in the file."),
            make_row("Crane", group="Shires", note="Second note in the file."),
            make_row("Alder", group="Cities", note="Third note in the file."),
        ]
    )
    result = compute_findings(read_coded_csv(path), default_spec()).as_contract_json()
    assert result["table"] == [
        {"authority": "Alder", "group": "Cities", "hikvision": "no", "dahua": "no", "footnote": 1},
        {
            "authority": "bolt",
            "group": "Cities",
            "hikvision": "no",
            "dahua": "yes",
            "footnote": None,
        },
        {
            "authority": "Mere",
            "group": "Cities",
            "hikvision": "no",
            "dahua": "no",
            "footnote": None,
        },
        {
            "authority": "Ash",
            "group": "Boroughs",
            "hikvision": "yes",
            "dahua": "no",
            "footnote": None,
        },
        {
            "authority": "Zenith",
            "group": "Boroughs",
            "hikvision": "no",
            "dahua": "no",
            "footnote": 2,
        },
        {"authority": "Crane", "group": "Shires", "hikvision": "no", "dahua": "no", "footnote": 3},
    ]
    assert result["footnotes"] == [
        "Third note in the file.",
        "First note in the file.",
        "Second note in the file.",
    ]


def test_nobody_answered(coded_file: Callable[..., Path], make_row: Row) -> None:
    path = coded_file([make_row("Quiet", outcome="no_response", responded_on="")])
    findings = compute_findings(read_coded_csv(path), default_spec())
    assert findings.as_contract_json()["metrics"]["hikvision"] == {
        "count": 0,
        "of": 0,
        "percent": None,
    }
    # Said plainly, with no "None of the 0 authorities that answered" sentences.
    assert findings.headlines == (
        "We sent Freedom of Information requests to 1 authority, and none has answered yet.",
    )


def test_every_outcome_is_counted_and_said_for_what_it_is(
    coded_file: Callable[..., Path], make_row: Row
) -> None:
    rows = [
        make_row("Ashford", outcome="answered", responded_on="2021-01-10"),
        make_row("Bexton", outcome="refused", responded_on="2021-01-11"),
        make_row("Cray", outcome="not_held", responded_on="2021-01-12"),
        make_row("Dunmere", outcome="not_delivered", responded_on=""),
        make_row("Elham", outcome="awaiting", responded_on=""),
        make_row("Fenwick", outcome="awaiting", responded_on=""),
        make_row("Gale", outcome="no_response", responded_on=""),
    ]
    findings = compute_findings(read_coded_csv(coded_file(rows)), default_spec())
    assert findings.outcomes == {
        "answered": 1,
        "refused": 1,
        "not_held": 1,
        "not_delivered": 1,
        "awaiting": 2,
        "no_response": 1,
    }
    # "withheld or did not respond" counts the refusal and the missed deadline only.
    assert findings.headlines[0] == (
        "We sent Freedom of Information requests to 7 authorities: 1 answered and 2 withheld the "
        "information or did not respond in time; 1 said it holds none of the information, 1 "
        "could not be delivered and 2 are still within the time limit."
    )
    assert (findings.sent, findings.successful, findings.unsuccessful) == (7, 1, 6)


SCHOOLS_HEADER = [
    *("authority", "group", "outcome", "responded_on", "hikvision", "dahua"),
    *("hikvision_or_dahua_unspecified", "facial_recognition", "hikvision_devices"),
    *("dahua_devices", "note", "axis", "axis_cameras"),
]

SCHOOLS_SPEC = """
name = "Cameras in schools"
noun = "schools"
noun_one = "school"

[overview]
template = "{sent} {noun} were asked; {successful} answered."

[[metric]]
id = "axis"
label = "Axis"
where = { axis = ["yes"] }
template = "{count} of {of} {noun} ({percent}%) use Axis cameras."

[[metric]]
id = "chinese_vendor"
label = "Hikvision or Dahua, no facial recognition"
where = { hikvision_or_dahua_unspecified = [true], facial_recognition = ["no", "unknown"] }
list_authorities = true
template = "{count} {count_noun} ({percent}%): {authorities}."

[[total]]
id = "axis_cameras"
column = "axis_cameras"
template = "{total:,} Axis cameras in {reporting} {reporting_noun}."
"""


def test_a_campaign_specification_reuses_the_engine(
    coded_file: Callable[..., Path], make_row: Row
) -> None:
    base = SCHOOLS_HEADER
    path = coded_file(
        [
            [*make_row("Oak School", unspecified="true"), "yes", "1,200"],
            [*make_row("Elm School"), "yes", "3"],
            [*make_row("Ash School", unspecified="true", facial_recognition="yes"), "no", ""],
            [*make_row("Yew School", outcome="refused"), "yes", "40"],
        ],
        header=base,
    )
    spec = parse_spec(SCHOOLS_SPEC, source="schools.toml")
    findings = compute_findings(read_coded_csv(path), spec)
    result = findings.as_contract_json()
    assert result["metrics"] == {
        "axis": {"count": 2, "of": 3, "percent": 67},
        "chinese_vendor": {"count": 1, "of": 3, "percent": 33, "authorities": ["Oak School"]},
    }
    assert result["headlines"] == [
        "4 schools were asked; 3 answered.",
        "2 of 3 schools (67%) use Axis cameras.",
        "1 school (33%): Oak School.",
        "1,203 Axis cameras in 2 schools.",
    ]


def test_a_specification_reading_a_missing_column_is_refused(small_campaign: Path) -> None:
    spec = parse_spec(SCHOOLS_SPEC, source="schools.toml")
    with pytest.raises(FindingsError) as caught:
        compute_findings(read_coded_csv(small_campaign), spec)
    assert str(caught.value) == (
        "the findings specification schools.toml reads column(s) axis, axis_cameras"
        " which the coded responses lack"
    )


def test_a_bad_count_in_a_campaign_column_is_named(
    coded_file: Callable[..., Path], make_row: Row
) -> None:
    base = SCHOOLS_HEADER
    path = coded_file([[*make_row("Oak School"), "yes", "lots"]], header=base)
    spec = parse_spec(SCHOOLS_SPEC, source="schools.toml")
    with pytest.raises(FindingsError) as caught:
        compute_findings(read_coded_csv(path), spec)
    assert str(caught.value) == "line 2: axis_cameras 'lots' is not a whole number of devices"

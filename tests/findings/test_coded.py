"""Reading coded CSV files: values, defaults, and every bad row named with its line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sightline.findings.coded import CodedInputError, parse_coded_csv, read_coded_csv

HEADER = (
    "authority,group,outcome,responded_on,hikvision,dahua,hikvision_or_dahua_unspecified,"
    "facial_recognition,hikvision_devices,dahua_devices,note"
)


def test_reads_values_counts_and_extra_columns(tmp_path: Path) -> None:
    path = tmp_path / "coded.csv"
    path.write_text(
        HEADER + ",axis\n"
        '  Bexton  Council ,Boroughs,Answered,2021-01-11,YES,no,TRUE,past,"1,790",4,see letter,yes\n'
        "\n"
        "Dunmere,Cities,refused,,,,,,,,,\n",
        encoding="utf-8-sig",
    )
    first, second = read_coded_csv(path)
    assert first.authority == "Bexton Council"
    assert first.outcome == "answered" and first.answered
    assert first.responded_on == dt.date(2021, 1, 11)
    assert (first.hikvision, first.dahua, first.facial_recognition) == ("yes", "no", "past")
    assert first.hikvision_or_dahua_unspecified is True
    assert (first.hikvision_devices, first.dahua_devices) == (1790, 4)
    assert first.note == "see letter"
    assert first.extra == {"axis": "yes"}
    assert first.line == 2
    # Uncoded cells of a refusal mean the reply did not say: unknown, and the flag false.
    assert (second.hikvision, second.dahua, second.facial_recognition) == ("unknown",) * 3
    assert second.hikvision_or_dahua_unspecified is False
    assert second.responded_on is None and second.hikvision_devices is None
    assert second.line == 4


def test_every_bad_row_is_named_with_its_line() -> None:
    text = (
        HEADER + "\n"
        "Ashford,A,maybe,2021-01-10,yes,no,false,no,,,\n"
        "Bexton,A,answered,10/01/2021,yes,perhaps,false,no,-3,,\n"
        "Carnby,A,answered,2021-01-12,yes,no,false,no,,,\n"
        "carnby,B,answered,2021-01-12,yes,no,false,no,,,\n"
    )
    with pytest.raises(CodedInputError) as caught:
        parse_coded_csv(text, source="coded.csv")
    assert [str(problem) for problem in caught.value.problems] == [
        "line 2: outcome 'maybe' is not one of answered, refused, not_held, not_delivered, awaiting, no_response",
        "line 3: dahua 'perhaps' is not one of yes, no, unknown",
        "line 3: responded_on '10/01/2021' is not a date YYYY-MM-DD",
        "line 3: hikvision_devices '-3' is not a whole number of devices",
        "line 5: authority 'carnby' already appears on line 4",
    ]
    assert str(caught.value) == (
        "coded.csv: line 2: outcome 'maybe' is not one of answered, refused, not_held, not_delivered, awaiting, no_response"
        " (and 4 more problems)"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "coded.csv: line 1: the file is empty (no header row)"),
        (
            "authority,group,outcome\nA,B,answered\n",
            "coded.csv: line 1: the header lacks column(s) responded_on, hikvision, dahua,"
            " hikvision_or_dahua_unspecified, facial_recognition, hikvision_devices,"
            " dahua_devices, note",
        ),
        (HEADER + ",note\n", "coded.csv: line 1: the header repeats column(s) note"),
        (
            HEADER + "\nA,B,answered,2021-01-01,yes,no,false,no,,,,surplus\n",
            "coded.csv: line 2: has 12 cells but the header has 11",
        ),
        (
            HEADER + "\n,B,answered,2021-01-01,yes,no,false,no,,,\n",
            "coded.csv: line 2: authority is empty",
        ),
        (
            HEADER + "\nA,B,answered,2021-02-30,yes,no,false,no,,,\n",
            "coded.csv: line 2: responded_on '2021-02-30' is not a date YYYY-MM-DD",
        ),
        (
            HEADER + "\nA,B,answered,2021-02-03,yes,no,maybe,no,,,\n",
            "coded.csv: line 2: hikvision_or_dahua_unspecified 'maybe' is not one of true, false",
        ),
        (
            HEADER + '\nA,B,answered,2021-02-03,yes,no,false,no,,,"open quote\n',
            "coded.csv: line 2: malformed CSV (an unclosed quote, a NUL byte or an oversized field)",
        ),
    ],
)
def test_unusable_files_are_refused_clearly(text: str, message: str) -> None:
    with pytest.raises(CodedInputError) as caught:
        parse_coded_csv(text, source="coded.csv")
    assert str(caught.value) == message


def test_outcome_cannot_be_left_empty() -> None:
    with pytest.raises(CodedInputError) as caught:
        parse_coded_csv(HEADER + "\nA,B,,,,,,,,,\n", source="c.csv")
    assert (
        str(caught.value)
        == "c.csv: line 2: outcome '' is not one of answered, refused, not_held, not_delivered, awaiting, no_response"
    )


def test_unreadable_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(CodedInputError) as caught:
        read_coded_csv(tmp_path / "missing.csv")
    assert (
        str(caught.value)
        == f"{tmp_path / 'missing.csv'}: cannot be read (No such file or directory)"
    )
    latin = tmp_path / "latin.csv"
    latin.write_bytes((HEADER + "\nM\xe9rton,B,answered,,no,no,false,no,,,\n").encode("latin-1"))
    with pytest.raises(CodedInputError) as caught:
        read_coded_csv(latin)
    assert str(caught.value) == f"{latin}: line 2: is not UTF-8 text (byte 141)"


def test_as_of_turns_a_later_answer_into_no_response() -> None:
    late, early, refused_late, undated = parse_coded_csv(
        HEADER + "\n"
        "Late,A,answered,2021-03-01,yes,yes,true,past,12,3,kept note\n"
        "Early,A,answered,2021-02-01,yes,no,false,no,,,\n"
        "Slow,A,refused,2021-02-02,unknown,unknown,false,unknown,,,\n"
        "Undated,A,refused,,unknown,unknown,false,unknown,,,\n"
    )
    cutoff = dt.date(2021, 2, 1)
    masked = late.as_of(cutoff)
    assert masked.outcome == "no_response"
    assert (masked.hikvision, masked.dahua, masked.facial_recognition) == ("unknown",) * 3
    assert masked.hikvision_or_dahua_unspecified is False
    assert (masked.hikvision_devices, masked.dahua_devices, masked.responded_on) == (None,) * 3
    assert masked.note == "kept note"
    assert early.as_of(cutoff) is early  # answered on the day itself: counted
    assert refused_late.as_of(cutoff).outcome == "no_response"
    assert undated.as_of(cutoff) is undated
    assert late.as_of(None) is late

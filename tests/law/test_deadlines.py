"""Golden due dates, each counted by hand from the published bank-holiday lists."""

from datetime import date

import pytest

from sightline.law import (
    BankHolidayCalendar,
    DeadlineError,
    DeadlineStatus,
    deadline_status,
    due_date,
    is_working_day,
    working_days_elapsed,
)

GOLDEN = [
    # (law, received, working days, due) with the day that makes the case
    # Christmas on a weekend (25-26 Dec 2021 Sat-Sun, substitutes 27-28 Dec; 3-4 Jan 2022)
    ("foia", date(2021, 12, 17), 20, date(2022, 1, 20)),
    ("foisa", date(2021, 12, 17), 20, date(2022, 1, 20)),
    # Christmas on a Sunday (2022): Boxing Day Mon 26, Christmas substitute Tue 27; 2-3 Jan 2023
    ("foia", date(2022, 12, 16), 20, date(2023, 1, 19)),
    ("foisa", date(2022, 12, 16), 20, date(2023, 1, 19)),
    # Easter 2023: Good Friday 7 Apr everywhere; Easter Monday 10 Apr not in Scotland
    ("foia", date(2023, 4, 3), 20, date(2023, 5, 4)),
    ("eir", date(2023, 4, 3), 20, date(2023, 5, 4)),
    ("foisa", date(2023, 4, 3), 20, date(2023, 5, 3)),
    ("eisr", date(2023, 4, 3), 20, date(2023, 5, 3)),
    # St Andrew's Day (Wed 30 Nov 2022) stops an English authority's clock too
    ("foia", date(2022, 11, 25), 20, date(2022, 12, 28)),
    ("foisa", date(2022, 11, 25), 20, date(2022, 12, 28)),
    # 12 July 2023 (Battle of the Boyne, Northern Ireland) skipped by FOIA, not by FOISA
    ("foia", date(2023, 7, 3), 20, date(2023, 8, 1)),
    ("foisa", date(2023, 7, 3), 20, date(2023, 7, 31)),
    # 2 January 2020 (Thursday, Scotland) skipped by both
    ("foia", date(2019, 12, 20), 20, date(2020, 1, 23)),
    ("foisa", date(2019, 12, 20), 20, date(2020, 1, 23)),
    # St Patrick's Day (Fri 17 Mar 2023) and Easter Monday: FOIA only
    ("foia", date(2023, 3, 10), 20, date(2023, 4, 12)),
    ("foisa", date(2023, 3, 10), 20, date(2023, 4, 10)),
    # State funeral of Queen Elizabeth II, Mon 19 Sep 2022 (one-off, all nations)
    ("foia", date(2022, 9, 12), 20, date(2022, 10, 11)),
    ("foisa", date(2022, 9, 12), 20, date(2022, 10, 11)),
    # Coronation of King Charles III, Mon 8 May 2023 (one-off), with 1 and 29 May
    ("foia", date(2023, 4, 28), 20, date(2023, 5, 31)),
    ("foisa", date(2023, 4, 28), 20, date(2023, 5, 31)),
    # extension to 40 working days (EIR reg.7(1)) over the same weeks
    ("eir", date(2023, 4, 28), 40, date(2023, 6, 28)),
    # received on a Saturday: day one is still the first working day after receipt (Mon 6 Mar)
    ("foia", date(2023, 3, 4), 1, date(2023, 3, 6)),
]


@pytest.mark.parametrize(("law", "received", "days", "due"), GOLDEN)
def test_golden_due_dates(law, received, days, due):
    assert due_date(law, received, days).due == due


def test_skipped_days_name_the_reason_and_nation():
    result = due_date("foia", date(2021, 12, 17))
    assert [(s.day, s.reason) for s in result.skipped] == [
        (date(2021, 12, 27), "Christmas Day (substitute day) (all UK nations)"),
        (date(2021, 12, 28), "Boxing Day (substitute day) (all UK nations)"),
        (date(2022, 1, 3), "New Year's Day (substitute day) (all UK nations)"),
        (date(2022, 1, 4), "New Year Holiday (substitute day) (Scotland)"),
    ]


def test_foia_lists_northern_irish_and_scottish_days_with_their_nation():
    skipped = {s.day: s.reason for s in due_date("foia", date(2023, 3, 10)).skipped}
    assert skipped == {
        date(2023, 3, 17): "St Patrick's Day (Northern Ireland)",
        date(2023, 4, 7): "Good Friday (all UK nations)",
        date(2023, 4, 10): "Easter Monday (England, Wales, Northern Ireland)",
    }


def test_foisa_skips_only_scottish_days():
    skipped = {s.day: s.reason for s in due_date("foisa", date(2022, 11, 25)).skipped}
    assert skipped == {
        date(2022, 11, 30): "St Andrew's Day (Scotland)",
        date(2022, 12, 26): "Boxing Day (Scotland)",
        date(2022, 12, 27): "Christmas Day (substitute day) (Scotland)",
    }


def test_christmas_day_on_a_weekday_is_skipped_by_name():
    skipped = {s.day: s.reason for s in due_date("foia", date(2023, 12, 20)).skipped}
    assert skipped[date(2023, 12, 25)] == "Christmas Day"


def test_to_json_has_the_contract_keys():
    data = due_date("foisa", date(2022, 11, 25)).to_json()
    assert data["law"] == "foisa"
    assert data["received"] == "2022-11-25"
    assert data["due"] == "2022-12-28"
    assert data["working_days"] == 20
    assert data["skipped"][0] == {"date": "2022-11-30", "reason": "St Andrew's Day (Scotland)"}


@pytest.mark.parametrize(
    ("days", "message"),
    [
        (0, "working days must be between 1 and 400, not 0"),
        (401, "working days must be between 1 and 400, not 401"),
    ],
)
def test_refuses_impossible_day_counts(days, message):
    with pytest.raises(DeadlineError) as error:
        due_date("foia", date(2023, 1, 9), days)
    assert str(error.value) == message


def test_refuses_dates_before_the_right_of_access():
    with pytest.raises(DeadlineError) as error:
        due_date("foia", date(2004, 12, 31))
    assert str(error.value) == "2004-12-31 is before the right of access began (2005-01-01)"


def test_overrides_add_a_proclaimed_day_the_package_lacks():
    calendar = BankHolidayCalendar(
        '[[add]]\ndate = "2031-06-10"\nname = "Imagined Jubilee"\n'
        'nations = ["scotland"]\nsource = "test"\n'
    )
    assert not is_working_day("foia", date(2031, 6, 10), calendar)
    assert not is_working_day("foisa", date(2031, 6, 10), calendar)
    assert is_working_day("foia", date(2031, 6, 10))  # the built-in calendar has no such day
    skipped = due_date("foia", date(2031, 6, 9), 1, calendar).skipped
    assert [(s.day, s.reason) for s in skipped] == [
        (date(2031, 6, 10), "Imagined Jubilee (Scotland)")
    ]


def test_overrides_remove_a_day():
    calendar = BankHolidayCalendar(
        '[[remove]]\ndate = "2023-07-12"\nnations = ["northern_ireland"]\nsource = "test"\n'
    )
    assert due_date("foia", date(2023, 7, 3), 20, calendar).due == date(2023, 7, 31)


def test_calendar_version_changes_with_overrides():
    assert BankHolidayCalendar("").version != BankHolidayCalendar().version


def test_working_days_elapsed_counts_from_the_day_after_receipt():
    assert working_days_elapsed("foia", date(2021, 12, 17), date(2022, 1, 20)) == 20
    assert working_days_elapsed("foia", date(2021, 12, 17), date(2021, 12, 17)) == 0


def test_deadline_status():
    received = date(2023, 4, 28)  # 20th working day 31 May, 40th 28 June (FOIA)
    assert deadline_status("foia", received, date(2023, 5, 31)) is DeadlineStatus.IN_TIME
    assert deadline_status("foia", received, date(2023, 6, 1)) is DeadlineStatus.OVERDUE
    assert deadline_status("foia", received, date(2023, 6, 28)) is DeadlineStatus.OVERDUE
    assert deadline_status("foia", received, date(2023, 6, 29)) is DeadlineStatus.LONG_OVERDUE
    assert (
        deadline_status("foia", received, date(2023, 6, 1), extended=True) is DeadlineStatus.IN_TIME
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[[add]]\ndate = "2031-06-10"\nname = "Day"\nsource = "test"\n',
            "overrides: [[add]] entry 1: lacks 'nations'",
        ),
        (
            '[[remove]]\ndate = "2031-13-10"\nnations = ["wales"]\nsource = "test"\n',
            "overrides: [[remove]] entry 1: date '2031-13-10' is not YYYY-MM-DD",
        ),
    ],
)
def test_overrides_that_cannot_be_used_are_refused_clearly(text: str, message: str) -> None:
    from sightline.law.calendar import OverridesError

    with pytest.raises(OverridesError) as error:
        BankHolidayCalendar(text)
    assert str(error.value) == message

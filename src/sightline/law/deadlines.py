"""Statutory due dates and overdue status.

FOIA s.10(1), EIR reg.5(2), FOISA s.10(1) and EISR reg.5(2): the answer is due no later than the
twentieth working day *following* the date of receipt, so day one is the first working day after
the day the request arrived, whatever day that was (the date of receipt need not be a working day).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any

from sightline.errors import SightlineError
from sightline.law.calendar import BankHolidayCalendar, default_calendar
from sightline.law.laws import Law, rules_for

# FOIA and FOISA rights of access came into force on 1 January 2005 (FOIA s.87(3) order; FOISA s.75).
EARLIEST_RECEIPT = date(2005, 1, 1)
MAX_WORKING_DAYS = 400


class DeadlineError(SightlineError, ValueError):
    pass


@dataclass(frozen=True)
class SkippedDay:
    day: date
    reason: str


@dataclass(frozen=True)
class DueDate:
    """A computed due date and how it was computed."""

    law: Law
    received: date
    due: date
    working_days: int
    skipped: tuple[SkippedDay, ...] = field(default_factory=tuple)
    calendar_version: str = ""

    def to_json(self) -> dict[str, Any]:
        """The shape of docs/formats.md (due dates)."""
        return {
            "law": self.law.value,
            "received": self.received.isoformat(),
            "due": self.due.isoformat(),
            "working_days": self.working_days,
            "skipped": [{"date": s.day.isoformat(), "reason": s.reason} for s in self.skipped],
            "calendar_version": self.calendar_version,
        }


def _is_weekend(day: date) -> bool:
    return day.weekday() >= 5


def due_date(
    law: Law | str,
    received: date,
    working_days: int | None = None,
    calendar: BankHolidayCalendar | None = None,
) -> DueDate:
    """The ``working_days``-th working day after ``received`` under ``law`` (default 20)."""
    rules = rules_for(law)
    days = rules.response_days if working_days is None else working_days
    if days < 1 or days > MAX_WORKING_DAYS:
        raise DeadlineError(f"working days must be between 1 and {MAX_WORKING_DAYS}, not {days}")
    if received < EARLIEST_RECEIPT:
        raise DeadlineError(
            f"{received.isoformat()} is before the right of access began (2005-01-01)"
        )
    if calendar is None:  # the usual case: worked out once per law, day and length
        return _default_due_date(rules.law, received, days)
    return _count(rules.law, received, days, calendar)


@lru_cache(maxsize=8192)
def _default_due_date(law: Law, received: date, days: int) -> DueDate:
    return _count(law, received, days, default_calendar())


def _count(law: Law, received: date, days: int, calendar: BankHolidayCalendar) -> DueDate:
    rules = rules_for(law)
    counted = 0
    day = received
    skipped: list[SkippedDay] = []
    while counted < days:
        day += timedelta(days=1)
        if _is_weekend(day):
            continue
        reason = calendar.closure_reason(day, rules.holiday_scope)
        if reason is not None:
            skipped.append(SkippedDay(day, reason))
            continue
        counted += 1
    return DueDate(rules.law, received, day, days, tuple(skipped), calendar.version)


def is_working_day(law: Law | str, day: date, calendar: BankHolidayCalendar | None = None) -> bool:
    calendar = calendar or default_calendar()
    return not _is_weekend(day) and (
        calendar.closure_reason(day, rules_for(law).holiday_scope) is None
    )


def working_days_elapsed(
    law: Law | str, received: date, today: date, calendar: BankHolidayCalendar | None = None
) -> int:
    """How many working days have passed since receipt, counting ``today`` if it is one."""
    count = 0
    day = received
    while day < today:
        day += timedelta(days=1)
        if is_working_day(law, day, calendar):
            count += 1
    return count


class DeadlineStatus(StrEnum):
    IN_TIME = "in_time"
    OVERDUE = "overdue"  # past the 20th working day (or the extended limit)
    LONG_OVERDUE = "long_overdue"  # past the 40th working day


def deadline_status(
    law: Law | str,
    received: date,
    today: date,
    extended: bool = False,
    calendar: BankHolidayCalendar | None = None,
) -> DeadlineStatus:
    """Where an unanswered request stands on ``today``."""
    if calendar is None:
        # Campaigns send most requests on a few days: the default calendar's answers are cached.
        return _default_status(rules_for(law).law, received, today, extended)
    return _status(law, received, today, extended, calendar)


@lru_cache(maxsize=4096)
def _default_status(law: Law, received: date, today: date, extended: bool) -> DeadlineStatus:
    return _status(law, received, today, extended, default_calendar())


def _status(
    law: Law | str, received: date, today: date, extended: bool, calendar: BankHolidayCalendar
) -> DeadlineStatus:
    rules = rules_for(law)
    limit = rules.extended_days if extended else rules.response_days
    if today <= due_date(law, received, limit, calendar).due:
        return DeadlineStatus.IN_TIME
    if today <= due_date(law, received, rules.extended_days, calendar).due:
        return DeadlineStatus.OVERDUE
    return DeadlineStatus.LONG_OVERDUE


def review_status(
    law: Law | str, asked: date, today: date, calendar: BankHolidayCalendar | None = None
) -> DeadlineStatus:
    """Where an internal review asked for on ``asked`` stands on ``today``: in time up to its
    limit (FOISA s.21(1), EISR reg.16(4): 20 working days; EIR reg.11(4): 40; FOIA, the s.45
    Code: 20), overdue up to the most it may take (the Code's 40 for FOIA), long overdue after."""
    rules = rules_for(law)
    if today <= due_date(law, asked, rules.review_days, calendar).due:
        return DeadlineStatus.IN_TIME
    if today <= due_date(law, asked, rules.review_max_days, calendar).due:
        return DeadlineStatus.OVERDUE
    return DeadlineStatus.LONG_OVERDUE

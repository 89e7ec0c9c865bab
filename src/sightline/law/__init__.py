"""Access-to-information laws, working days and due dates (plain Python, no web framework)."""

from sightline.law.calendar import BankHolidayCalendar, default_calendar
from sightline.law.deadlines import (
    DeadlineError,
    DeadlineStatus,
    DueDate,
    SkippedDay,
    deadline_status,
    due_date,
    is_working_day,
    review_status,
    working_days_elapsed,
)
from sightline.law.laws import (
    LAWS,
    Law,
    LawRules,
    UnknownLawError,
    law_for_nation,
    parse_law,
    rules_for,
)

__all__ = [
    "LAWS",
    "BankHolidayCalendar",
    "DeadlineError",
    "DeadlineStatus",
    "DueDate",
    "Law",
    "LawRules",
    "SkippedDay",
    "UnknownLawError",
    "deadline_status",
    "default_calendar",
    "due_date",
    "is_working_day",
    "law_for_nation",
    "parse_law",
    "review_status",
    "rules_for",
    "working_days_elapsed",
]

"""Cell values as councils and publishers write them: amounts with pound signs, thousands
separators and credit marks, UK day-first dates, currencies and Companies House numbers."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

_NUMBER = re.compile(r"^\d+(\.\d+)?$|^\.\d+$")
_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")
# Companies House numbers: 8 digits, or a two-letter register prefix (SC Scotland, NI Northern
# Ireland, OC LLPs...) and 6 digits. Publishers often drop the leading zeros.
_COMPANY = re.compile(r"^([A-Z]{2})?(\d{1,8})$")
COMPANY_PREFIXES = frozenset(
    [
        "SC",
        "NI",
        "OC",
        "SO",
        "NC",
        "FC",
        "SF",
        "NF",
        "NL",
        "IP",
        "SP",
        "RC",
        "SR",
        "LP",
        "SL",
        "NP",
        "GE",
        "SE",
        "ZC",
        "SZ",
        "IC",
        "SI",
        "NV",
        "CE",
        "CS",
        "RS",
        "NO",
    ]
)

DATE_FORMATS = (
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d/%m/%y",
    "%d-%m-%Y",
    "%d-%m-%y",
    "%d.%m.%Y",
    "%d %b %Y",
    "%d %B %Y",
    "%d-%b-%Y",
    "%d-%b-%y",
    "%d %b %y",
    "%d/%b/%Y",
    "%Y/%m/%d",
)
EXCEL_EPOCH = dt.date(1899, 12, 30)
EXCEL_SERIAL_RANGE = (30000, 80000)
# ISO 4217 codes a UK publisher plausibly uses; anything else is reported as unknown.
KNOWN_CURRENCIES = frozenset({"GBP", "EUR", "USD", "CHF", "SEK", "NOK", "DKK", "PLN", "CNY", "JPY"})


class ValueProblem(ValueError):
    """A cell that cannot be read as what its column says it is."""


PENNY = Decimal("0.01")


_PLAIN = re.compile(r"^-?\d{1,15}(\.\d{1,2})?$")
_POUNDS = re.compile(r"^(-?)£?(\d{1,3}(?:,\d{3})*|\d+)(\.\d{1,2})?$")


def parse_amount(value: object) -> Decimal:
    """``£1,234.50``, ``-500``, ``(500.00)``, ``500.00 CR``, a spreadsheet number -> Decimal
    pounds to the penny, half up (a spreadsheet's 1234.5600000001 is 1234.56).

    Parentheses, a trailing minus and ``CR`` mark credits (negative amounts).
    """
    if isinstance(value, str):
        text = value.strip()
        if _PLAIN.match(text):  # the common case first: "1234.50", "-250"
            return Decimal(text).quantize(PENNY)
        pounds = _POUNDS.match(text)
        if pounds:  # "£1,234.50"
            sign, whole, pence = pounds.groups()
            return Decimal(f"{sign}{whole.replace(',', '')}{pence or ''}").quantize(PENNY)
    amount = _exact_amount(value)
    if not amount.is_finite():
        raise ValueProblem(f"amount {value!r} is not a number")
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


def _exact_amount(value: object) -> Decimal:
    if isinstance(value, bool):
        raise ValueProblem(f"amount {value!r} is not a number")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))  # shortest repr: 1234.5 stays 1234.5
    text = str(value or "").strip()
    original = text
    if not text:
        raise ValueProblem("no amount")
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1].strip()
    upper = text.upper()
    if upper.endswith("CR"):
        negative, text = True, text[:-2].strip()
    elif upper.endswith("DR"):
        text = text[:-2].strip()
    if text.endswith("-"):
        negative, text = True, text[:-1].strip()
    if text.startswith("-"):
        negative, text = not negative, text[1:].strip()
    text = text.replace("£", "").replace("\u00a0", " ").strip()
    if text.upper().startswith("GBP"):
        text = text[3:].strip()
    if text.startswith("-"):  # -£500 and £-500
        negative, text = not negative, text[1:].strip()
    text = text.replace(" ", "")
    if _GROUPED.match(text):
        text = text.replace(",", "")
    if not _NUMBER.match(text):
        raise ValueProblem(f"amount {original!r} is not a number")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueProblem(f"amount {original!r} is not a number") from None
    return -amount if negative else amount


def parse_date(value: object) -> dt.date:
    """A spreadsheet date, an ISO date or timestamp, or a UK day-first date."""
    if isinstance(value, str):
        return _date_text(value)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A spreadsheet date cell without a date format: days since 1899-12-30 (Excel's epoch,
        # which absorbs its fictitious 29 February 1900); 1982 to 2119 only, to refuse amounts.
        if EXCEL_SERIAL_RANGE[0] <= value < EXCEL_SERIAL_RANGE[1] and float(value).is_integer():
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise ValueProblem(f"date {value!r} is not a date")
    return _date_text(str(value or ""))


_DAY_FIRST = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


@lru_cache(maxsize=8192)  # a year of payments has a few hundred distinct dates
def _date_text(value: str) -> dt.date:
    text = value.strip()
    if not text:
        raise ValueProblem("no date")
    day_first = _DAY_FIRST.match(text)
    if day_first:
        day, month, year = (int(part) for part in day_first.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise ValueProblem(f"date {text!r} is not a date") from None
    candidate = text
    if re.match(r"^\d{4}-\d{2}-\d{2}[T ]", text):
        candidate = text[:10]  # an ISO timestamp: the day it names
    elif re.match(r"^\d{1,2}/\d{1,2}/\d{2,4} \d{1,2}:\d{2}", text):
        candidate = text.split(" ")[0]
    for pattern in DATE_FORMATS:
        try:
            return dt.datetime.strptime(candidate, pattern).date()
        except ValueError:
            continue
    raise ValueProblem(f"date {text!r} is not a date")


def parse_currency(value: object) -> str:
    """An ISO 4217 code (``GBP``; ``£`` is read as GBP); unknown codes are refused."""
    text = str(value or "").strip().upper()
    if text in ("", "£", "GBP", "STERLING", "POUNDS"):
        return "GBP"
    if text in KNOWN_CURRENCIES:
        return text
    raise ValueProblem(f"unknown currency {str(value).strip()!r}")


def company_number(value: object) -> str:
    """A Companies House number zero-padded to 8 characters (``557725`` -> ``00557725``,
    ``SC53003`` -> ``SC053003``); an empty string when the text is not one."""
    text = re.sub(r"[\s.-]", "", str(value or "")).upper()
    match = _COMPANY.match(text)
    if not match:
        return ""
    prefix, digits = match.group(1) or "", match.group(2)
    if prefix and prefix not in COMPANY_PREFIXES:
        return ""  # e.g. GB123456789 is a VAT number, not a company
    width = 8 - len(prefix)
    if len(digits) > width or int(digits) == 0:
        return ""
    return prefix + digits.zfill(width)


def financial_year(date: dt.date) -> str:
    """UK public-sector financial year, 1 April to 31 March: 2021-04-01 -> ``2021-22``."""
    start = date.year if date.month >= 4 else date.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def format_pounds(amount: Decimal) -> str:
    """``£1,234.50``; whole pounds without pence (``£492,000``); credits as ``-£500``."""
    sign = "-" if amount < 0 else ""
    value = abs(amount)
    if value == value.to_integral_value():
        return f"{sign}£{int(value):,}"
    return f"{sign}£{value.quantize(Decimal('0.01')):,}"

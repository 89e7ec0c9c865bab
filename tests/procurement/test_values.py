"""Amounts, dates, currencies, Companies House numbers and financial years."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from sightline.procurement.values import (
    ValueProblem,
    company_number,
    financial_year,
    format_pounds,
    parse_amount,
    parse_currency,
    parse_date,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("£1,234.50", "1234.50"),
        ("1234", "1234.00"),
        ("(500.00)", "-500.00"),
        ("500.00 CR", "-500.00"),
        ("500.00-", "-500.00"),
        ("-£1,000", "-1000.00"),
        ("£-1,000", "-1000.00"),
        ("GBP 2,500", "2500.00"),
        ("£\u00a01\u00a0234.56", "1234.56"),
        (1234.5600000001, "1234.56"),
        (800, "800.00"),
    ],
)
def test_amounts(text: object, expected: str) -> None:
    assert parse_amount(text) == Decimal(expected)
    assert str(parse_amount(text)) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "amount 'abc' is not a number"),
        ("12,34", "amount '12,34' is not a number"),
        ("", "no amount"),
        ("1.2.3", "amount '1.2.3' is not a number"),
        (float("nan"), "amount nan is not a number"),
    ],
)
def test_bad_amounts(text: object, message: str) -> None:
    with pytest.raises(ValueProblem) as error:
        parse_amount(text)
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-04-01", dt.date(2021, 4, 1)),
        ("2021-04-01T12:00:00Z", dt.date(2021, 4, 1)),
        ("01/04/2021", dt.date(2021, 4, 1)),
        ("1/4/21", dt.date(2021, 4, 1)),
        ("01-Apr-2021", dt.date(2021, 4, 1)),
        ("1 April 2021", dt.date(2021, 4, 1)),
        ("01.04.2021", dt.date(2021, 4, 1)),
        ("01/04/2021 00:00:00", dt.date(2021, 4, 1)),
        (dt.datetime(2021, 4, 1, 9, 30), dt.date(2021, 4, 1)),
        (44287, dt.date(2021, 4, 1)),  # a spreadsheet serial number
        (44287.0, dt.date(2021, 4, 1)),
    ],
)
def test_dates_are_day_first(text: object, expected: dt.date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31/02/2022", "date '31/02/2022' is not a date"),
        (1250.5, "date 1250.5 is not a date"),
        (44287.5, "date 44287.5 is not a date"),
        ("", "no date"),
    ],
)
def test_bad_dates(value: object, message: str) -> None:
    with pytest.raises(ValueProblem) as error:
        parse_date(value)
    assert str(error.value) == message


def test_currencies() -> None:
    assert [parse_currency(v) for v in ("", "£", "gbp", "EUR")] == ["GBP", "GBP", "GBP", "EUR"]
    with pytest.raises(ValueProblem) as error:
        parse_currency("Quatloos")
    assert str(error.value) == "unknown currency 'Quatloos'"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("557725", "00557725"),
        ("00557725", "00557725"),
        ("SC53003", "SC053003"),
        ("sc 268016", "SC268016"),
        ("OC123456", "OC123456"),
        ("GB123456789", ""),  # a VAT number
        ("123456789", ""),
        ("0", ""),
        ("", ""),
    ],
)
def test_company_numbers_are_padded_to_eight(text: str, expected: str) -> None:
    assert company_number(text) == expected


def test_financial_years_run_april_to_march() -> None:
    assert financial_year(dt.date(2021, 3, 31)) == "2020-21"
    assert financial_year(dt.date(2021, 4, 1)) == "2021-22"
    assert financial_year(dt.date(1999, 12, 31)) == "1999-00"


def test_format_pounds() -> None:
    assert format_pounds(Decimal("492000.00")) == "£492,000"
    assert format_pounds(Decimal("1234.5")) == "£1,234.50"
    assert format_pounds(Decimal("-500.00")) == "-£500"

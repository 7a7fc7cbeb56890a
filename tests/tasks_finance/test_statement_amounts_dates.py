"""Money amounts and statement dates (tasks_finance.statement_entities.amounts / dates)."""

from datetime import date
from decimal import Decimal

import pytest

from tasks_finance.statement_entities.amounts import (
    Money,
    decimal_comma_guess,
    decimal_mark,
    parse_amount,
)
from tasks_finance.statement_entities.dates import (
    date_at,
    day_first_guess,
    find_dates,
    full_year,
    parse_date,
)


@pytest.mark.parametrize(("text", "amount", "currency"), [
    ("12.00", "12.00", None),
    ("1,234.56", "1234.56", None),
    ("1.234,56", "1234.56", None),
    ("1 234,56", "1234.56", None),
    ("1\u00a0234,56", "1234.56", None),
    ("1 234 567.89", "1234567.89", None),
    ("1,234,567.89", "1234567.89", None),
    ("1.234.567,89", "1234567.89", None),
    ("1'234.50 CHF", "1234.50", "CHF"),
    ("12,50", "12.50", None),
    ("0,500", "0.500", None),
    ("$1,234.56", "1234.56", "USD"),
    ("£45.20", "45.20", "GBP"),
    ("€1.234,56", "1234.56", "EUR"),
    ("1.234,56 €", "1234.56", "EUR"),
    ("€ 12,50", "12.50", "EUR"),
    ("¥1,000", "1000", "JPY"),
    ("USD 1,234.56", "1234.56", "USD"),
    ("1 234,56 EUR", "1234.56", "EUR"),
    ("EUR1.234,56", "1234.56", "EUR"),
    ("12.00GBP", "12.00", "GBP"),
    ("C$12.00", "12.00", "CAD"),
    ("$12.00 USD", "12.00", "USD"),
    ("+12.00", "12.00", None),
    ("1234", "1234", None),
])
def test_positive_amounts_in_every_format(text, amount, currency):
    assert parse_amount(text) == Money(Decimal(amount), currency)


@pytest.mark.parametrize(("text", "amount", "currency"), [
    ("-12.00", "-12.00", None),
    ("\u221212.00", "-12.00", None),
    ("(12.00)", "-12.00", None),
    ("12.00-", "-12.00", None),
    ("12.00 DR", "-12.00", None),
    ("12.00DR", "-12.00", None),
    ("12.00 Dr", "-12.00", None),
    ("123.45 OD", "-123.45", None),
    ("12.00 CR", "12.00", None),
    ("-$12.00", "-12.00", "USD"),
    ("$-12.00", "-12.00", "USD"),
    ("($1,234.56)", "-1234.56", "USD"),
    ("£(45.20)", "-45.20", "GBP"),
    ("-1.234,56 €", "-1234.56", "EUR"),
    ("1.234,56- EUR", "-1234.56", "EUR"),
    ("12.00 USD DR", "-12.00", "USD"),
])
def test_negatives_and_credit_debit_marks(text, amount, currency):
    assert parse_amount(text) == Money(Decimal(amount), currency)


@pytest.mark.parametrize("text", [
    "1,234", "1.234", "€1.234",  # one separator before three digits: thousands or decimals?
])
def test_ambiguous_amounts_are_none_without_a_hint(text):
    assert parse_amount(text) is None


def test_ambiguous_amounts_follow_the_decimal_comma_flag():
    assert parse_amount("1,234", decimal_comma=False).amount == Decimal("1234")
    assert parse_amount("1,234", decimal_comma=True).amount == Decimal("1.234")
    assert parse_amount("1.234", decimal_comma=True).amount == Decimal("1234")
    assert parse_amount("1.234", decimal_comma=False).amount == Decimal("1.234")


def test_ambiguous_amounts_follow_the_currency_convention():
    assert parse_amount("$1,234") == Money(Decimal("1234"), "USD")
    assert parse_amount("£1,234") == Money(Decimal("1234"), "GBP")
    assert parse_amount("1.234 SEK") == Money(Decimal("1234"), "SEK")
    assert parse_amount("1,234", default_currency="GBP") == Money(Decimal("1234"), "GBP")
    assert parse_amount("1,234", default_currency="EUR") is None  # euro writes both ways


def test_a_settled_decimal_mark_wins_over_the_flag():
    assert parse_amount("1,234.56", decimal_comma=True).amount == Decimal("1234.56")
    assert parse_amount("12,50", decimal_comma=False).amount == Decimal("12.50")


@pytest.mark.parametrize("text", [
    "", "abc", "-", "$", "12..00", "1.2345", "1,23,456", "12,345,67.00", "1.234 567,89",
    "(12.00", "12.00)", "((12.00))", "-(12.00)", "(12.00) DR", "-12.00 CR", "12.00 DR CR",
    "--12.00", "$12.00 EUR", "£12.00 USD", "12.00 XYZ", "12 .00", "12.00 kg", "1e5",
])
def test_not_one_clear_amount_is_none(text):
    assert parse_amount(text) is None


def test_decimal_mark_and_the_document_guess():
    assert [decimal_mark(text) for text in ("1.234,56", "12.50", "12,50", "1,234", "14.03.25",
                                             "1,234,567", "TESCO")] == [",", ".", ",", None,
                                                                        None, None, None]
    assert decimal_comma_guess(["1.234,56", "12,50", "0,42", "14.03.2025"]) is True
    assert decimal_comma_guess(["1,234.56", "12.50", "03/14/2025"]) is False
    assert decimal_comma_guess(["12.50", "12,50"]) is None
    assert decimal_comma_guess(["1,234", "TESCO"]) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("2025-03-14", date(2025, 3, 14)),
    ("2025/03/14", date(2025, 3, 14)),
    ("03/14/2025", date(2025, 3, 14)),  # 14 cannot be a month
    ("14/03/2025", date(2025, 3, 14)),
    ("14/03/25", date(2025, 3, 14)),
    ("14-03-2025", date(2025, 3, 14)),
    ("14.03.25", date(2025, 3, 14)),
    ("14.03.2025", date(2025, 3, 14)),
    ("03/03/2025", date(2025, 3, 3)),  # both orders agree
    ("14 Mar 2025", date(2025, 3, 14)),
    ("14 March 2025", date(2025, 3, 14)),
    ("14th March, 2025", date(2025, 3, 14)),
    ("14-Mar-2025", date(2025, 3, 14)),
    ("14-MAR-25", date(2025, 3, 14)),
    ("14MAR25", date(2025, 3, 14)),
    ("Mar 14, 2025", date(2025, 3, 14)),
    ("March 14 2025", date(2025, 3, 14)),
    ("Sept 1, 2025", date(2025, 9, 1)),
    ("  14 Mar 2025 ", date(2025, 3, 14)),
])
def test_dates_with_a_year(text, expected):
    assert parse_date(text) == expected


def test_ambiguous_numeric_dates_need_the_day_first_flag():
    assert parse_date("03/04/2025") is None
    assert parse_date("03/04/2025", day_first=True) == date(2025, 4, 3)
    assert parse_date("03/04/2025", day_first=False) == date(2025, 3, 4)
    assert parse_date("04-03-25", day_first=True) == date(2025, 3, 4)


def test_numbers_settle_the_order_whatever_the_flag_says():
    assert parse_date("14/03/2025", day_first=False) == date(2025, 3, 14)
    assert parse_date("03/14/2025", day_first=True) == date(2025, 3, 14)


def test_dotted_dates_default_to_day_first():
    assert parse_date("03.04.2025") == date(2025, 4, 3)
    assert parse_date("03.04.2025", day_first=False) == date(2025, 3, 4)


@pytest.mark.parametrize(("text", "expected"), [
    ("Mar 14", date(2024, 3, 14)),
    ("14 Mar", date(2024, 3, 14)),
    ("14/03", date(2024, 3, 14)),
    ("14.03.", date(2024, 3, 14)),
    ("29 Feb", date(2024, 2, 29)),
])
def test_year_less_dates_take_the_callers_year(text, expected):
    assert parse_date(text, year=2024) == expected
    assert parse_date(text) is None


def test_a_written_year_wins_over_the_callers_year():
    assert parse_date("14 Mar 2025", year=2020) == date(2025, 3, 14)


@pytest.mark.parametrize("text", [
    "31/02/2025", "32/01/2025", "13/13/2025", "2025-13-01", "29 Feb 2025", "14-03", "14.03",
    "12.50", "1,234.56", "Mar", "14 Marchly 2025", "2025", "14/03/", "",
])
def test_not_dates(text):
    assert parse_date(text, day_first=True, year=2025) is None


def test_two_digit_years():
    assert (full_year("25"), full_year("69"), full_year("70"), full_year("98")) == (
        2025, 2069, 1970, 1998)
    assert parse_date("01/02/98", day_first=True) == date(1998, 2, 1)


def test_find_dates_in_text():
    text = "Statement period: 1 March 2025 to 31/03/2025, paid 12.50 on Mar 3"
    found = find_dates(text, day_first=True)
    assert [(match.text, match.date, match.has_year) for match in found] == [
        ("1 March 2025", date(2025, 3, 1), True), ("31/03/2025", date(2025, 3, 31), True)]
    with_year = find_dates(text, day_first=True, year=2025)
    assert [match.text for match in with_year] == ["1 March 2025", "31/03/2025", "Mar 3"]
    assert with_year[-1].has_year is False
    assert text[with_year[1].start:with_year[1].end] == "31/03/2025"


def test_date_at_reads_only_at_the_position():
    line = "14 Mar 2025  TESCO STORES  45.20"
    assert date_at(line).date == date(2025, 3, 14)
    assert date_at(line).end == len("14 Mar 2025")
    assert date_at(line, 3) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("01/03/2025 ... 14/03/2025 ... 31/03/2025", True),
    ("03/01/2025 ... 03/14/2025 ... 03/31/2025", False),
    ("03/01/2025 ... 04/02/2025", None),  # nothing settles it
    ("14/03/2025 ... 03/14/2025", None),  # the document contradicts itself
    ("14.03.25 and 01.04.25", True),
    ("01/03/2025 Sort code: 20-12-34 02/03/2025", None),  # a sort code is not a date
    ("no dates here 12.50 1,234", None),
])
def test_day_first_guess_from_a_documents_dates(text, expected):
    assert day_first_guess(text) is expected

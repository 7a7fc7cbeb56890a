"""Statement lines and whole statements -> transactions
(tasks_finance.statement_entities.lines; pure functions, statements written for the tests)."""

from decimal import Decimal

import pytest

from tasks_finance.statement_entities.identifiers import mask_identifiers
from tasks_finance.statement_entities.lines import (
    Transaction,
    parse_statement_text,
    parse_transaction_line,
    statement_format,
)

# A UK current account: debit/credit columns, year-less "03 Mar" dates (the year comes from
# the period line), same-day rows without a date, a page break with the header repeated,
# brought/carried forward rows, totals and a footer. The account number, sort code + account,
# IBANs and one full card number in it must come out masked; the Amazon order number (a
# 16-digit run that fails Luhn) must not.
UK_STATEMENT = """\
NORTHGATE BANK PLC                                               Classic Current Account
Ms Jane A Whitfield
14 Elm Grove, Leeds LS6 2AB

Account holder: Ms Jane A Whitfield
Sort code: 20-45-77        Account number: 41234567
IBAN: GB82 WEST 1234 5698 7654 32          BIC: WESTGB2L
Statement period: 1 March 2025 to 31 March 2025
Statement date: 2 April 2025

Date    Description                                                 Paid out     Paid in     Balance
01 Mar  BALANCE BROUGHT FORWARD                                                             1,842.17
03 Mar  CARD PAYMENT TO TESCO STORES 2041 ON 01 MAR                    45.20                1,796.97
        CARD PAYMENT TO PRET A MANGER ON 01 MAR                         6.85                1,790.12
04 Mar  DIRECT DEBIT BRITISH GAS                                       68.00                1,722.12
05 Mar  CASH WITHDRAWAL LLOYDS BANK LEEDS 05MAR                        50.00                1,672.12
07 Mar  FASTER PAYMENT FROM J SMITH REF DINNER                                     24.50    1,696.62
10 Mar  STANDING ORDER TO HOMELY LETTINGS REF FLAT 2                  950.00                  746.62
11 Mar  CARD PAYMENT TO SHELL LEEDS ROAD ON 10 MAR                     52.31                  694.31
12 Mar  DIRECT DEBIT VODAFONE LTD                                      32.00                  662.31
14 Mar  CARD PAYMENT TO AMAZON MKTPLACE ORDER 1234567812345678         23.99                  638.32
17 Mar  TRANSFER TO SAVINGS A/C 20-45-77 87654321                     100.00                  538.32

                                            Page 1 of 2

NORTHGATE BANK PLC                               Sort code: 20-45-77  Account: 41234567

Date    Description                                                 Paid out     Paid in     Balance
17 Mar  BALANCE BROUGHT FORWARD                                                               538.32
18 Mar  ATM WITHDRAWAL HSBC HEADINGLEY                                 20.00                  518.32
20 Mar  CARD PAYMENT TO NETFLIX.COM ON 19 MAR                          10.99                  507.33
21 Mar  REFUND FROM ARGOS LTD CARD 4539 1488 0343 6467                             15.00      522.33
25 Mar  BANK GIRO CREDIT ACME ANALYTICS LTD SALARY                              2,450.00    2,972.33
26 Mar  DIRECT DEBIT COUNCIL TAX LEEDS CC                             145.00                2,827.33
27 Mar  CARD PAYMENT TO SAINSBURYS S/MKTS ON 26 MAR                    61.47                2,765.86
        CARD PAYMENT TO GREGGS ON 26 MAR                                4.35                2,761.51
28 Mar  SEPA CREDIT DE89 3704 0044 0532 0130 00 MUELLER GMBH                      120.00    2,881.51
31 Mar  MONTHLY ACCOUNT FEE                                             3.00                2,878.51
31 Mar  INTEREST PAID                                                               0.42    2,878.93
31 Mar  BALANCE CARRIED FORWARD                                                             2,878.93

Total paid out: 1,573.16        Total paid in: 2,609.92
Arranged overdraft limit £500.00
Northgate Bank plc is authorised by the PRA. Registered in England No. 01234567.
                                            Page 2 of 2
"""

# (date, description, amount, balance, counterparty); every currency is GBP.
UK_EXPECTED = [
    ("2025-03-03", "CARD PAYMENT TO TESCO STORES 2041 ON 01 MAR", "-45.20", "1796.97",
     "tesco stores"),
    ("2025-03-03", "CARD PAYMENT TO PRET A MANGER ON 01 MAR", "-6.85", "1790.12",
     "pret a manger"),
    ("2025-03-04", "DIRECT DEBIT BRITISH GAS", "-68.00", "1722.12", "british gas"),
    ("2025-03-05", "CASH WITHDRAWAL LLOYDS BANK LEEDS 05MAR", "-50.00", "1672.12",
     "lloyds bank leeds"),
    ("2025-03-07", "FASTER PAYMENT FROM J SMITH REF DINNER", "24.50", "1696.62", "j smith"),
    ("2025-03-10", "STANDING ORDER TO HOMELY LETTINGS REF FLAT 2", "-950.00", "746.62",
     "homely lettings"),
    ("2025-03-11", "CARD PAYMENT TO SHELL LEEDS ROAD ON 10 MAR", "-52.31", "694.31",
     "shell leeds road"),
    ("2025-03-12", "DIRECT DEBIT VODAFONE LTD", "-32.00", "662.31", "vodafone ltd"),
    ("2025-03-14", "CARD PAYMENT TO AMAZON MKTPLACE ORDER 1234567812345678", "-23.99", "638.32",
     "amazon mktplace order"),
    ("2025-03-17", "TRANSFER TO SAVINGS A/C **-**-** ****4321", "-100.00", "538.32", "savings"),
    ("2025-03-18", "ATM WITHDRAWAL HSBC HEADINGLEY", "-20.00", "518.32", "hsbc headingley"),
    ("2025-03-20", "CARD PAYMENT TO NETFLIX.COM ON 19 MAR", "-10.99", "507.33", "netflix.com"),
    ("2025-03-21", "REFUND FROM ARGOS LTD CARD **** **** **** 6467", "15.00", "522.33",
     "argos ltd"),
    ("2025-03-25", "BANK GIRO CREDIT ACME ANALYTICS LTD SALARY", "2450.00", "2972.33",
     "acme analytics ltd salary"),
    ("2025-03-26", "DIRECT DEBIT COUNCIL TAX LEEDS CC", "-145.00", "2827.33",
     "council tax leeds cc"),
    ("2025-03-27", "CARD PAYMENT TO SAINSBURYS S/MKTS ON 26 MAR", "-61.47", "2765.86",
     "sainsburys s/mkts"),
    ("2025-03-27", "CARD PAYMENT TO GREGGS ON 26 MAR", "-4.35", "2761.51", "greggs"),
    ("2025-03-28", "SEPA CREDIT DE** **** **** **** **30 00 MUELLER GMBH", "120.00", "2881.51",
     "mueller gmbh"),
    ("2025-03-31", "MONTHLY ACCOUNT FEE", "-3.00", "2878.51", "monthly account fee"),
    ("2025-03-31", "INTEREST PAID", "0.42", "2878.93", "interest paid"),
]

# A US credit-union statement: month-first dates, one signed "Amount" column ("-$87.12",
# "($45.00)"), beginning/ending balance rows, and an account number in the header.
US_STATEMENT = """\
FIRST PRAIRIE CREDIT UNION                              Member Statement
John Q. Sample, 1200 Elm Street, Springfield IL 62704
Checking Account No. 000123456789
Statement Period: 03/01/2025 - 03/31/2025

Date        Description                                   Amount         Balance
03/01/2025  Beginning Balance                                           $2,310.44
03/03/2025  POS PURCHASE WHOLEFDS MKT #10234 CHICAGO IL       -$87.12     $2,223.32
03/05/2025  ACH DEBIT COMCAST CABLE 800-266-2278             -$129.99     $2,093.33
03/07/2025  ATM WITHDRAWAL 7-ELEVEN 3321 SPRINGFIELD         -$60.00     $2,033.33
03/14/2025  DIRECT DEPOSIT ACME CORP PAYROLL                $3,150.00     $5,183.33
03/17/2025  ZELLE TO MARIA GARCIA                            ($45.00)     $5,138.33
03/20/2025  CHECK 1042                                      -$1,850.00    $3,288.33
03/24/2025  VENMO CASHOUT                                      $40.00     $3,328.33
03/31/2025  Ending Balance                                              $3,328.33
"""

# A euro statement: dotted day-first dates, decimal comma, a space-grouped thousand, and an
# opening balance row without a date.
EU_STATEMENT = """\
Banque du Nord S.A.                       Compte courant (EUR)
Titulaire: Mme Claire Martin
IBAN: FR14 2004 1010 0505 0001 3M02 606
Statement period from 01.03.2025 to 31.03.2025

Date        Description                                      Amount        Balance
            Opening balance                                               2.000,00
03.03.2025  CARREFOUR MARKET 0451 PARIS                      -23,45       1.976,55
05.03.2025  VIREMENT SALAIRE DUPONT SA                      1 250,00      3.226,55
10.03.2025  PRLV SEPA EDF CLIENTS PARTICULIERS               -84,10       3.142,45
12.03.2025  RETRAIT DAB BNP PARIS 11                         -40,00       3.102,45
            Closing balance                                               3.102,45
"""

# Unsigned amounts (no header to say which are debits) over New Year: the running balance
# gives each sign, the period gives each year-less date its year.
NEW_YEAR_STATEMENT = """\
Statement period: 15 Dec 2024 to 14 Jan 2025
Opening balance 500.00
20 Dec  CARD PAYMENT TO JOHN LEWIS               120.00     380.00
24 Dec  TRANSFER FROM MUM                          50.00     430.00
03 Jan  DIRECT DEBIT OCTOPUS ENERGY               95.50     334.50
"""

HEADER = "Date        Description                 Paid out     Paid in      Balance"


def _rows(transactions):
    return [(t.date, t.description, str(t.amount), str(t.balance), t.counterparty)
            for t in transactions]


def test_the_uk_statement_parses_into_exactly_the_expected_transactions():
    transactions = parse_statement_text(UK_STATEMENT)
    assert _rows(transactions) == UK_EXPECTED
    assert {t.currency for t in transactions} == {"GBP"}
    assert all(isinstance(t.amount, Decimal) and isinstance(t.balance, Decimal)
               for t in transactions)


def test_the_uk_statement_raw_lines_are_the_masked_source_lines_in_order():
    masked_lines = [line.strip() for line in mask_identifiers(UK_STATEMENT).splitlines()]
    transactions = parse_statement_text(UK_STATEMENT)
    positions = [masked_lines.index(t.raw) for t in transactions]
    assert positions == sorted(positions) and len(set(positions)) == len(transactions)
    assert transactions[1].raw == ("CARD PAYMENT TO PRET A MANGER ON 01 MAR"
                                   "                         6.85                1,790.12")


def test_the_uk_statement_amounts_add_up_from_opening_to_closing_balance():
    transactions = parse_statement_text(UK_STATEMENT)
    assert Decimal("1842.17") + sum(t.amount for t in transactions) == Decimal("2878.93")
    assert sum(t.amount for t in transactions if t.amount < 0) == Decimal("-1573.16")
    assert sum(t.amount for t in transactions if t.amount > 0) == Decimal("2609.92")


def test_the_uk_statement_leaks_no_identifier_and_keeps_the_order_number():
    output = " ".join(f"{t.description} {t.raw} {t.counterparty}"
                      for t in parse_statement_text(UK_STATEMENT))
    for secret in ("41234567", "87654321", "4539", "1488 0343", "DE89", "3704 0044"):
        assert secret not in output
    assert "1234567812345678" in output


def test_the_uk_statement_format_is_inferred_from_the_document():
    line_format = statement_format(mask_identifiers(UK_STATEMENT))
    assert (line_format.year, line_format.currency, line_format.decimal_comma) == (
        2025, "GBP", False)
    assert (line_format.period.start.isoformat(), line_format.period.end.isoformat()) == (
        "2025-03-01", "2025-03-31")


def test_the_us_statement_reads_month_first_dates_and_signed_amounts():
    transactions = parse_statement_text(US_STATEMENT)
    assert _rows(transactions) == [
        ("2025-03-03", "POS PURCHASE WHOLEFDS MKT #10234 CHICAGO IL", "-87.12", "2223.32",
         "wholefds mkt chicago il"),
        ("2025-03-05", "ACH DEBIT COMCAST CABLE 800-266-2278", "-129.99", "2093.33",
         "comcast cable"),
        ("2025-03-07", "ATM WITHDRAWAL 7-ELEVEN 3321 SPRINGFIELD", "-60.00", "2033.33",
         "7-eleven springfield"),
        ("2025-03-14", "DIRECT DEPOSIT ACME CORP PAYROLL", "3150.00", "5183.33",
         "acme corp payroll"),
        ("2025-03-17", "ZELLE TO MARIA GARCIA", "-45.00", "5138.33", "zelle to maria garcia"),
        ("2025-03-20", "CHECK 1042", "-1850.00", "3288.33", "check"),
        ("2025-03-24", "VENMO CASHOUT", "40.00", "3328.33", "venmo cashout"),
    ]
    assert {t.currency for t in transactions} == {"USD"}
    assert statement_format(US_STATEMENT).day_first is False


def test_the_euro_statement_reads_decimal_commas_and_dotted_dates():
    transactions = parse_statement_text(EU_STATEMENT)
    assert _rows(transactions) == [
        ("2025-03-03", "CARREFOUR MARKET 0451 PARIS", "-23.45", "1976.55",
         "carrefour market paris"),
        ("2025-03-05", "VIREMENT SALAIRE DUPONT SA", "1250.00", "3226.55",
         "virement salaire dupont sa"),
        ("2025-03-10", "PRLV SEPA EDF CLIENTS PARTICULIERS", "-84.10", "3142.45",
         "prlv sepa edf clients particuliers"),
        ("2025-03-12", "RETRAIT DAB BNP PARIS 11", "-40.00", "3102.45",
         "retrait dab bnp paris 11"),
    ]
    assert {t.currency for t in transactions} == {"EUR"}
    assert statement_format(EU_STATEMENT).decimal_comma is True


def test_unsigned_amounts_take_their_sign_from_the_running_balance_over_new_year():
    transactions = parse_statement_text(NEW_YEAR_STATEMENT)
    assert [(t.date, str(t.amount), t.counterparty) for t in transactions] == [
        ("2024-12-20", "-120.00", "john lewis"),
        ("2024-12-24", "50.00", "mum"),
        ("2025-01-03", "-95.50", "octopus energy"),
    ]


def test_caller_arguments_override_the_statement_guesses():
    text = "03/04/2025 TESCO STORES 12.00\n05/04/2025 SHELL 30.00\n"
    assert parse_statement_text(text) == []  # nothing settles the order of 03/04
    assert [t.date for t in parse_statement_text(text, day_first=True)] == [
        "2025-04-03", "2025-04-05"]
    assert [t.date for t in parse_statement_text(text, day_first=False)] == [
        "2025-03-04", "2025-05-04"]
    assert [t.date for t in parse_statement_text("Mar 14 TESCO 12.00", year=2023)] == [
        "2023-03-14"]
    assert {t.date[:4] for t in parse_statement_text(NEW_YEAR_STATEMENT, year=2030)} == {"2030"}
    # Told the document uses a decimal point, "1 250,00" is no longer one space-grouped amount.
    euro_as_dot = parse_statement_text(EU_STATEMENT, decimal_comma=False)
    assert (euro_as_dot[1].description, euro_as_dot[1].amount) == (
        "VIREMENT SALAIRE DUPONT SA 1", Decimal("250.00"))


def test_a_dateless_line_outside_the_description_column_is_not_a_transaction():
    text = UK_STATEMENT.replace("        CARD PAYMENT TO GREGGS", "CARD PAYMENT TO GREGGS")
    descriptions = [t.description for t in parse_statement_text(text)]
    assert "CARD PAYMENT TO GREGGS ON 26 MAR" not in descriptions
    assert len(descriptions) == len(UK_EXPECTED) - 1


def test_a_signed_line_with_a_balance():
    assert parse_transaction_line("14/03/2025 TESCO STORES 2041 -45.20 1,234.56") == Transaction(
        date="2025-03-14", description="TESCO STORES 2041", amount=Decimal("-45.20"),
        currency=None, balance=Decimal("1234.56"), counterparty="tesco stores",
        raw="14/03/2025 TESCO STORES 2041 -45.20 1,234.56")


@pytest.mark.parametrize(("line", "date", "description", "amount", "currency", "balance"), [
    ("2025-03-14 NETFLIX.COM 10.99 DR", "2025-03-14", "NETFLIX.COM", "-10.99", None, None),
    ("14 Mar 2025  SALARY ACME LTD  2,450.00 CR  3,100.00", "2025-03-14", "SALARY ACME LTD",
     "2450.00", None, "3100.00"),
    ("14/03/2025 ZELLE TO J DOE ($45.00) $1,000.00", "2025-03-14", "ZELLE TO J DOE", "-45.00",
     "USD", "1000.00"),
    ("14/03/2025 SHELL 45.20- 954.80", "2025-03-14", "SHELL", "-45.20", None, "954.80"),
    ("14/03/2025 FX PURCHASE EUR 12.50", "2025-03-14", "FX PURCHASE", "12.50", "EUR", None),
    ("14-Mar-25 PAYPAL *EBAY 45.20 12.00 1,000.00", "2025-03-14", "PAYPAL *EBAY", "-33.20",
     None, "1000.00"),  # three cells without a header: out, in, balance
    ("14.03. 15.03. REWE SAGT DANKE 1234 -23,45", "2025-03-14", "REWE SAGT DANKE 1234",
     "-23.45", None, None),  # the value date is skipped; the year is the caller's
    ("14/03/2025 SAMSUNG ¥12,800", "2025-03-14", "SAMSUNG", "12800", "JPY", None),
])
def test_line_layouts(line, date, description, amount, currency, balance):
    found = parse_transaction_line(line, year=2025)
    assert (found.date, found.description, str(found.amount), found.currency,
            None if found.balance is None else str(found.balance)) == (
        date, description, amount, currency, balance)


def test_debit_and_credit_columns_follow_the_header():
    paid_out = "14/03/2025  TESCO STORES 2041              45.20                  1,234.56"
    paid_in = "14/03/2025  REFUND TESCO                              45.20       1,234.56"
    assert parse_transaction_line(paid_out, header=HEADER).amount == Decimal("-45.20")
    assert parse_transaction_line(paid_in, header=HEADER).amount == Decimal("45.20")
    # Without the header nothing says which column the unsigned amount is in.
    assert parse_transaction_line(paid_out).amount == Decimal("45.20")


def test_year_less_and_ambiguous_dates_need_the_callers_help():
    assert parse_transaction_line("Mar 14 UBER *TRIP $23.10") is None
    assert parse_transaction_line("Mar 14 UBER *TRIP $23.10", year=2025).date == "2025-03-14"
    assert parse_transaction_line("03/04/2025 TESCO 12.00") is None
    assert parse_transaction_line("03/04/2025 TESCO 12.00", day_first=True).date == "2025-04-03"
    assert parse_transaction_line("03/04/2025 TESCO 12.00", day_first=False).date == (
        "2025-03-04")


def test_space_grouped_thousands_need_the_decimal_comma():
    line = "14/03/2025 SALAIRE 1 234,56"
    assert parse_transaction_line(line, decimal_comma=True).amount == Decimal("1234.56")
    assert parse_transaction_line(line).description == "SALAIRE 1"


def test_identifiers_in_a_line_are_masked():
    found = parse_transaction_line("14/03/2025 TRANSFER TO SAVINGS A/C 12345678 -100.00")
    assert found.description == "TRANSFER TO SAVINGS A/C ****5678"
    assert "12345678" not in found.raw
    assert found.counterparty == "savings"


@pytest.mark.parametrize("line", [
    HEADER, "", "Page 1 of 2", "01/03/2025 BALANCE BROUGHT FORWARD 1,842.17",
    "31/03/2025 Closing balance 2,878.93", "31/03/2025 Total paid out 1,000.00",
    "14/03/2025 TESCO STORES",  # no amount
    "14/03/2025 45.20",  # no description
    "14/03/2025 TESCO 2041",  # a store number is not money
    "TESCO 45.20",  # no date
    "14/03/2025 A 1.00 2.00 3.00 4.00",  # four cells fit no layout
    "Statement period: 01/03/2025 to 31/03/2025",
])
def test_lines_that_are_not_transactions(line):
    assert parse_transaction_line(line, day_first=True) is None


def test_merchants_named_like_balance_or_total_rows_are_still_transactions():
    assert parse_transaction_line("14/03/2025 NEW BALANCE STORE 80.00").counterparty == (
        "new balance store")
    assert parse_transaction_line("14/03/2025 TOTAL FITNESS 30.00").amount == Decimal("30.00")

"""Statement text lines -> transactions.

A transaction line is "date [value date] description amount [amount] [balance]". Without a
table header, one amount cell is the signed amount, two are amount and balance, three are
paid out, paid in and balance. Under a header ("Date Description Paid out Paid in Balance")
each cell goes to the column it sits under, so a debit/credit layout with one empty column
reads right. Amount cells need two decimals (or a zero-decimal currency such as JPY), so
store numbers and references in the description are never taken for money.

`parse_statement_text` adds what only the whole document knows: day-first order, decimal
comma, currency and year (from the statement period line), skips headers, balance, total
and footer lines, lets a dateless line under the description column take the previous
line's date, corrects signs with the running balance, and masks account identifiers (the
`description` and `raw` of every transaction are masked).
"""

import re
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from .amounts import ZERO_DECIMAL_CURRENCIES, Money, parse_amount
from .counterparty import counterparty
from .dates import DateMatch, date_at, day_first_guess
from .identifiers import mask_identifiers
from .layout import (
    Columns,
    Period,
    columns_from_header,
    is_balance_description,
    is_footer_line,
    is_opening_balance_description,
    is_summary_description,
    statement_currency,
    statement_decimal_comma,
    statement_period,
    statement_year,
)

_AMOUNT_MARKER = re.compile(r"(?:US|C|A|NZ|HK|S)?\$|[£€¥]|[A-Z]{3}|DR|CR|OD|Dr|Cr")
_THOUSANDS_GROUP = re.compile(r"[-(\u2212]?\d{1,3}")
_TWO_DECIMALS = re.compile(r"\d[.,]\d{2}(?!\d)")
_MAX_CELL_TOKENS = 4


@dataclass(frozen=True)
class Transaction:
    date: str  # ISO 8601, "2025-03-14"
    description: str  # the line's description, whitespace collapsed (masked in statements)
    amount: Decimal  # negative for money out
    currency: str | None  # ISO 4217
    balance: Decimal | None
    counterparty: str  # merchant/payee, normalised as transaction_category does
    raw: str  # the line, stripped


@dataclass(frozen=True)
class LineFormat:
    """What a line's text cannot say for itself; statements infer it, callers may pass it."""

    year: int | None = None
    day_first: bool | None = None
    decimal_comma: bool | None = None
    currency: str | None = None
    columns: Columns | None = None
    period: Period | None = None


@dataclass(frozen=True)
class _Cell:
    start: int
    end: int
    money: Money


def parse_transaction_line(line: str, *, year: int | None = None,
                           day_first: bool | None = None, decimal_comma: bool | None = None,
                           currency: str | None = None, header: str | None = None
                           ) -> Transaction | None:
    """One statement line as a Transaction, or None if it is not a transaction line.

    `header` is the table's header line, for debit/credit column layouts. Identifiers in
    the line are masked. A date the line cannot settle (year-less without `year`, or
    "03/04/2025" without `day_first`) makes it None rather than a guess.
    """
    columns = columns_from_header(header) if header else None
    line_format = LineFormat(year=year, day_first=day_first, decimal_comma=decimal_comma,
                             currency=currency, columns=columns)
    masked = mask_identifiers(line)
    return _transaction(masked, _line_parts(masked, line_format), line_format)


def parse_statement_text(text: str, *, year: int | None = None, day_first: bool | None = None,
                         decimal_comma: bool | None = None) -> list[Transaction]:
    """Every transaction of a statement's text, in order, with identifiers masked.

    The keyword arguments override what the statement itself suggests.
    """
    masked = mask_identifiers(text)
    line_format = statement_format(masked, year=year, day_first=day_first,
                                   decimal_comma=decimal_comma)
    transactions: list[Transaction] = []
    balance: Decimal | None = None
    table_open = False
    for line in masked.splitlines():
        if columns := columns_from_header(line):
            line_format, table_open = replace(line_format, columns=columns), True
            continue
        if is_footer_line(line):
            table_open = False
            continue
        parts = _line_parts(line, line_format)
        if is_opening_balance_description(parts.description) and parts.cells:
            balance = parts.cells[-1].money.amount
        previous = transactions[-1].date if transactions and table_open else None
        if found := _transaction(line, parts, line_format, previous):
            found = _signed_by_balance(found, balance)
            balance = _balance_after(found, balance)
            transactions.append(found)
    return transactions


def statement_format(text: str, *, year: int | None = None, day_first: bool | None = None,
                     decimal_comma: bool | None = None) -> LineFormat:
    """The conventions of a whole statement: day order, year (the period line's, else the
    most frequent), decimal comma, currency. A caller's year replaces the period's years."""
    if day_first is None:
        day_first = day_first_guess(text)
    if decimal_comma is None:
        decimal_comma = statement_decimal_comma(text)
    period = statement_period(text, day_first=day_first) if year is None else None
    if year is None:
        year = period.start.year if period else statement_year(text, day_first=day_first)
    return LineFormat(year=year, day_first=day_first, decimal_comma=decimal_comma,
                      currency=statement_currency(text), period=period)


@dataclass(frozen=True)
class _LineParts:
    booked: date | None  # the leading date, None if the line has none
    text_start: int  # where the line's text begins (a dateless line's description)
    description: str
    cells: list[_Cell]


def _line_parts(line: str, line_format: LineFormat) -> _LineParts:
    """Split a line into leading date, description and trailing amount cells."""
    text_start = len(line) - len(line.lstrip())
    found = date_at(line, text_start, day_first=line_format.day_first, year=line_format.year)
    booked, rest = None, text_start
    if found:
        booked, rest = _in_period(found, line_format.period), found.end
        value_date = date_at(line, _next_text(line, rest), day_first=line_format.day_first,
                             year=line_format.year)
        rest = value_date.end if value_date else rest
    cells = _amount_cells(line, rest, line_format)
    description = " ".join(line[rest:cells[0].start if cells else len(line)].split())
    return _LineParts(booked, text_start, description, cells)


def _transaction(line: str, parts: _LineParts, line_format: LineFormat,
                 previous_date: str | None = None) -> Transaction | None:
    """The transaction a line's parts make; a dateless line under the description column
    of an open table takes the previous transaction's date (ISO)."""
    booked = parts.booked
    columns = line_format.columns
    if booked is None and previous_date and columns and columns.starts_description(
            parts.text_start):
        booked = date.fromisoformat(previous_date)
    if booked is None or not parts.description or _is_not_a_transaction(parts.description):
        return None
    amounts = _amount_and_balance(parts.cells, columns)
    if amounts is None:
        return None
    amount, balance, currency = amounts
    return Transaction(date=booked.isoformat(), description=parts.description, amount=amount,
                       currency=currency, balance=balance,
                       counterparty=counterparty(parts.description), raw=line.strip())


def _is_not_a_transaction(description: str) -> bool:
    return is_balance_description(description) or is_summary_description(description)


def _in_period(found: DateMatch, period: Period | None) -> date:
    """A year-less date in a period over New Year takes the year of its month."""
    if found.has_year or period is None:
        return found.date
    return found.date.replace(year=period.year_for_month(found.date.month))


def _next_text(line: str, position: int) -> int:
    return position + len(line[position:]) - len(line[position:].lstrip())


def _amount_cells(line: str, start: int, line_format: LineFormat) -> list[_Cell]:
    """The money cells at the end of the line, right to left, each one or a few tokens."""
    tokens = [match.span() for match in re.finditer(r"\S+", line) if match.start() >= start]
    cells: list[_Cell] = []
    while tokens and (cell := _cell_at_end(line, tokens, line_format)):
        cells.insert(0, cell)
        tokens = [span for span in tokens if span[1] <= cell.start]
    return cells


def _cell_at_end(line: str, tokens: list[tuple[int, int]], line_format: LineFormat
                 ) -> _Cell | None:
    """The widest run of trailing tokens that reads as one amount ("€ 1 234,56 CR")."""
    for width in range(min(_MAX_CELL_TOKENS, len(tokens)), 0, -1):
        spans = tokens[-width:]
        if not _tokens_form_one_amount([line[start:end] for start, end in spans], line_format):
            continue
        text = line[spans[0][0]:spans[-1][1]]
        money = parse_amount(text, decimal_comma=line_format.decimal_comma,
                             default_currency=line_format.currency)
        if money and (_TWO_DECIMALS.search(text) or money.currency in ZERO_DECIMAL_CURRENCIES):
            return _Cell(spans[0][0], spans[-1][1], money)
    return None


def _tokens_form_one_amount(tokens: list[str], line_format: LineFormat) -> bool:
    """One number, with marker tokens around it; space-grouped thousands ("1 234,56") only
    in documents that use the decimal comma, where they are the custom."""
    numbers = [token for token in tokens if not _AMOUNT_MARKER.fullmatch(token)]
    if not numbers:
        return False
    groups_allowed = line_format.decimal_comma is True
    return all((groups_allowed and _THOUSANDS_GROUP.fullmatch(token)) for token in numbers[:-1])


def _amount_and_balance(cells: list[_Cell], columns: Columns | None
                        ) -> tuple[Decimal, Decimal | None, str | None] | None:
    """(amount, balance, currency) from the cells, by column when a header placed them."""
    by_kind = _cells_by_column(cells, columns) or _cells_by_position(cells)
    if by_kind is None or not {"out", "in", "amount"} & by_kind.keys():
        return None
    amount = by_kind["amount"].money.amount if "amount" in by_kind else Decimal(0)
    if "in" in by_kind:
        amount += abs(by_kind["in"].money.amount)
    if "out" in by_kind:
        amount -= abs(by_kind["out"].money.amount)
    first = next(by_kind[kind] for kind in ("amount", "out", "in") if kind in by_kind)
    balance = by_kind["balance"].money.amount if "balance" in by_kind else None
    return amount, balance, first.money.currency


def _cells_by_column(cells: list[_Cell], columns: Columns | None) -> dict[str, _Cell] | None:
    if columns is None:
        return None
    by_kind = {columns.kind_at(cell.start, cell.end): cell for cell in cells}
    return by_kind if len(by_kind) == len(cells) and None not in by_kind else None


def _cells_by_position(cells: list[_Cell]) -> dict[str, _Cell] | None:
    kinds = {1: ("amount",), 2: ("amount", "balance"), 3: ("out", "in", "balance")}
    return dict(zip(kinds[len(cells)], cells, strict=True)) if len(cells) in kinds else None


def _signed_by_balance(transaction: Transaction, previous: Decimal | None) -> Transaction:
    """Flip an amount whose sign the running balance contradicts (unsigned amount columns)."""
    if previous is None or transaction.balance is None:
        return transaction
    if previous + transaction.amount != transaction.balance and (
            previous - transaction.amount == transaction.balance):
        return replace(transaction, amount=-transaction.amount)
    return transaction


def _balance_after(transaction: Transaction, previous: Decimal | None) -> Decimal | None:
    if transaction.balance is not None:
        return transaction.balance
    return previous + transaction.amount if previous is not None else None

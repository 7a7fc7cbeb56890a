"""The shape of a statement's text: column headers, lines that are not transactions, the
statement period and the document-wide conventions (day-first dates, decimal comma,
currency) that single lines cannot settle on their own."""

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from .amounts import CURRENCY_CODES, CURRENCY_SYMBOLS, decimal_comma_guess
from .dates import find_dates

# Column labels of a transactions table. Longer labels come first so "paid out" wins over "out".
_LABELS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in (
        ("date", r"\bdate\b"),
        ("description", r"\b(?:description|details|particulars|narrative|transaction|payee)\b"),
        ("out", r"\b(?:paid out|money out|payments? out|withdrawals?|debits?|out)\b"),
        ("in", r"\b(?:paid in|money in|payments? in|deposits?|credits?|receipts|in)\b"),
        ("amount", r"\bamount\b"),
        ("balance", r"\bbalance\b"),
    )
)
MONEY_COLUMNS = ("out", "in", "amount", "balance")

# Balance and total rows are recognised by their description, in full ("BALANCE BROUGHT
# FORWARD", "Opening balance on 1 March"), so a merchant such as "NEW BALANCE STORE" or
# "TOTAL FITNESS" still reads as a transaction.
_BALANCE_DESCRIPTION = re.compile(
    r"(?:(?:opening|closing|previous|new|start(?:ing)?|end(?:ing)?)\s+balance"
    r"|(?:balance\s+)?(?:brought|carried)\s+forward|(?:balance\s+)?[bc]/f)"
    r"(?:\s+(?:on|at|as\s+at|from|to)\b.*)?",
    re.IGNORECASE,
)
_OPENING_DESCRIPTION = re.compile(
    r"(?:opening|previous|start(?:ing)?)\s+balance|(?:balance\s+)?(?:brought\s+forward|b/f)",
    re.IGNORECASE,
)
_SUMMARY_DESCRIPTION = re.compile(
    r"(?:sub-?)?totals?(?:\s+(?:paid|payments?|money|debits?|credits?|in|out|deposits?"
    r"|withdrawals?|fees|charges|for)\b.*|\s*:.*)?",
    re.IGNORECASE,
)
_FOOTER_LINE = re.compile(
    r"\bpage\s+\d+\s*(?:of|/)\s*\d+\b|^\s*page\s+\d+\s*$|^\s*continued\b", re.IGNORECASE
)
_PERIOD_WORDS = re.compile(r"\bperiod\b|\bfrom\b|\bbetween\b|\bstatement\b", re.IGNORECASE)
_SYMBOL_OR_CODE = re.compile(
    "|".join(re.escape(symbol) for symbol in sorted(CURRENCY_SYMBOLS, key=len, reverse=True))
    + r"|\b(?:" + "|".join(sorted(CURRENCY_CODES)) + r")\b"
)


@dataclass(frozen=True)
class Columns:
    """Where a transactions table's header puts each column: {kind: (start, end)}."""

    spans: dict[str, tuple[int, int]]

    def kind_at(self, start: int, end: int) -> str | None:
        """The money column an amount written at [start, end) sits under: nearest header."""
        candidates = [kind for kind in MONEY_COLUMNS if kind in self.spans]
        return min(candidates, key=lambda kind: self._distance(kind, start, end), default=None)

    def starts_description(self, position: int) -> bool:
        """Whether text starting at `position` begins in the description column."""
        span = self.spans.get("description")
        return span is not None and abs(span[0] - position) <= 2

    def _distance(self, kind: str, start: int, end: int) -> tuple[int, float]:
        label_start, label_end = self.spans[kind]
        gap = max(0, label_start - end, start - label_end)
        return gap, abs((label_start + label_end) / 2 - (start + end) / 2)


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def year_for_month(self, month: int) -> int:
        """The year of a year-less date: a period over New Year has two."""
        if self.start.year == self.end.year or month >= self.start.month:
            return self.start.year
        return self.end.year


def columns_from_header(line: str) -> Columns | None:
    """The columns of a table header line ("Date  Description  Paid out  Paid in  Balance")."""
    if any(char.isdigit() for char in line):
        return None
    spans = {kind: match.span() for kind, pattern in _LABELS if (match := pattern.search(line))}
    if "date" not in spans or not {"out", "in", "amount"} & spans.keys():
        return None
    return Columns(spans)


def is_balance_description(description: str) -> bool:
    """An opening/closing/brought-forward balance row, not a transaction."""
    return bool(_BALANCE_DESCRIPTION.fullmatch(description))


def is_opening_balance_description(description: str) -> bool:
    return is_balance_description(description) and bool(_OPENING_DESCRIPTION.match(description))


def is_summary_description(description: str) -> bool:
    """A totals row ("Total paid out", "TOTALS:")."""
    return bool(_SUMMARY_DESCRIPTION.fullmatch(description))


def is_footer_line(line: str) -> bool:
    """A page footer ("Page 1 of 2") or a "Continued overleaf" line."""
    return bool(_FOOTER_LINE.search(line))


def statement_period(text: str, *, day_first: bool | None) -> Period | None:
    """The first "period/from/statement ... date to date" line's two dates."""
    for line in text.splitlines():
        if not _PERIOD_WORDS.search(line):
            continue
        if period := _period_in_line(line, day_first):
            return period
    return None


def _period_in_line(line: str, day_first: bool | None) -> Period | None:
    dates = find_dates(line, day_first=day_first)
    if len(dates) == 1:
        # "1 March to 31 March 2025": the start takes the end's year.
        end = dates[0].date
        dates = find_dates(line, day_first=day_first, year=end.year)
        if len(dates) == 2 and dates[0].date > end:
            return Period(dates[0].date.replace(year=end.year - 1), end)
    if len(dates) != 2 or dates[0].date > dates[1].date:
        return None
    return Period(dates[0].date, dates[1].date)


def statement_year(text: str, *, day_first: bool | None) -> int | None:
    """The most frequent year among the document's full dates."""
    years = Counter(match.date.year for match in find_dates(text, day_first=day_first))
    return years.most_common(1)[0][0] if years else None


def statement_currency(text: str) -> str | None:
    """The most frequent currency symbol or ISO code in the document."""
    found = Counter(CURRENCY_SYMBOLS.get(mark, mark) for mark in _SYMBOL_OR_CODE.findall(text))
    return found.most_common(1)[0][0] if found else None


def statement_decimal_comma(text: str) -> bool | None:
    """Whether the document's settled amounts ("12,50", "1.234,56") use the decimal comma."""
    return decimal_comma_guess(text.split())

"""Money amounts as statements write them -> `Decimal` and an ISO 4217 currency code.

Accepted: a currency symbol ($ £ € ¥, US$ C$ A$ ...) or ISO code before or after the
number; thousands separators ",", ".", " " (and no-break spaces, "'"); a decimal point or
comma ("1,234.56", "1.234,56", "1 234,56"); negatives as "-12.00", "(12.00)", "12.00-",
"12.00 DR" (and "OD", overdrawn); "12.00 CR" and "+12.00" are positive.

A lone separator followed by exactly three digits ("1,234", "1.234") is ambiguous: it is
read with the caller's `decimal_comma` flag, else by the currency's usual convention
(dot for USD, GBP, JPY ...; comma for SEK, PLN, ...; EUR has both), else the answer is None.
A separator the text itself settles ("1.234,56", "12,50") always wins over the flag.
"""

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

# "$" is read as US dollars: statements in other dollars usually say so (C$, AUD ...).
CURRENCY_SYMBOLS: dict[str, str] = {
    "US$": "USD", "C$": "CAD", "A$": "AUD", "NZ$": "NZD", "HK$": "HKD", "S$": "SGD",
    "$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY",
}
# fmt: off
CURRENCY_CODES = frozenset({
    "USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "NZD", "SEK", "NOK", "DKK", "PLN", "CZK",
    "HUF", "RON", "BGN", "ISK", "CNY", "HKD", "SGD", "INR", "ZAR", "MXN", "BRL", "TRY", "AED",
    "SAR", "ILS", "KRW", "THB",
})
# fmt: on
DOT_DECIMAL_CURRENCIES = frozenset({
    "USD", "GBP", "JPY", "CHF", "CAD", "AUD", "NZD", "CNY", "HKD", "SGD", "INR", "MXN", "ILS",
    "KRW", "THB", "AED", "SAR",
})
COMMA_DECIMAL_CURRENCIES = frozenset({
    "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "RON", "BGN", "ISK", "BRL", "TRY",
})
# Written without minor units, so "¥1,000" never needs two decimals to be an amount.
ZERO_DECIMAL_CURRENCIES = frozenset({"JPY", "KRW", "ISK"})

_SYMBOL = "|".join(re.escape(symbol) for symbol in sorted(CURRENCY_SYMBOLS, key=len, reverse=True))
_CODE = "|".join(sorted(CURRENCY_CODES))
_LEADING_MARK = re.compile(
    rf"^(?:(?P<currency>{_SYMBOL}|(?:{_CODE})(?![A-Za-z]))|(?P<sign>[-+\u2212])|(?P<paren>\())\s*"
)
_TRAILING_MARK = re.compile(
    rf"\s*(?:(?P<currency>{_SYMBOL}|(?<![A-Za-z])(?:{_CODE}))|(?P<sign>[-+\u2212])"
    r"|(?P<paren>\))|(?<![A-Za-z])(?P<side>DR|CR|OD|Dr|Cr|dr|cr))$"
)
_NUMBER = re.compile(r"\d+(?:[.,' \u00a0\u202f]\d+)*")
_NEGATIVE_MARKS = frozenset({"-", "\u2212", "DR", "OD"})
_UNCLEAR = "unclear"  # ambiguous ("1,234" with no hint) or unreadable ("1.2345")


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str | None


@dataclass
class _Marks:
    currencies: set[str]
    signs: list[str]
    parens: str = ""


def parse_amount(text: str, *, decimal_comma: bool | None = None,
                 default_currency: str | None = None) -> Money | None:
    """The amount and currency written in `text`, or None if it is not one clear amount."""
    peeled = _peel_marks(text.strip())
    if peeled is None:
        return None
    body, marks = peeled
    if (len(marks.currencies) > 1 or len(marks.signs) + bool(marks.parens) > 1
            or marks.parens not in ("", "()")):
        return None
    currency = next(iter(marks.currencies), default_currency)
    number = _parse_number(body, _decimal_comma_for(decimal_comma, currency))
    if number is None:
        return None
    negative = bool(marks.parens) or bool(marks.signs and marks.signs[0] in _NEGATIVE_MARKS)
    return Money(-number if negative else number, currency)


def decimal_mark(text: str) -> str | None:
    """"," or "." when the text itself settles its decimal mark ("1.234,56", "12.50"), else None."""
    peeled = _peel_marks(text.strip())
    if peeled is None or not _NUMBER.fullmatch(peeled[0]):
        return None
    mark = _decimal_mark(peeled[0], None)
    return mark if mark in (",", ".") else None


def decimal_comma_guess(texts: Iterable[str]) -> bool | None:
    """Whether a document's amounts use the decimal comma, by majority of settled amounts."""
    votes = Counter(decimal_mark(text) for text in texts)
    if votes[","] == votes["."]:
        return None
    return votes[","] > votes["."]


def _decimal_comma_for(decimal_comma: bool | None, currency: str | None) -> bool | None:
    if decimal_comma is not None:
        return decimal_comma
    if currency in DOT_DECIMAL_CURRENCIES:
        return False
    return True if currency in COMMA_DECIMAL_CURRENCIES else None


def _peel_marks(text: str) -> tuple[str, _Marks] | None:
    """Strip currency, sign, parenthesis and DR/CR marks off both ends, recording them."""
    marks, body = _Marks(currencies=set(), signs=[]), text
    while True:
        match = _LEADING_MARK.search(body) or _TRAILING_MARK.search(body)
        if not match or not match.group():
            break
        _record(marks, match)
        body = (body[:match.start()] + body[match.end():]).strip()
    return (body, marks) if _NUMBER.fullmatch(body) else None


def _record(marks: _Marks, match: re.Match[str]) -> None:
    if match["currency"]:
        marks.currencies.add(CURRENCY_SYMBOLS.get(match["currency"], match["currency"]))
    elif match["paren"]:
        marks.parens += match["paren"]  # leading marks peel first, so "()" is the only good order
    else:
        marks.signs.append((match["sign"] or match["side"]).upper())


def _parse_number(body: str, decimal_comma: bool | None) -> Decimal | None:
    mark = _decimal_mark(body, decimal_comma)
    if mark == _UNCLEAR:
        return None
    integer, fraction = body.rsplit(mark, 1) if mark else (body, "")
    if not _grouped_correctly(integer):
        return None
    digits = re.sub(r"\D", "", integer)
    return Decimal(f"{digits}.{fraction}" if fraction else digits)


def _decimal_mark(body: str, decimal_comma: bool | None) -> str | None:
    """The decimal mark of a number body, None for a whole number, or _UNCLEAR."""
    separators = re.findall(r"\D", body)
    last = separators[-1] if separators else None
    if last not in (",", ".") or separators.count(last) > 1:
        return None
    if len(set(separators)) > 1:
        return last
    decimals = len(body) - body.rfind(last) - 1
    if decimals != 3:
        return last if decimals <= 2 else _UNCLEAR
    if body.startswith("0"):
        return last
    if decimal_comma is None:
        return _UNCLEAR
    return last if (last == ",") == decimal_comma else None


def _grouped_correctly(integer: str) -> bool:
    """Thousands groups: one kind of separator, 1-3 leading digits, then groups of three."""
    groups = re.split(r"\D", integer)
    if len(groups) == 1:
        return True
    separators = set(re.findall(r"\D", integer))
    return (len(separators) == 1 and 1 <= len(groups[0]) <= 3
            and all(len(group) == 3 for group in groups[1:]))

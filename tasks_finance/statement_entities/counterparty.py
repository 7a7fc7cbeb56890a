"""The merchant or payee of a statement description.

Bank transaction-type words ("CARD PAYMENT TO", "DIRECT DEBIT", "FASTER PAYMENT FROM",
"CASH WITHDRAWAL AT") lead the description and trailing details ("ON 01/03", "REF RENT",
"A/C ****4321", masked identifiers) follow it; both go, and what remains goes through the
transaction-category normaliser, so a counterparty reads the way that task's model reads a
merchant ("tesco stores").
"""

import re

from tasks_finance.transaction_category.normalise import normalise_description

# Lone "credit"/"debit"/"bp" stay: they begin merchant names too ("BP", "CREDIT AGRICOLE").
_TYPE_WORDS = (
    r"card payment|card purchase|contactless(?: payment)?|pos|visa debit|debit card"
    r"|direct debit|dd|standing order|so|bill payment|faster payments?|fps|fpi|fpo"
    r"|bank giro credit|bgc|bacs(?: credit)?|transfer|trf|tfr|cash withdrawal|atm withdrawal"
    r"|atm|cheque|chq|online payment|payment|pmt|sepa(?: credit| direct debit)?(?: transfer)?"
    r"|ach(?: debit| credit)?|direct deposit|purchase|refund"
)
_TYPE_PREFIX = re.compile(
    rf"^(?:(?:{_TYPE_WORDS})\b[\s:/*-]*)+(?:(?:to|from|at|by|for|via)\b\s*)?", re.IGNORECASE
)
_TRAILING_DETAILS = re.compile(
    r"\s+(?:on\s+\d{1,2}(?:[/.-]\d{1,2}|\s*[a-z]{3})\b|ref(?:erence)?\b|(?:a/c|acct|account)"
    r"(?:\s*no\b\.?)?\s*[:#]?\s*[*\d]|card\s+(?:ending\s+(?:in\s+)?)?[*\d]).*$",
    re.IGNORECASE,
)
# What masking leaves of an identifier: "**** **** **** 1111", "DE** **** ... **30 00".
_MASKED = re.compile(r"(?<!\w)[A-Z]{0,2}\*[*\d -]*", re.IGNORECASE)


def counterparty(description: str) -> str:
    """The description's merchant/payee, normalised ("tesco stores"); never empty if the
    description has letters."""
    core = " ".join(_MASKED.sub(" ", _TRAILING_DETAILS.sub("", description)).split())
    named = _TYPE_PREFIX.sub("", core).strip()
    return normalise_description(named or core or description)

"""Normalisation of raw card/bank transaction descriptions.

The same function runs before training and before prediction, so a model never sees the
per-transaction noise (reference codes, store numbers, dates...) that would otherwise make
every description unique and push it towards memorising instead of reading merchant words.
"""

import itertools
import re

# Card suffixes ("XXXX1234", "****1234", "CARD 1234") identify the customer's card, not the
# merchant. Handled before "*" is split, otherwise "****1234" would leave a bare number.
_CARD_SUFFIX = re.compile(
    r"(?:x{2,}|\*{2,})\d{2,4}\b|\bcard\s*(?:ending\s*(?:in\s*)?)?#?\s*\d{4}\b"
)

# Phone numbers appear on subscription and online charges ("NETFLIX.COM 866-579-7172") and
# must go as a whole before their digit groups are mistaken for dates or store numbers.
_PHONE_NUMBER = re.compile(
    r"(?<!\w)(?:\+\d{1,3}[\s.-]?\d{2,4}[\s.-]?\d{3,4}[\s.-]?\d{3,4}"
    r"|(?:1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4})(?!\w)"
)

# Dates and times ("11/03", "11/03/24", "2024-11-03", "03NOV24", "14:22") say when, not what.
_DATE_OR_TIME = re.compile(
    r"\b(?:\d{1,2}/\d{1,2}(?:/\d{2,4})?"
    r"|\d{4}-\d{2}-\d{2}"
    r"|\d{1,2}:\d{2}(?::\d{2})?"
    r"|\d{1,2}(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\d{0,4})\b"
)

# Store numbers ("#1234", "STORE 0567") tell branches of the same merchant apart; the word
# "store" goes too because on its own it adds nothing once the number is gone.
_STORE_NUMBER = re.compile(r"#\s*\d+|\bstore\s*#?\s*\d+")

# Everything except word characters and the punctuation found inside merchant names and
# domains ("at&t", "joe's", "amzn.com/bill", "h-e-b"); "*" joins ("uber *trip") become spaces.
_JUNK_CHARACTERS = re.compile(r"[^\w\s&'./-]|_")

# Alphanumeric runs are inspected one by one to drop reference codes and bare numbers.
_ALPHANUMERIC_RUN = re.compile(r"[^\W_]+")

# Doubled punctuation ("joe''s", "...1234") is formatting noise.
_REPEATED_PUNCTUATION = re.compile(r"([&'./-])\1+")

# Letters only: the last resort that keeps a non-empty answer for inputs made of codes.
_LETTER_RUN = re.compile(r"[^\W\d_]+")

_STRUCTURED_NOISE = (
    _CARD_SUFFIX,
    _PHONE_NUMBER,
    _DATE_OR_TIME,
    _STORE_NUMBER,
    _JUNK_CHARACTERS,
)

_TOKEN_EDGE_PUNCTUATION = "&'./-"


def normalise_description(text: str) -> str:
    """Return a lowercase, noise-free version of a transaction description.

    Meaningful words (merchant names, "ach", "payroll", "atm", "zelle", domains, places)
    are kept; reference codes, store numbers, card suffixes, dates, times, phone numbers
    and repeated punctuation are removed. Inputs containing letters never come back empty.
    """
    lowered = text.lower()
    cleaned = _remove_structured_noise(lowered)
    cleaned = _ALPHANUMERIC_RUN.sub(_drop_code_like_run, cleaned)
    tokens = (_tidy_token(token) for token in cleaned.split())
    result = " ".join(token for token in tokens if token)
    return result or " ".join(_LETTER_RUN.findall(lowered))


def _remove_structured_noise(text: str) -> str:
    """Blank out every pattern-shaped piece of noise, in an order that avoids overlaps."""
    for pattern in _STRUCTURED_NOISE:
        text = pattern.sub(" ", text)
    return text


def _drop_code_like_run(match: re.Match[str]) -> str:
    """Replacement callback: erase an alphanumeric run when it is a code or a bare number."""
    run = match.group()
    return "" if _is_bare_number(run) or _is_reference_code(run) else run


def _is_bare_number(run: str) -> bool:
    """Three or more digits alone are store, terminal or account numbers.

    One- and two-digit numbers stay: they are part of names such as "7 eleven" or "76".
    """
    return run.isdigit() and len(run) >= 3


def _is_reference_code(run: str) -> bool:
    """Long runs mixing letters and digits ("2k4ll0yh2") are auth/reference codes.

    Names that merely start with a number ("24hour", "7eleven") are kept by requiring
    several digits or letters and digits interleaving more than once.
    """
    digits = sum(char.isdigit() for char in run)
    if len(run) < 5 or digits == 0 or digits == len(run):
        return False
    return digits >= 3 or _letter_digit_switches(run) >= 2


def _letter_digit_switches(run: str) -> int:
    """Count how often a run switches between digits and non-digits."""
    return sum(left.isdigit() != right.isdigit() for left, right in itertools.pairwise(run))


def _tidy_token(token: str) -> str:
    """Collapse doubled punctuation, trim it from the edges, drop punctuation-only tokens."""
    token = _REPEATED_PUNCTUATION.sub(r"\1", token).strip(_TOKEN_EDGE_PUNCTUATION)
    return token if any(char.isalnum() for char in token) else ""

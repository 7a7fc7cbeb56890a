"""Statement dates -> `datetime.date`.

Formats: "2025-03-14" (also "/" or "."), numeric "14/03/2025", "03/14/2025", "14/03/25",
"14/03", "14-03-2025", "14.03.25", "14.03." ; with a month name "14 Mar 2025",
"14-Mar-25", "14MAR25", "14th March 2025", "Mar 14", "March 14, 2025".

A numeric date is read day-first or month-first by its numbers when one of them is above 12
or both are equal, otherwise by the caller's `day_first` flag (dotted dates default to
day-first, the convention that writes them); with neither, it is ambiguous and not read.
`day_first_guess` gives a document's flag from all its numeric dates. A date without a
year takes the caller's `year`, and is not read without one. Two-digit years are 2000-2069
and 1970-1999.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

_MONTH_NUMBERS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1)
}
_MONTH = (
    r"(?P<month_name>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
    r"|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_ORDINAL = r"(?:st|nd|rd|th)?"
_BEFORE = r"(?<![\w/.:-])"
_AFTER = r"(?![\w/:]|[.,-]\d)"

ISO = re.compile(
    _BEFORE + r"(?P<year>\d{4})(?P<sep>[-/.])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})" + _AFTER)
NUMERIC = re.compile(
    _BEFORE + r"(?P<first>\d{1,2})(?P<sep>[/.-])(?P<second>\d{1,2})"
    r"(?:(?P=sep)(?P<year>\d{4}|\d{2})?)?" + _AFTER)
DAY_MONTH = re.compile(
    _BEFORE + r"(?P<day>\d{1,2})" + _ORDINAL + r"[ -]?" + _MONTH
    + r"(?:(?:[ ,-]|, )?(?P<year>\d{4}|\d{2}))?" + _AFTER, re.IGNORECASE)
MONTH_DAY = re.compile(
    _BEFORE + _MONTH + r"[ -]?(?P<day>\d{1,2})" + _ORDINAL + r"(?:,?[ ](?P<year>\d{4}))?" + _AFTER,
    re.IGNORECASE)

_SORT_CODE = re.compile(r"\bsort[ -]?code\b\W{0,3}\d{2}-\d{2}-\d{2}", re.IGNORECASE)


@dataclass(frozen=True)
class DateMatch:
    start: int
    end: int
    text: str
    date: date
    has_year: bool  # False when the year came from the caller


def parse_date(text: str, *, day_first: bool | None = None, year: int | None = None
               ) -> date | None:
    """The date `text` holds (whole text, surrounding spaces aside), or None."""
    stripped = text.strip()
    for pattern, build in _BUILDERS:
        match = pattern.fullmatch(stripped)
        if match and (found := build(match, day_first, year)):
            return found
    return None


def date_at(text: str, position: int = 0, *, day_first: bool | None = None,
            year: int | None = None) -> DateMatch | None:
    """The longest readable date starting exactly at `position`, or None."""
    found = [_date_match(match, build, day_first, year)
             for pattern, build in _BUILDERS if (match := pattern.match(text, position))]
    found = [match for match in found if match]
    return max(found, key=lambda match: match.end, default=None)


def find_dates(text: str, *, day_first: bool | None = None, year: int | None = None
               ) -> list[DateMatch]:
    """Every readable date in `text`, in order, without overlaps (the longer one wins)."""
    candidates = [_date_match(match, build, day_first, year)
                  for pattern, build in _BUILDERS for match in pattern.finditer(text)]
    ordered = sorted((match for match in candidates if match),
                     key=lambda match: (match.start, -match.end))
    kept: list[DateMatch] = []
    for match in ordered:
        if not kept or match.start >= kept[-1].end:
            kept.append(match)
    return kept


def day_first_guess(text: str) -> bool | None:
    """True/False when the document's numeric dates agree on an order, None if unsettled.

    A date votes day-first when its first number is 13-31 (or it is dotted), month-first
    when its second is; sort codes ("Sort code 20-12-34") are not dates and do not vote.
    """
    votes = set()
    for match in NUMERIC.finditer(_SORT_CODE.sub(" ", text)):
        first, second = int(match["first"]), int(match["second"])
        if not _numeric_shape_ok(match):
            continue
        if match["sep"] == "." or (12 < first <= 31 and 1 <= second <= 12):
            votes.add(True)
        elif 12 < second <= 31 and 1 <= first <= 12:
            votes.add(False)
    return votes.pop() if len(votes) == 1 else None


def full_year(text: str) -> int:
    """A written year as four digits: "25" -> 2025, "98" -> 1998."""
    number = int(text)
    if len(text) == 4:
        return number
    return 2000 + number if number < 70 else 1900 + number


def _date_match(match: re.Match[str], build: Callable, day_first: bool | None,
                year: int | None) -> DateMatch | None:
    found = build(match, day_first, year)
    if not found:
        return None
    return DateMatch(match.start(), match.end(), match.group(), found, bool(match["year"]))


def _make_date(year_text: str | None, month: int, day: int, year: int | None) -> date | None:
    year_number = full_year(year_text) if year_text else year
    if year_number is None:
        return None
    try:
        return date(year_number, month, day)
    except ValueError:
        return None


def _from_iso(match: re.Match[str], day_first: bool | None, year: int | None) -> date | None:
    return _make_date(match["year"], int(match["month"]), int(match["day"]), year)


def _from_numeric(match: re.Match[str], day_first: bool | None, year: int | None
                  ) -> date | None:
    if not _numeric_shape_ok(match):
        return None
    if day_first is None and match["sep"] == ".":
        day_first = True
    order = _day_month_order(int(match["first"]), int(match["second"]), day_first)
    return _make_date(match["year"], *order, year) if order else None


def _numeric_shape_ok(match: re.Match[str]) -> bool:
    """Dashed dates need a year; dotted ones a year or the trailing dot ("14.03.");
    slashed ones may omit the year ("14/03") but not end on a bare slash."""
    if match["year"]:
        return True
    ends_with_separator = match.group().endswith(match["sep"])
    return {"/": not ends_with_separator, ".": ends_with_separator, "-": False}[match["sep"]]


def _day_month_order(first: int, second: int, day_first: bool | None) -> tuple[int, int] | None:
    """(month, day) from the two numbers, or None while the order is unknown."""
    if first > 12 and second > 12:
        return None
    if first > 12 or (first == second) or (day_first and second <= 12):
        return (second, first)
    if second > 12 or day_first is False:
        return (first, second)
    return None


def _from_month_name(match: re.Match[str], day_first: bool | None, year: int | None
                     ) -> date | None:
    month = _MONTH_NUMBERS[match["month_name"][:3].lower()]
    return _make_date(match["year"], month, int(match["day"]), year)


_BUILDERS = (
    (ISO, _from_iso),
    (NUMERIC, _from_numeric),
    (DAY_MONTH, _from_month_name),
    (MONTH_DAY, _from_month_name),
)

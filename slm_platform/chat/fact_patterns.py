"""The patterns that find the numbers, amounts, percentages, dates, weekdays, times, phone
numbers and web and email addresses of a text, in priority order, each with the function that
reads its match into keys: the normal forms a reply needs for the fact and those a passage
provides with it. grounding.py finds names besides and compares the keys. Pure string code (no
model, no Django).

How facts compare (a reply fact is supported when the passages hold the same normal form):
- Amounts compare by currency and value (`£10.00` == `£10` == `10 pounds`); an amount is matched
  only by an amount, never by a bare number (`£4` is not grounded by "4 days"), while a bare
  number in the reply is matched by the same value written as a number, an amount, a
  percentage, a day or year of a date, a short phone number or an hour.
- Number words count up to ninety-nine; "one" only before a unit ("one working day"), since it
  is more often a pronoun.
- Weekday ranges ("Monday to Saturday", "Mon–Fri", "weekdays") hold every day between them.
  Times compare as 24-hour HH:MM; "6:30" with no am/pm matches either half of the day.
  Numeric dates read day first (12/03/2026 is 12 March) unless that cannot be a date.
- Phone numbers compare by digits, +44 and 0044 read as a leading 0.
"""

import re
from decimal import Decimal

Keys = frozenset[tuple]


_UNITS = re.findall(r"\w+", "one two three four five six seven eight nine")
_TEENS = re.findall(
    r"\w+", "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen"
)
_TENS = re.findall(r"\w+", "twenty thirty forty fifty sixty seventy eighty ninety")
_WORD_VALUES = (
    {"zero": 0}
    | {word: i + 1 for i, word in enumerate(_UNITS)}
    | {word: i + 10 for i, word in enumerate(_TEENS)}
    | {word: 20 + 10 * i for i, word in enumerate(_TENS)}
)
_UNIT_NOUN = (
    r"(?:(?:working|full|business|calendar)\s+)?"
    r"(?:day|week|month|year|hour|minute|item|point|pound|dollar|euro|per\s?cent|percent)s?\b"
)
_WORD_NUMBER = (
    rf"(?i:(?:{'|'.join(_TENS)})(?:[ -](?:{'|'.join(_UNITS)}))?|{'|'.join(_TEENS)}|zero"
    rf"|{'|'.join(_UNITS[1:])}|one(?=\s+{_UNIT_NOUN}))"
)
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUMBER_END = r"(?![\w%]|[.,]\d)"
_CURRENCIES = {"£": "GBP", "pound": "GBP", "quid": "GBP", "sterling": "GBP", "pence": "GBP"}
_CURRENCIES |= {"$": "USD", "dollar": "USD", "€": "EUR", "euro": "EUR"}
_CURRENCIES |= {"gbp": "GBP", "usd": "USD", "eur": "EUR"}
_MONTH_FULL = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
_MONTHS = [name[:3].lower() for name in _MONTH_FULL.split("|")]
_MONTH_NAME = rf"(?:{_MONTH_FULL}|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
_DAY_OF_MONTH = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_WEEKDAYS = re.findall(r"\w+", "monday tuesday wednesday thursday friday saturday sunday")
_WEEKDAY = rf"(?i:{'|'.join(_WEEKDAYS)})"
_WEEKDAY_ANY = rf"(?:{_WEEKDAY}|Mon|Tues|Tue|Wed|Thurs|Thur|Thu|Fri|Sat|Sun)"
_MAY_BEFORE = {"in", "by", "from", "until", "since", "before", "after", "during", "of", "to"}
_MAY_BEFORE |= {"and", "early", "late", "mid", "end", "start", "through", "till"}
_SHORT_PHONES = r"999|111|112|911|101|105|119|116 ?\d{3}"
_TLDS = "com|org|net|io|co|uk|us|eu|ie|de|fr|info|biz|app|dev|shop|store|online|example|test"
_URL_END = r"[^\s<>\"'.,;:!?)\]]"


def _value(text: str) -> Decimal:
    if text[0].isdigit():
        return Decimal(text.replace(",", ""))
    return Decimal(sum(_WORD_VALUES[part] for part in re.split(r"[\s-]+", text.lower())))


def _same(keys: set) -> tuple[Keys, Keys]:
    return frozenset(keys), frozenset(keys)


def _email(match: re.Match) -> tuple[Keys, Keys]:
    address = match.group().lower()
    return frozenset({("email", address)}), frozenset(
        {("email", address), ("url", address.split("@")[1])}
    )


def _url_normal(text: str) -> str:
    text = re.sub(r"^(?:https?://)?(?:www\.)?", "", text.lower())
    return text.rstrip("/")


def _url(match: re.Match) -> tuple[Keys, Keys]:
    address = _url_normal(match.group())
    host = address.split("/")[0]
    return frozenset({("url", address)}), frozenset({("url", address), ("url", host)})


def _date_keys(year: int | None, month: int, day: int | None) -> tuple[Keys, Keys] | None:
    if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
        return None
    provided = {("month", month)}
    if day is not None:
        provided |= {("md", month, day), ("num", Decimal(day))}
    if year is not None:
        provided |= {("year", year), ("num", Decimal(year))}
    if year is not None and day is not None:
        required = {("ymd", year, month, day)}
        provided |= required
    elif day is not None:
        required = {("md", month, day)}
    else:
        required = provided & {("month", month), ("year", year)}
    return frozenset(required), frozenset(provided)


def _year(text: str | None) -> int | None:
    if text is None:
        return None
    return int(text) + 2000 if len(text) == 2 else int(text)


def _month(name: str) -> int:
    return _MONTHS.index(name[:3].lower()) + 1


def _day(text: str) -> int:
    return int(re.match(r"\d+", text).group())


def _iso_date(match: re.Match) -> tuple[Keys, Keys] | None:
    year, month, day = (int(part) for part in match.groups())
    return _date_keys(year, month, day)


def _numeric_date(match: re.Match) -> tuple[Keys, Keys] | None:
    day, month, year = int(match[1]), int(match[2]), _year(match[3])
    if month > 12 >= day:
        day, month = month, day
    return _date_keys(year, month, day)


def _day_month(match: re.Match) -> tuple[Keys, Keys] | None:
    return _date_keys(_year(match[3]), _month(match[2]), _day(match[1]))


def _month_day(match: re.Match) -> tuple[Keys, Keys] | None:
    return _date_keys(_year(match[3]), _month(match[1]), _day(match[2]))


def _month_year(match: re.Match) -> tuple[Keys, Keys] | None:
    return _date_keys(int(match[2]), _month(match[1]), None)


def _month_only(match: re.Match) -> tuple[Keys, Keys] | None:
    if match[1] == "May":
        before = re.search(r"(\w+)\W*$", match.string[max(0, match.start() - 30) : match.start()])
        if before is None or before[1].lower() not in _MAY_BEFORE:
            return None
    return _date_keys(None, _month(match[1]), None)


def _weekday_index(name: str) -> int:
    return [day[:3] for day in _WEEKDAYS].index(name[:3].lower())


def _weekdays(days: list[int]) -> tuple[Keys, Keys]:
    return _same({("weekday", day) for day in days})


def _weekday_range(match: re.Match) -> tuple[Keys, Keys]:
    first, last = _weekday_index(match[1]), _weekday_index(match[2])
    return _weekdays([(first + step) % 7 for step in range((last - first) % 7 + 1)])


def _weekday(match: re.Match) -> tuple[Keys, Keys]:
    return _weekdays([_weekday_index(match[1])])


def _week_part(match: re.Match) -> tuple[Keys, Keys]:
    return _weekdays([5, 6] if match[1].lower() == "weekend" else [0, 1, 2, 3, 4])


def _time_keys(hour: int, minute: int, *, ambiguous: bool) -> tuple[Keys, Keys] | None:
    if hour > 23 or minute > 59:
        return None
    half_day = hour % 12 or 12
    clock12 = ("time12", f"{half_day}:{minute:02d}")
    provided = {clock12, ("num", Decimal(half_day)), ("num", Decimal(hour))}
    if ambiguous:
        morning = hour % 12
        provided |= {
            ("time", f"{morning:02d}:{minute:02d}"),
            ("time", f"{morning + 12}:{minute:02d}"),
        }
        return frozenset({clock12}), frozenset(provided)
    exact = ("time", f"{hour:02d}:{minute:02d}")
    return frozenset({exact}), frozenset(provided | {exact})


def _time_am_pm(match: re.Match) -> tuple[Keys, Keys] | None:
    hour, minute = int(match[1]), int(match[2] or 0)
    if not 1 <= hour <= 12:
        return None
    hour = hour % 12 + (12 if match[3].lower() == "p" else 0)
    return _time_keys(hour, minute, ambiguous=False)


def _time_24(match: re.Match) -> tuple[Keys, Keys] | None:
    hour = int(match[1])
    ambiguous = 1 <= hour <= 12 and not match[1].startswith("0")
    return _time_keys(hour, int(match[2]), ambiguous=ambiguous)


def _time_named(match: re.Match) -> tuple[Keys, Keys] | None:
    return _time_keys(0 if match[1].lower() == "midnight" else 12, 0, ambiguous=False)


def _money_keys(currency: str, values: list[Decimal]) -> tuple[Keys, Keys]:
    required = {("money", currency, value) for value in values}
    return frozenset(required), frozenset(required | {("num", value) for value in values})


def _money_symbol(match: re.Match) -> tuple[Keys, Keys]:
    currency = _CURRENCIES[(match[1] or match[2]).lower()]
    return _money_keys(currency, [_value(text) for text in (match[3], match[4]) if text])


def _pence(match: re.Match) -> tuple[Keys, Keys]:
    return _money_keys("GBP", [_value(match[1]) / 100])


def _money_words(match: re.Match) -> tuple[Keys, Keys]:
    unit = match[2].lower()
    value = _value(match[1]) / (100 if unit == "pence" else 1)
    return _money_keys(_CURRENCIES[unit.removesuffix("s")], [value])


def _percent(match: re.Match) -> tuple[Keys, Keys]:
    value = _value(match[1])
    return frozenset({("pct", value)}), frozenset({("pct", value), ("num", value)})


def _phone_digits(text: str) -> str:
    text = text.replace("(0)", "")
    digits = re.sub(r"\D", "", text)
    if text.startswith("00"):
        text, digits = "+", digits[2:]
    if not text.startswith("+"):
        return digits
    if digits.startswith("44"):
        return "0" + digits[2:]
    return digits[1:] if digits.startswith("1") and len(digits) == 11 else "+" + digits


def _phone(match: re.Match) -> tuple[Keys, Keys] | None:
    text = match.group()
    digits = re.sub(r"\D", "", text.replace("(0)", ""))
    us_style = re.fullmatch(r"\d{3}[ .-]\d{3}[ .-]\d{4}", text)
    if not 9 <= len(digits) <= 15 or not (text[0] in "+(0" or us_style):
        return None
    return _same({("phone", _phone_digits(text))})


def _short_phone(match: re.Match) -> tuple[Keys, Keys]:
    digits = re.sub(r"\D", "", match.group())
    return frozenset({("phone", digits)}), frozenset({("phone", digits), ("num", Decimal(digits))})


def _number(match: re.Match) -> tuple[Keys, Keys]:
    return _same({("num", _value(match[1] or match[2]))})


# In priority order: a later pattern never takes text that an earlier one took, so the 12 of
# "12 March" is a date only and the 3.95 of "£3.95" an amount only. The last field lists words
# one of which the lowercased text must hold for the pattern to be tried at all (speed only).
_PATTERNS = [
    ("email", r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", _email, ("@",)),
    ("url", rf"(?i)\bhttps?://[^\s<>\"']*{_URL_END}", _url, ("http",)),
    ("url", rf"(?i)\bwww\.[^\s<>\"']*{_URL_END}", _url, ("www.",)),
    (
        "url",
        rf"(?i)(?<![@\w.-])[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:{_TLDS})\b"
        rf"(?:/(?:[^\s<>\"']*{_URL_END})?)?",
        _url,
        (".",),
    ),
    ("date", r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", _iso_date, ("-",)),
    ("date", r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})\b", _numeric_date, ("/", ".")),
    (
        "phone",
        r"(?<![\w+])(?:\+\d{1,3}[ .-]?(?:\(0\)[ .-]?)?)?(?:\(\d{2,5}\)[ .-]?)?"
        r"\d{2,11}(?:[ .-]\d{2,6}){0,4}(?!\w|[.-]?\d)",
        _phone,
        (),
    ),
    ("time", r"\b(\d{1,2})(?:[:.](\d{2}))?\s*(?i:([ap])\.?m)\b", _time_am_pm, ()),
    ("time", r"(?<![\d.:])([01]?\d|2[0-3]):([0-5]\d)(?![\d:])", _time_24, (":",)),
    (
        "time",
        r"\b(?:12\s*)?(?i:(noon|midday|midnight))\b",
        _time_named,
        ("noon", "midday", "midnight"),
    ),
    (
        "money",
        rf"(?:([£$€])\s?|\b(GBP|USD|EUR)\s?)({_DIGITS})(?:[-–][£$€]?({_DIGITS}))?"
        rf"{_NUMBER_END}",
        _money_symbol,
        ("£", "$", "€", "gbp", "usd", "eur"),
    ),
    (
        "money",
        rf"(?<![\w.])({_DIGITS}|{_WORD_NUMBER})\s*"
        rf"(?i:(pounds?|quid|sterling|dollars?|euros?|pence|gbp|usd|eur))\b",
        _money_words,
        ("pound", "quid", "sterling", "dollar", "euro", "pence", "gbp", "usd", "eur"),
    ),
    ("money", r"(?<![\w.£$€])(\d+)p\b", _pence, ()),
    (
        "percent",
        rf"(?<![\w.])({_DIGITS}|{_WORD_NUMBER})\s*(?:%|(?i:per\s?cent|percent)\b)",
        _percent,
        ("%", "cent"),
    ),
    (
        "date",
        rf"\b({_WEEKDAY_ANY})s?\b\.?\s*(?:-|–|—|to|until|till|through|thru)\s*"
        rf"({_WEEKDAY_ANY})s?\b",
        _weekday_range,
        (),
    ),
    ("date", r"\b(?i:(weekend|weekday)s?)\b", _week_part, ("week",)),
    (
        "date",
        rf"\b({_DAY_OF_MONTH})\s+(?:of\s+)?({_MONTH_NAME})\b(?:,?\s+(\d{{4}})\b)?",
        _day_month,
        (),
    ),
    (
        "date",
        rf"\b({_MONTH_NAME})\s+({_DAY_OF_MONTH})\b(?!\s*(?:[ap]\.?m\b|%|:))"
        rf"(?:,?\s+(\d{{4}})\b)?",
        _month_day,
        (),
    ),
    ("date", rf"\b({_MONTH_NAME})\s+(\d{{4}})\b", _month_year, ()),
    ("date", rf"\b({_WEEKDAY})s?\b", _weekday, ("day",)),
    ("date", rf"\b({_MONTH_FULL})\b", _month_only, ()),
    ("phone", rf"(?<![\w£$€.,])(?:{_SHORT_PHONES}){_NUMBER_END}", _short_phone, ()),
    (
        "number",
        rf"(?<![\w.£$€])(?:({_DIGITS})(?:st|nd|rd|th)?|({_WORD_NUMBER})){_NUMBER_END}",
        _number,
        (),
    ),
]
COMPILED_PATTERNS = [
    (kind, re.compile(pattern), keys, needles) for kind, pattern, keys, needles in _PATTERNS
]

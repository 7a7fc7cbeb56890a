"""Days and times of day in a patient's message, relative to today: "tomorrow", "next
Tuesday", "on Fri", "12 March", "March 12th", "12/03" (day first), "2026-03-12"; "morning",
"10am", "14:30". Plain Python, no Django: callers pass today.

A weekday means its next occurrence after today ("next Tuesday" and "Tuesday" alike); the
confirmation question shows the full date, so the patient can correct it."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

_WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_WEEKDAY = (r"mon(?:day)?|tue(?:s(?:day)?)?|wed(?:s|nesday)?|thu(?:r(?:s(?:day)?)?)?"
            r"|fri(?:day)?|saturday|sunday")
_MONTH = (r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
_DAY = r"[12]\d|3[01]|0?[1-9]"
_ORDINAL = r"(?:st|nd|rd|th)?"
_DATE = re.compile(
    r"\b(?:(?P<relative>day after tomorrow|today|tomorrow|tmrw|tmr)"
    rf"|(?:the\s+)?(?P<day1>{_DAY}){_ORDINAL}(?:\s+of)?\s+(?P<month1>{_MONTH})"
    r"(?:\s+(?P<year1>\d{4}))?"
    rf"|(?P<month2>{_MONTH})\s+(?:the\s+)?(?P<day2>{_DAY}){_ORDINAL}(?:,?\s+(?P<year2>\d{{4}}))?"
    r"|(?P<iso>\d{4}-\d{2}-\d{2})"
    rf"|(?P<day3>{_DAY})/(?P<month3>1[0-2]|0?[1-9])(?:/(?P<year3>\d{{4}}|\d{{2}}))?"
    rf"|(?P<weekday>{_WEEKDAY}))(?![\w/])",
    re.IGNORECASE)
# A date the patient wants instead: "to Friday", "for the 12th of March", "instead … Friday".
_TARGET = re.compile(r"\b(?:to|for|till|until|instead|rather|prefer|make it)\s+(?:\w+\s+){0,2}$",
                     re.IGNORECASE)
_PERIOD = re.compile(r"\b(morning|afternoon|evening|any\s*time|whenever|any)\b", re.IGNORECASE)
_CLOCK_12 = re.compile(r"\b(1[0-2]|0?[1-9])(?:[:.]([0-5]\d))?\s*(am|pm|a\.m\.|p\.m\.)",
                       re.IGNORECASE)
_CLOCK_24 = re.compile(r"\b([01]?\d|2[0-3]):([0-5]\d)\b")
_NOON = re.compile(r"\b(noon|midday)\b", re.IGNORECASE)


@dataclass(frozen=True)
class FoundDate:
    day: date
    start: int
    target: bool  # written as the date wanted ("to Friday"), not the one there is


def dates_find(text: str, today: date) -> list[FoundDate]:
    """The dates in the text in order; impossible ones ("31/02") are left out."""
    found = []
    for match in _DATE.finditer(text):
        day = _date(match, today)
        if day is not None:
            found.append(FoundDate(day=day, start=match.start(),
                                   target=bool(_TARGET.search(text[:match.start()]))))
    return found


def _date(match: re.Match, today: date) -> date | None:
    parts = match.groupdict()
    try:
        if parts["relative"]:
            word = parts["relative"].lower()
            offset = {"today": 0, "day after tomorrow": 2}.get(word, 1)
            return today + timedelta(days=offset)
        if parts["weekday"]:
            weekday = _WEEKDAYS[parts["weekday"][:3].lower()]
            return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)
        if parts["iso"]:
            return date.fromisoformat(parts["iso"])
        for n in "123":
            if parts[f"day{n}"]:
                month = parts[f"month{n}"]
                month = int(month) if month.isdigit() else _MONTHS[month[:3].lower()]
                return _with_year(int(parts[f"day{n}"]), month, parts[f"year{n}"], today)
    except ValueError:
        return None
    return None


def _with_year(day: int, month: int, year: str | None, today: date) -> date:
    if year:
        return date(int(year) + (2000 if len(year) == 2 else 0), month, day)
    candidate = date(today.year, month, day)
    return candidate if candidate >= today else date(today.year + 1, month, day)


def day_first(text: str, today: date) -> date | None:
    found = dates_find(text, today)
    return found[0].day if found else None


def day_current(text: str, today: date) -> date | None:
    """The date of the appointment there is: the first not written as a wanted date."""
    return next((f.day for f in dates_find(text, today) if not f.target), None)


def day_wanted(text: str, today: date) -> date | None:
    """The date wanted instead: one written as such ("to Friday"), else the last of two."""
    found = dates_find(text, today)
    wanted = [f.day for f in found if f.target]
    if wanted:
        return wanted[0]
    return found[-1].day if len(found) > 1 else None


def time_of_day(text: str) -> str | None:
    """"morning", "afternoon", "evening", "any", or a clock time "HH:MM"."""
    clock = _CLOCK_12.search(text)
    if clock:
        hour = int(clock.group(1)) % 12 + (12 if clock.group(3).lower().startswith("p") else 0)
        return f"{hour:02d}:{int(clock.group(2) or 0):02d}"
    clock = _CLOCK_24.search(text)
    if clock:
        return f"{int(clock.group(1)):02d}:{clock.group(2)}"
    if _NOON.search(text):
        return "12:00"
    period = _PERIOD.search(text)
    if period:
        word = period.group(1).lower()
        return word if word in ("morning", "afternoon", "evening") else "any"
    return None


_ORDINAL_WORDS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
                  "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth",
                  "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth")


def _day_forms(number: int) -> set[str]:
    """How a day of the month may be written: "12", "12th", "twelfth", "twenty first"."""
    forms = {str(number), f"{number:02d}", f"{number}{_suffix(number)}"}
    tens, units = divmod(number, 10)
    if number < 20:
        forms.add(_ORDINAL_WORDS[number - 1])
    elif units == 0:
        forms.add("twentieth" if tens == 2 else "thirtieth")
    else:
        forms.add(f"{'twenty' if tens == 2 else 'thirty'} {_ORDINAL_WORDS[units - 1]}")
    return forms


def _suffix(number: int) -> str:
    if 10 <= number % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")


def date_mentioned(text: str, day: date, today: date) -> bool:
    """Whether the text names this day, however loosely worded ("December, on the twelfth",
    "Fri", "tomorrow"): a date read by a model is kept only when the patient wrote it."""
    words = re.findall(r"[a-z]+|\d+(?:st|nd|rd|th)?", text.lower().replace("-", " "))
    phrase = f" {' '.join(words)} "
    if day < today:
        return False
    if day - today <= timedelta(days=2):
        relative = {0: ("today",), 1: ("tomorrow", "tmrw", "tmr"), 2: ("day after tomorrow",)}
        if any(f" {word} " in phrase for word in relative[(day - today).days]):
            return True
    weekday = f"{day:%A}".lower()
    if day - today <= timedelta(days=7) and any(
            word[:3] == weekday[:3] and weekday.startswith(word) for word in words):
        return True
    month = f"{day:%B}".lower()
    month_named = any(len(word) >= 3 and month.startswith(word) for word in words)
    return month_named and any(f" {form} " in phrase for form in _day_forms(day.day)) and (
        day - today < timedelta(days=366))


def day_describe(day: date) -> str:
    """Tuesday 3 March."""
    return f"{day:%A} {day.day} {day:%B}"


def time_describe(value: str) -> str:
    if value == "any":
        return "any time"
    if ":" in value:
        hour, minute = (int(part) for part in value.split(":"))
        suffix = "am" if hour < 12 else "pm"
        shown = hour % 12 or 12
        return f"{shown}{f':{minute:02d}' if minute else ''}{suffix}"
    return value

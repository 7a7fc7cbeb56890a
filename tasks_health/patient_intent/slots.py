"""Slot fillers for the patient-message templates.

A filler returns segments, not a string: each segment is a piece of the final text and the slot
type it is (None for template text), so a message keeps where every value sits in it. One slot
can give several segments ("tomorrow at 9.30" is a date, " at " and a time).

Named pools (pools.POOLS) hold about a fifth of their values out of training, so evaluation sees
clinicians, medicines and tests the model never met. Values a patient types (dates, times,
reference numbers, amounts) are drawn fresh each time instead.
"""

import functools
import random
import string
from collections.abc import Callable
from typing import Literal, NamedTuple

from .pools import DURATIONS, MEDICATION_DOSES, MONTHS, POOL_KINDS, POOLS, WEEKDAYS

ValueScope = Literal["all", "seen", "held_out"]

HELD_OUT_VALUE_FRACTION = 0.2


class Segment(NamedTuple):
    """A piece of a message: template text (kind None) or a slot value of type ``kind``."""

    text: str
    kind: str | None = None


class SlotPicker:
    """Picks slot values for one message from the pools a scope allows, remembering them."""

    def __init__(self, rng: random.Random, scope: ValueScope) -> None:
        self.rng = rng
        self.scope = scope
        self.used: list[str] = []

    def pick(self, pool: str) -> Segment:
        value = self.rng.choice(values_in_scope(pool, self.scope))
        self.used.append(f"{pool}:{value}")
        return Segment(value, POOL_KINDS.get(pool, pool))

    def digits(self, count: int) -> str:
        return "".join(self.rng.choices(string.digits, k=count))


SlotFiller = Callable[[SlotPicker], list[Segment]]


def held_out_values(pool: str) -> tuple[str, ...]:
    """Values of a pool reserved for held-out evaluation, in table order."""
    reserved = _held_out_set(pool)
    return tuple(value for value in POOLS[pool] if value in reserved)


def values_in_scope(pool: str, scope: ValueScope) -> tuple[str, ...]:
    if scope == "all":
        return POOLS[pool]
    reserved = _held_out_set(pool)
    if scope == "seen":
        return tuple(value for value in POOLS[pool] if value not in reserved)
    if scope == "held_out":
        return held_out_values(pool)
    raise ValueError(f"unknown value scope {scope!r}; use 'all', 'seen' or 'held_out'")


@functools.cache
def _held_out_set(pool: str) -> frozenset[str]:
    values = POOLS[pool]
    count = max(1, round(len(values) * HELD_OUT_VALUE_FRACTION))
    # A string seed is hashed with SHA-512, so the choice is stable across processes.
    return frozenset(random.Random(f"held-out-values:{pool}").sample(values, count))


def _ordinal(day: int) -> str:
    return f"{day}" + {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd"}.get(day, "th")


def _calendar_date(picker: SlotPicker) -> str:
    """A date in one of the shapes patients write, US and UK alike."""
    rng = picker.rng
    day, month = rng.randint(1, 28), rng.randint(1, 12)
    name = MONTHS[month - 1]
    shapes = (
        f"{month}/{day}", f"{day}/{month}", f"{day:02d}/{month:02d}", f"{day}.{month}.",
        f"{day} {name}", f"{_ordinal(day)} {name}", f"{name} {day}", f"{name} {_ordinal(day)}",
        f"{day} {name[:3]}", f"the {_ordinal(day)}", f"{rng.choice(WEEKDAYS)[:3]} {_ordinal(day)}",
        f"{rng.choice(WEEKDAYS)} {day} {name}", f"{day:02d}/{month:02d}/2025",
        f"2025-{month:02d}-{day:02d}",
    )
    return rng.choice(shapes)


def _date(picker: SlotPicker, pool: str = "day") -> list[Segment]:
    if picker.rng.random() < 0.4:
        return [picker.pick(pool)]
    return [Segment(_calendar_date(picker), "date")]


def _past_date(picker: SlotPicker) -> list[Segment]:
    return _date(picker, "past_day")


# "on" reads well before "Friday" or "3/14", not before "tomorrow", "next tue" or "last week".
_RELATIVE_DAY_STARTS = ("next", "this", "tomorrow", "tmrw", "today", "the day", "later",
                        "monday week", "yesterday", "yday", "last", "earlier", "the other")


def _with_on(date_filler: SlotFiller) -> SlotFiller:
    """A date after "on" where the date takes one ("on 3/14", "on Friday", "tomorrow")."""
    def fill(picker: SlotPicker) -> list[Segment]:
        date = date_filler(picker)
        if date[0].text.lower().startswith(_RELATIVE_DAY_STARTS) or picker.rng.random() < 0.15:
            return date
        return [Segment("on "), *date]
    return fill


def _time(picker: SlotPicker) -> list[Segment]:
    rng = picker.rng
    hour, minute = rng.randint(8, 17), rng.choice((0, 10, 15, 20, 30, 40, 45, 50))
    twelve = hour if hour <= 12 else hour - 12
    meridiem = "am" if hour < 12 else "pm"
    shapes = (
        f"{twelve}.{minute:02d}", f"{twelve}:{minute:02d}", f"{twelve}:{minute:02d}{meridiem}",
        f"{twelve}.{minute:02d}{meridiem}", f"{hour:02d}:{minute:02d}", f"{twelve}{meridiem}",
        f"{twelve} {meridiem}", f"{twelve}:{minute:02d} {meridiem.upper()}", f"half {twelve}",
        f"{twelve} o'clock", f"quarter past {twelve}", f"{hour:02d}{minute:02d}hrs",
    )
    return [Segment(rng.choice(shapes), "time")]


def _when(picker: SlotPicker) -> list[Segment]:
    """A day and a time together: "tomorrow at 9.30", "2pm on Friday", "3/14 @ 10:15"."""
    date, time = _date(picker), _time(picker)
    if picker.rng.random() < 0.7:
        separator = picker.rng.choice((" at ", " at ", " @ ", ", ", " ", " at about "))
        return [*date, Segment(separator), *time]
    relative = date[0].text.lower().startswith(_RELATIVE_DAY_STARTS)
    separator = " " if relative else " on "
    return [*time, Segment(separator), *date]


def _medication_with_dose(picker: SlotPicker) -> list[Segment]:
    """A medicine with one of its own strengths, in either order."""
    medication = picker.pick("medication")
    dose = picker.rng.choice(MEDICATION_DOSES[medication.text])
    if picker.rng.random() < 0.2 and "/" not in dose:
        dose = dose.replace("mg", " mg").replace("mcg", " mcg")
    dose_segment = Segment(dose, "dose")
    shape = picker.rng.randrange(5)
    if shape == 0:
        return [dose_segment, Segment(" "), medication]
    if shape == 1:
        return [medication, Segment(" ("), dose_segment, Segment(")")]
    return [medication, Segment(" "), dose_segment]


def _reference(picker: SlotPicker) -> str:
    """Invoice, booking and patient reference numbers in the shapes clinics print them."""
    rng = picker.rng
    shapes = (
        lambda: f"INV-{picker.digits(5)}",
        lambda: f"#{picker.digits(6)}",
        lambda: f"{rng.choice(('HC', 'PT', 'BK', 'RX'))}{picker.digits(6)}",
        lambda: f"REF-{picker.digits(4)}-{picker.digits(4)}",
        lambda: picker.digits(8),
        lambda: f"INV{picker.digits(7)}",
        lambda: f"{rng.choice('ABCDEFGH')}-{picker.digits(6)}",
        lambda: f"{picker.digits(4)}/{picker.digits(2)}",
    )
    return rng.choice(shapes)()


def _amount(picker: SlotPicker) -> str:
    rng = picker.rng
    whole = rng.choice((rng.randint(9, 95), rng.randint(100, 480)))
    pence = rng.choice(("00", "50", "99", f"{rng.randint(0, 99):02d}"))
    shapes = (f"£{whole}", f"£{whole}.{pence}", f"${whole}", f"${whole}.{pence}", f"€{whole}",
              f"{whole} pounds", f"{whole}.{pence} GBP", f"{whole} dollars")
    return rng.choice(shapes)


def _date_of_birth(picker: SlotPicker) -> str:
    rng = picker.rng
    day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(1932, 2019)
    shapes = (f"{day:02d}/{month:02d}/{year}", f"{day}/{month}/{year % 100:02d}",
              f"{day}.{month}.{year}", f"{day} {MONTHS[month - 1]} {year}",
              f"{year}-{month:02d}-{day:02d}", f"{month}/{day}/{year}")
    return rng.choice(shapes)


def _phone(picker: SlotPicker) -> str:
    """Numbers from the ranges set aside for drama and examples, never a real line."""
    shapes = (lambda: f"07700 900{picker.digits(3)}", lambda: f"+44 7700 900{picker.digits(3)}",
              lambda: f"555-01{picker.digits(2)}", lambda: f"(212) 555-01{picker.digits(2)}")
    return picker.rng.choice(shapes)()


def _typed(kind: str, draw: Callable[[SlotPicker], str]) -> Callable[[SlotPicker], list[Segment]]:
    return lambda picker: [Segment(draw(picker), kind)]


SLOT_FILLERS: dict[str, SlotFiller] = {
    "date": _date,
    "on_date": _with_on(_date),
    "past": _past_date,
    "on_past": _with_on(_past_date),
    "time": _time,
    "when": _when,
    "med": _medication_with_dose,
    "reference": _typed("reference", _reference),
    "amount": _typed("amount", _amount),
    "dob": _typed("date_of_birth", _date_of_birth),
    "phone": _typed("phone", _phone),
    "duration": _typed("duration", lambda picker: picker.rng.choice(DURATIONS)),
    **{pool: (lambda picker, pool=pool: [picker.pick(pool)])
       for pool in ("department", "clinician", "medication", "test", "symptom", "site",
                    "patient_name")},
}

# Every slot type a generated message can record.
SLOT_KINDS: frozenset[str] = frozenset({
    "date", "time", "dose", "reference", "amount", "date_of_birth", "phone", "duration",
    "department", "clinician", "medication", "test", "symptom", "site", "patient_name",
})

"""Slots for the PHI templates: what fills "{woman:titled}", "{mrn:labelled}" or "{lab}".

A slot draws one value per text ("{patient}" twice is one patient) and renders it, per use, in
a shape its variant asks for. A rendering is a list of segments, each a piece of the final text
with its kind: a PHI type (labels.PHI_TYPES), a hard negative's kind (HARD_NEGATIVE_KINDS: an
age of 89 or under, a dose, a lab value, a facility, ...) or None for plain text, so every
span is exact and every hard negative is known to the tests. Labels and titles ("MRN:", "Dr")
are plain text outside the spans, as labels.py says.

A text is written for one locale, "us" or "uk" (SlotPicker.locale): phones, addresses, dates
and licences follow it. About a fifth of each named pool (people, streets, towns, counties) is
held out of training.
"""

import datetime
import random
import string
from collections.abc import Callable

from slm_platform.core.entity_starter_kit import (
    HeldOutPools,
    Segment,
    Slot,
    ValuePicker,
    ValueScope,
)
from tasks_health.patient_intent.pools import MEDICATION_DOSES

from . import numbers, pools
from .pools import POOLS

Person = tuple[str, str, str]  # (title, first name, surname)

HARD_NEGATIVE_KINDS: frozenset[str] = frozenset({
    "young_age", "year", "weekday", "time", "duration", "dose", "measure", "code", "drug",
    "facility", "region", "role",
})
HELD_OUT_VALUE_FRACTION = 0.2
# Slots that only occur in one country's records: a template using one is written for it.
LOCALE_SLOTS: dict[str, str] = {"ssn": "us", "plan": "us", "dea": "us", "npi": "us",
                                "state": "us", "nhs": "uk"}
_FIRST_DAY, _LAST_DAY = datetime.date(2019, 1, 1), datetime.date(2026, 6, 30)
_STREET_SHORT = {"Street": "St", "Avenue": "Ave", "Road": "Rd", "Drive": "Dr", "Lane": "Ln",
                 "Court": "Ct", "Boulevard": "Blvd", "Place": "Pl"}
_DRUGS = tuple(MEDICATION_DOSES) + pools.EXTRA_DRUGS
_VALUES = HeldOutPools(POOLS, fraction=HELD_OUT_VALUE_FRACTION)
held_out_values = _VALUES.held_out_values
values_in_scope = _VALUES.values_in_scope


class SlotPicker(ValuePicker):
    """Draws the values of one text, in one locale, from the pools a scope allows; remembers
    the named values used, the people drawn (for emails and URLs), its first date and age."""

    def __init__(self, rng: random.Random, scope: ValueScope, locale: str) -> None:
        super().__init__(rng, scope, pools=_VALUES)
        self.locale = locale
        self.people: list[Person] = []
        self.first_day: datetime.date | None = None
        self.age: int | None = None

    def logs(self) -> tuple[list, ...]:
        return (self.used, self.people)

    def person(self, gender: str, title: str | None = None) -> Person:
        gender = gender if gender != "any" else self.rng.choice(("female", "male"))
        title = title or self.rng.choice(pools.TITLES[gender] * 12 + pools.TITLES["any"])
        person = (title, self.pick(gender), self.pick("surname"))
        self.people.append(person)
        return person

    def city(self) -> str:
        return self.pick("us_city" if self.locale == "us" else "uk_town")


# Names: a title stays outside the span.

def _name(picker: SlotPicker, person: Person, variant: str) -> list[Segment]:
    rng = picker.rng
    title, first, last = person
    if variant in ("first", "last"):
        return [Segment(first if variant == "first" else last, "NAME")]
    if variant == "caps":
        return [Segment(rng.choice((f"{last}, {first}", f"{first} {last}")).upper(), "NAME")]
    if variant == "titled" or (title == "Dr" and variant != "plain"):
        dotted = title + ("." if rng.random() < 0.3 else "")
        name = rng.choice((last, last, f"{first} {last}"))
        return [Segment(f"{dotted} "), Segment(name, "NAME")]
    return [Segment(rng.choice((f"{first} {last}",) * 5 + (f"{first[0]}. {last}",
                                                          f"{last}, {first}")), "NAME")]


def _person(gender: str, title: str | None = None) -> Slot:
    return Slot(lambda picker: picker.person(gender, title), _name)


# Places.

def _street_line(picker: SlotPicker, street: str) -> str:
    rng = picker.rng
    if picker.locale == "us" and rng.random() < 0.5:
        kind = street.rsplit(" ", 1)[-1]
        street = street[: -len(kind)] + _STREET_SHORT.get(kind, kind)
    line = f"{rng.randint(1, 2400 if picker.locale == 'us' else 180)} {street}"
    if rng.random() < 0.2:
        unit = rng.choice((f"Apt {rng.randint(1, 30)}{rng.choice('ABC')}",
                           f"Unit {rng.randint(1, 12)}"))
        line = f"Flat {rng.randint(1, 12)}, {line}" if picker.locale == "uk" else f"{line}, {unit}"
    return line


def _postcode(picker: SlotPicker, city: str) -> str:
    rng = picker.rng
    parts = city.split("|")
    if picker.locale == "us":
        plus4 = f"-{rng.randint(1000, 9999)}" if rng.random() < 0.15 else ""
        return f"{parts[2]}{rng.randint(1, 99):02d}{plus4}"
    letters = "".join(rng.choices("ABDEFGHJLNPQRSTUWXYZ", k=2))
    return f"{parts[1]}{rng.randint(1, 29)} {rng.randint(1, 9)}{letters}"


def _parts(line: str, separator: str = ", ") -> list[Segment]:
    """A line of an address as its components, each a LOCATION, the separators plain."""
    segments: list[Segment] = []
    for part in line.split(separator):
        if segments:
            segments.append(Segment(separator))
        segments.append(Segment(part, "LOCATION"))
    return segments


def _town_line(picker: SlotPicker, city: str) -> list[Segment]:
    """"Worcester, MA 01608" (the state alone is no identifier) or "Cardiff CF28 8LE"."""
    parts = city.split("|")
    if picker.locale == "us":
        postcode = _postcode(picker, city)
        return [Segment(parts[0], "LOCATION"), Segment(f", {parts[1]} "),
                Segment(postcode, "LOCATION")]
    separator = picker.rng.choice((" ", ", "))
    return [Segment(parts[0], "LOCATION"), Segment(separator),
            Segment(_postcode(picker, city), "LOCATION")]


def _address(picker: SlotPicker, value: tuple[str, str], variant: str) -> list[Segment]:
    """One line ("12 Elm St, Worcester, MA 01608"), "street" only or two "lines"; every
    component (street line, flat or unit, town, ZIP or postcode) is a LOCATION of its own, so
    an address is cut the same way wherever it is written."""
    street, city = value
    if variant == "street":
        return _parts(_street_line(picker, street))
    if variant == "lines":
        return [*_parts(_street_line(picker, street)), Segment("\n"), *_town_line(picker, city)]
    return [*_parts(_street_line(picker, street)), Segment(", "), *_town_line(picker, city)]


def _city(picker: SlotPicker, city: str, variant: str) -> list[Segment]:
    name, *rest = city.split("|")
    if variant == "state" and picker.locale == "us":
        return [Segment(name, "LOCATION"), Segment(f", {rest[0]}")]
    return [Segment(name, "LOCATION")]


# Dates and ages.

def _day(picker: SlotPicker) -> datetime.date:
    """A day in 2019-2026; a text's later dates follow its first within a few weeks."""
    if picker.first_day is None:
        picker.first_day = numbers.day_between(picker.rng, _FIRST_DAY, _LAST_DAY)
        return picker.first_day
    return picker.first_day + datetime.timedelta(days=picker.rng.randint(1, 60))


def _birthday(picker: SlotPicker) -> datetime.date:
    """A birth date; for a text that gave an age, one that fits it."""
    if picker.age is not None:
        year = 2025 - picker.age
        return numbers.day_between(picker.rng, datetime.date(year - 1, 1, 1),
                                   datetime.date(year, 12, 31))
    return numbers.day_between(picker.rng, datetime.date(1926, 1, 1), datetime.date(2007, 12, 31))


def _date(picker: SlotPicker, day: datetime.date, variant: str) -> list[Segment]:
    return [Segment(picker.rng.choice(numbers.date_shapes(day, variant, picker.locale)), "DATE")]


def _draw_age(draw: Callable[[random.Random], int]) -> Callable[[SlotPicker], int]:
    def drawn(picker: SlotPicker) -> int:
        picker.age = draw(picker.rng)
        return picker.age
    return drawn


def _age(kind: str) -> Callable[[SlotPicker, int, str], list[Segment]]:
    """The number alone is the span: "a 92-year-old", "aged 92", "92 y/o" ("a" keeps the
    article, "aged" the forms that follow a noun, "bare" the number alone)."""
    def render(picker: SlotPicker, age: int, variant: str) -> list[Segment]:
        rng = picker.rng
        if variant == "bare":
            return [Segment(str(age), kind)]
        before, after = rng.choice(
            (("aged ", ""), ("aged ", ""), ("", " years old"), ("", " yrs old"), ("age ", ""))
            if variant == "aged" else
            (("", "-year-old"), ("", "-year-old"), ("", " yo"), ("", " y/o"), ("", " year old"),
             ("", "-yr-old"), ("", " y.o.")))
        if variant == "a":
            before = "an " if str(age).startswith("8") or age in (11, 18) else "a "
        return [Segment(before), Segment(str(age), kind), Segment(after)]
    return render


# Identifiers.

def _as(kind: str) -> Callable[[SlotPicker, str, str], list[Segment]]:
    """A rendering that writes the drawn value as it is, as one segment of `kind`."""
    return lambda picker, value, _: [Segment(value, kind)]


def _plain(kind: str, draw: Callable[[random.Random], str]) -> Slot:
    return Slot(lambda picker: draw(picker.rng), _as(kind))


def _local(kind: str, draw: Callable[[random.Random, str], str]) -> Slot:
    return Slot(lambda picker: draw(picker.rng, picker.locale), _as(kind))


def _phone(picker: SlotPicker) -> str:
    rng = picker.rng
    if picker.locale == "uk":
        return numbers.uk_phone(rng)
    return numbers.phone_passing_nhs_check(rng) if rng.random() < 0.2 else numbers.us_phone(rng)


def _mrn(picker: SlotPicker, value: str, variant: str) -> list[Segment]:
    if variant != "labelled":
        return [Segment(value, "MRN")]
    label = picker.rng.choice(("MRN ", "MRN: ", "MR# ", "MR#", "Hosp no. ", "MRN#", "Unit no: "))
    return [Segment(label), Segment(value, "MRN")]


def _plan(picker: SlotPicker) -> str:
    return numbers.mbi(picker.rng) if picker.rng.random() < 0.4 else numbers.member_id(picker.rng)


def _handle(rng: random.Random, person: Person) -> dict[str, str]:
    first, last = person[1].lower(), person[2].lower().replace("'", "").replace("-", "")
    return {"slug": f"{first}-{last}", "dot": f"{first}.{last}",
            "handle": rng.choice((f"{first}{last[0]}{rng.randint(1, 99)}", f"{first}_{last}",
                                  f"{last}{first[0]}", f"{first}{rng.randint(1950, 2005)}"))}


def _someone(picker: SlotPicker) -> Person:
    """The text's first person, mostly, whose email or page it is; else someone new."""
    if picker.people and picker.rng.random() < 0.8:
        return picker.people[0]
    return picker.person("any")


def _email(picker: SlotPicker) -> str:
    rng = picker.rng
    names = _handle(rng, _someone(picker))
    local = rng.choice((names["dot"], names["handle"], names["dot"].replace(".", "_"),
                        names["handle"] + str(rng.randint(1, 9))))
    return f"{local}@{rng.choice(pools.EMAIL_DOMAINS)}"


def _staff_email(picker: SlotPicker) -> str:
    person = picker.people[-1] if picker.people else picker.person("any", "Dr")
    return f"{_handle(picker.rng, person)['dot']}@{picker.rng.choice(pools.STAFF_DOMAINS)}"


def _url(picker: SlotPicker, kind: str) -> str:
    """A "personal" or "portal" web address (see pools.URL_SHAPES), or either."""
    rng = picker.rng
    shape = rng.choice(pools.URL_SHAPES.get(kind) or sum(pools.URL_SHAPES.values(), ()))
    named = any(f"{{{key}}}" in shape for key in ("slug", "dot", "handle"))
    names = _handle(rng, _someone(picker)) if named else {}
    alnum = "".join(rng.choices(string.ascii_letters + string.digits, k=rng.randint(7, 12)))
    return shape.format(n=rng.randint(10000, 99999999), x=alnum, **names)


def _dea(picker: SlotPicker) -> str:
    doctors = [person for person in picker.people if person[0] == "Dr"]
    return numbers.dea_number(picker.rng, doctors[0][2][0].upper() if doctors else None)


# Hard negatives.

def _measures(picker: SlotPicker, shapes: list[str], _: str) -> list[Segment]:
    segments = [Segment(numbers.measurement(picker.rng, shapes[0]), "measure")]
    for shape in shapes[1:]:
        segments += [Segment(picker.rng.choice((", ", ", ", "; ", "  "))),
                     Segment(numbers.measurement(picker.rng, shape), "measure")]
    return segments


def _medicine(picker: SlotPicker, drug: str, variant: str) -> list[Segment]:
    """A drug and its dose ("metformin 500mg bid"); "drug" writes the drug alone."""
    if variant == "drug":
        return [Segment(drug, "drug")]
    rng = picker.rng
    dose = rng.choice(MEDICATION_DOSES.get(drug, ("5 mg", "10mg", "40 mg", "1 tablet")))
    if rng.random() < 0.6:
        dose += " " + rng.choice(pools.FREQUENCIES)
    return [Segment(drug, "drug"), Segment(" "), Segment(dose, "dose")]


def _choice(kind: str, values: tuple[str, ...]) -> Slot:
    return _plain(kind, lambda rng: rng.choice(values))


SLOTS: dict[str, Slot] = {
    "patient": _person("any"), "woman": _person("female"), "man": _person("male"),
    "person": _person("any"), "doctor": _person("any", "Dr"),
    "address": Slot(lambda picker: (picker.pick("street"), picker.city()), _address),
    "city": Slot(SlotPicker.city, _city),
    "zip": Slot(lambda picker: _postcode(picker, picker.city()), _as("LOCATION")),
    "county": Slot(lambda picker: picker.pick(f"{picker.locale}_county"), _as("LOCATION")),
    "date": Slot(_day, _date),
    "dob": Slot(_birthday, lambda picker, day, variant: _date(picker, day, variant or "dob")),
    "age": Slot(_draw_age(numbers.old_age), _age("AGE")),
    "phone": Slot(_phone, _as("PHONE")), "email": Slot(_email, _as("EMAIL")),
    "staff_email": Slot(_staff_email, _as("EMAIL")),
    "url": Slot(lambda picker: picker.rng.random(),
                lambda picker, _, variant: [Segment(_url(picker, variant), "URL")]),
    "ip": _plain("IP", lambda rng: numbers.ipv4(rng) if rng.random() < 0.85 else numbers.ipv6(rng)),
    "ssn": _plain("SSN", numbers.ssn), "nhs": _plain("MRN", numbers.nhs_number),
    "mrn": Slot(lambda picker: numbers.mrn(picker.rng), _mrn),
    "plan": Slot(_plan, _as("HEALTH_PLAN")),
    "account": _plain("ACCOUNT", numbers.account_number),
    "dea": Slot(_dea, _as("LICENSE")),
    "npi": _plain("LICENSE", numbers.npi),
    "licence": _plain("LICENSE", numbers.professional_licence),
    "dl": _local("LICENSE", numbers.driving_licence),
    "plate": _local("VEHICLE", numbers.licence_plate),
    "vin": _plain("VEHICLE", numbers.vin), "serial": _plain("DEVICE", numbers.device_serial),
    "udi": _plain("DEVICE", numbers.udi),
    # Hard negatives.
    "young_age": Slot(_draw_age(numbers.young_age), _age("young_age")),
    "year": _plain("year", lambda rng: str(rng.randint(1975, 2025))),
    "weekday": _plain("weekday", lambda rng: rng.choice(pools.WEEKDAYS + ("Mon", "Tues", "Fri"))),
    "time": _plain("time", numbers.time_of_day), "duration": _choice("duration", pools.DURATIONS),
    "med": Slot(lambda picker: picker.rng.choice(_DRUGS), _medicine),
    "lab": Slot(lambda picker: picker.rng.sample(pools.LABS, picker.rng.randint(1, 3)), _measures),
    "vitals": Slot(lambda picker: picker.rng.sample(pools.VITALS, picker.rng.randint(1, 4)),
                   _measures),
    "fraction": _choice("measure", pools.FRACTIONS), "icd": _choice("code", pools.ICD_CODES),
    "cpt": _choice("code", pools.CPT_CODES), "facility": _choice("facility", pools.FACILITIES),
    "state": _choice("region", pools.STATES), "country": _choice("region", pools.COUNTRIES),
    "role": _choice("role", pools.ROLES),
}
ENTITY_SLOTS: frozenset[str] = frozenset({
    "patient", "woman", "man", "person", "doctor", "address", "city", "zip", "county", "date",
    "dob", "age", "phone", "email", "staff_email", "url", "ip", "ssn", "nhs", "mrn", "plan",
    "account", "dea", "npi", "licence", "dl", "plate", "vin", "serial", "udi",
})

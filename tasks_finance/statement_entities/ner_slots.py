"""Slots for the statement-entity templates: what fills "{merchant:caps}" or "{card:masked}".

A slot draws one value per text ("{person}" twice is one person) and renders it, per use, in
a shape its variant asks for ("caps", "masked", "short", ...). A rendering is a list of
segments, each a piece of the final text with its kind: an entity type (ENTITY_TYPES), a hard
negative's kind (HARD_NEGATIVE_KINDS: a reference, a phone number, "the bank", ...) or None for
plain text, so every entity keeps its exact span and every hard negative is known to tests.

Conventions for the spans: a title (Ms, MR) is outside a PERSON; a minus sign, "CR"/"DR" and
"ending" are outside; a currency sign or code is inside MONEY; a masked card or account
("**** 1234", "XXXX5678") is a CARD or ACCOUNT, and so are the bare last four digits after
"card ending" or "account ending". A sort code on its own, a BIC, a creditor id and relative
days ("yesterday") are not entities.
"""

import datetime
import random
from collections.abc import Callable

from slm_platform.core.entity_starter_kit import (
    HeldOutPools,
    Segment,
    Slot,
    ValuePicker,
    ValueScope,
)

from . import ner_numbers as numbers
from .ner_pools import GENERIC_ORGS, MONTHS, POOL_TYPES, POOLS, STREETS, TOWNS, WEEKDAYS

ENTITY_TYPES: tuple[str, ...] = ("ORG", "PERSON", "MONEY", "DATE", "ACCOUNT", "IBAN", "CARD")
HARD_NEGATIVE_KINDS: frozenset[str] = frozenset({
    "reference", "order", "phone", "postcode", "time", "percent", "digits", "arn", "bic",
    "rate", "bad_iban", "bad_card", "creditor_id", "sort_code", "generic_org", "place",
    "address", "store",
})
HELD_OUT_VALUE_FRACTION = 0.2
_FIRST_DAY, _LAST_DAY = datetime.date(2023, 1, 1), datetime.date(2026, 12, 31)
_VALUES = HeldOutPools(POOLS, fraction=HELD_OUT_VALUE_FRACTION)
held_out_values = _VALUES.held_out_values
values_in_scope = _VALUES.values_in_scope


class SlotPicker(ValuePicker):
    """Draws the values of one text from the pools a scope allows, remembering the named ones
    ("merchant:Tesco"), the currency the text is written in and its first date."""

    def __init__(self, rng: random.Random, scope: ValueScope) -> None:
        super().__init__(rng, scope, pools=_VALUES)
        self.currency = rng.choice(("GBP", "GBP", "GBP", "EUR", "EUR", "USD", "USD"))
        self.first_day: datetime.date | None = None


# Names.

def _organisation(picker: SlotPicker, value: str, variant: str) -> list[Segment]:
    return [Segment(value.upper() if variant == "caps" else value, "ORG")]


def _person(picker: SlotPicker, value: str, variant: str) -> list[Segment]:
    """A person as a letter ("Ms Hartwell"), an email ("Amelia") or a statement line
    ("A HARTWELL", "HARTWELL A") writes them; a title stays outside the span."""
    rng = picker.rng
    title, first, last = value.split(" ", 2)
    if variant == "first":
        return [Segment(first, "PERSON")]
    if variant == "titled":
        name = rng.choice((last, last, f"{first} {last}", f"{first[0]} {last}"))
        return [Segment(f"{title} "), Segment(name, "PERSON")]
    if variant == "caps":
        name = rng.choice((f"{first} {last}", f"{first[0]} {last}", f"{last} {first[0]}",
                           f"{last} {first}")).upper()
        if rng.random() < 0.2:
            return [Segment(f"{title.upper()} "), Segment(name, "PERSON")]
        return [Segment(name, "PERSON")]
    return [Segment(rng.choice((f"{first} {last}",) * 4 + (f"{first[0]}. {last}",)), "PERSON")]


# Amounts, dates and identifiers.

def _cents(picker: SlotPicker) -> int:
    rng = picker.rng
    whole = rng.choice((rng.randint(1, 99), rng.randint(1, 99), rng.randint(100, 999),
                        rng.randint(1000, 25000)))
    return whole * 100 + rng.choice((0, 0, 50, 99, rng.randint(1, 99)))


def _number(rng: random.Random, cents: int, *, continental: bool, bare: bool) -> str:
    """"1,234.56" or "1.234,56"; a round amount with a currency may drop its ".00"."""
    whole, fraction = divmod(cents, 100)
    text = f"{whole:,}" if whole >= 1000 and rng.random() < 0.7 else str(whole)
    if fraction or bare or rng.random() < 0.7:
        text += f".{fraction:02d}"
    return text.translate(str.maketrans(",.", ".,")) if continental else text


_CURRENCY_SHAPES = {
    "GBP": ("£{n}", "£{n}", "£{n}", "GBP {n}", "{n} GBP", "GBP{n}"),
    "EUR": ("€{n}", "€{n}", "EUR {n}", "{n} EUR", "{n} €", "€ {n}"),
    "USD": ("${n}", "${n}", "${n}", "USD {n}", "{n} USD", "US${n}"),
}


def _money(picker: SlotPicker, cents: int, variant: str) -> list[Segment]:
    """"£1,234.56", "EUR 12,50", "USD 40" or a bare "40.00"; "gbp", "eur" and "usd" fix the
    currency, "bare" drops it, "cur" keeps it, and no variant keeps it four times in five."""
    rng = picker.rng
    currency = variant.upper() if variant in ("gbp", "eur", "usd") else picker.currency
    continental = currency == "EUR" and rng.random() < 0.5
    bare = variant == "bare" or (not variant and rng.random() < 0.2)
    amount = _number(rng, cents, continental=continental, bare=bare)
    if bare:
        return [Segment(amount, "MONEY")]
    return [Segment(rng.choice(_CURRENCY_SHAPES[currency]).format(n=amount), "MONEY")]


def _day(picker: SlotPicker) -> datetime.date:
    """A day in 2023-2026; a text's later dates fall within a few weeks after its first, as a
    statement period or a due date does."""
    if picker.first_day is None:
        span = (_LAST_DAY - _FIRST_DAY).days
        picker.first_day = _FIRST_DAY + datetime.timedelta(days=picker.rng.randint(0, span))
        return picker.first_day
    return picker.first_day + datetime.timedelta(days=picker.rng.randint(1, 45))


def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _date_shapes(day: datetime.date, variant: str) -> tuple[str, ...]:
    d, m, y = day.day, day.month, day.year
    month, mon, weekday = MONTHS[m - 1], MONTHS[m - 1][:3], WEEKDAYS[day.weekday()]
    if variant == "short":
        return (f"{d} {mon}", f"{mon} {d}", f"{d}{mon.upper()}", f"{d:02d}/{m:02d}",
                f"{d} {month}", f"{month} {d}", f"{_ordinal(d)} {month}")
    if variant == "line":
        yy = f"{y % 100:02d}"
        return (f"{d:02d}{mon.upper()}{yy}", f"{d:02d} {mon}", f"{d:02d}/{m:02d}/{yy}",
                f"{y}-{m:02d}-{d:02d}", f"{d:02d}-{m:02d}-{y}", f"{d:02d} {mon.upper()} {yy}",
                f"{d:02d}.{m:02d}.{yy}")
    if variant == "month":
        return (f"{month} {y}", f"{mon} {y}", f"{mon.upper()} {y}", f"{month} {y}")
    if variant == "slash":
        return (f"{d:02d}/{m:02d}/{y}", f"{m:02d}/{d:02d}/{y}", f"{d}/{m}/{y}")
    return (f"{d} {mon} {y}", f"{d} {month} {y}", f"{m:02d}/{d:02d}/{y}", f"{d:02d}/{m:02d}/{y}",
            f"{y}-{m:02d}-{d:02d}", f"{month} {d}, {y}", f"{d:02d}.{m:02d}.{y}",
            f"{_ordinal(d)} {month} {y}", f"{mon} {d}, {y}", f"{weekday[:3]} {d} {mon} {y}",
            f"{d} {mon}", f"{mon} {d}")


def _date(picker: SlotPicker, day: datetime.date, variant: str) -> list[Segment]:
    return [Segment(picker.rng.choice(_date_shapes(day, variant)), "DATE")]


def _masked(rng: random.Random, last4: str, width: int) -> str:
    return rng.choice(("*", "X", "x")) * width + last4


def _account(picker: SlotPicker, value: tuple[str, str], variant: str) -> list[Segment]:
    """"12-34-56 12345678" ("sortcode"), "12345678" ("full"), "XXXX5678" ("masked") or the
    last four ("last4"); no variant takes one of the first three."""
    rng = picker.rng
    sort, number = value
    variant = variant or rng.choice(("full", "sortcode", "masked"))
    if variant == "sortcode":
        written = rng.choice((sort, sort, sort.replace("-", ""), sort.replace("-", " ")))
        return [Segment(f"{written} {number}", "ACCOUNT")]
    if variant == "masked":
        if rng.random() < 0.15:
            return [Segment(f"**-**-** ****{number[-4:]}", "ACCOUNT")]
        return [Segment(_masked(rng, number[-4:], rng.choice((2, 4, 4, 6))), "ACCOUNT")]
    if variant == "last4":
        return [Segment(number[-4:], "ACCOUNT")]
    return [Segment(number, "ACCOUNT")]


def _iban(picker: SlotPicker, compact: str, variant: str) -> list[Segment]:
    printed = variant == "print" or (not variant and picker.rng.random() < 0.65)
    return [Segment(numbers.iban_print(compact) if printed else compact, "IBAN")]


def _card(picker: SlotPicker, digits: str, variant: str) -> list[Segment]:
    """A full card number ("full"), masked ("masked": "**** 1234", "453914******6467") or the
    last four ("last4"); no variant masks it two times in three."""
    rng = picker.rng
    variant = variant or rng.choice(("masked", "masked", "full"))
    last4 = digits[-4:]
    if variant == "full":
        return [Segment(numbers.card_groups(digits, rng.choice((" ", " ", "", "-"))), "CARD")]
    if variant == "last4":
        return [Segment(last4, "CARD")]
    mask = rng.choice(("*", "X", "x"))
    shapes = (f"{mask * 4} {last4}", f"{mask * 4} {mask * 4} {mask * 4} {last4}",
              f"{mask * 4}-{mask * 4}-{mask * 4}-{last4}", f"{digits[:6]}{mask * 6}{last4}",
              f"{mask * 12}{last4}", f"{digits[:4]} {mask * 4} {mask * 4} {last4}")
    return [Segment(rng.choice(shapes), "CARD")]


# Hard negatives and context.

def _plain(kind: str, draw: Callable[[random.Random], str]) -> Slot:
    return Slot(lambda picker: draw(picker.rng),
                lambda picker, value, variant: [Segment(value.upper() if variant == "caps"
                                                        else value, kind)])


def _generic_org(picker: SlotPicker, draw: float, variant: str) -> list[Segment]:
    """"the bank", "the retailer", "your employer": what "{generic:merchant}" stands for. The
    drawn value is a position in the phrase table, so a slot used twice names one phrase."""
    phrases = GENERIC_ORGS[variant or "bank"]
    return [Segment(phrases[int(draw * len(phrases))], "generic_org")]


def _address(rng: random.Random) -> str:
    return f"{rng.randint(1, 180)} {rng.choice(STREETS)}"


def _store(rng: random.Random) -> str:
    number = "".join(rng.choices("0123456789", k=rng.choice((3, 4, 4, 5))))
    return rng.choice((number, f"#{number}", f"STORE {number}"))


SLOTS: dict[str, Slot] = {
    **{pool: Slot(lambda picker, pool=pool: picker.pick(pool), _organisation)
       for pool, kind in POOL_TYPES.items() if kind == "ORG"},
    "person": Slot(lambda picker: picker.pick("person"), _person),
    "money": Slot(_cents, _money),
    "date": Slot(_day, _date),
    "account": Slot(lambda picker: numbers.account(picker.rng), _account),
    "iban": Slot(lambda picker: numbers.iban(picker.rng), _iban),
    "card": Slot(lambda picker: numbers.card_number(picker.rng), _card),
    "ref": _plain("reference", numbers.reference),
    "order": _plain("order", numbers.order_number),
    "phone": _plain("phone", numbers.phone),
    "postcode": _plain("postcode", numbers.postcode),
    "time": _plain("time", numbers.time_of_day),
    "percent": _plain("percent", numbers.percentage),
    "digits": _plain("digits", numbers.digit_run),
    "arn": _plain("arn", numbers.acquirer_reference),
    "bic": _plain("bic", numbers.bic),
    "rate": _plain("rate", numbers.exchange_rate),
    "bad_iban": _plain("bad_iban", numbers.broken_iban),
    "bad_card": _plain("bad_card", numbers.broken_card),
    "creditor_id": _plain("creditor_id", numbers.creditor_id),
    "sort_code": _plain("sort_code", numbers.sort_code),
    "generic": Slot(lambda picker: picker.rng.random(), _generic_org),
    "town": _plain("place", lambda rng: rng.choice(TOWNS)),
    "address": _plain("address", _address),
    "store": _plain("store", _store),
}
ENTITY_SLOTS: frozenset[str] = frozenset(POOL_TYPES) | {"money", "date", "account", "iban", "card"}

"""Slot values for the financial-sentence templates, and the fillers that pick them.

Named pools (companies, metrics, segments, regions, ...) hold about a fifth of their values out
of training, so evaluation sees sentences about companies and metrics the model never met. Every
company, product, bank and person is invented. Figures (amounts, percentages, quarters, dates)
are drawn fresh each time; paired figures ("{eps_hi} versus {eps_lo}") are drawn together so
that a beat is always a beat and a miss a miss.
"""

import functools
import random
from collections.abc import Callable
from typing import Literal

from .wording import WORDS

ValueScope = Literal["all", "seen", "held_out"]

HELD_OUT_VALUE_FRACTION = 0.2

POOLS: dict[str, tuple[str, ...]] = {
    "company": (
        "Veltrix Systems", "Harrowgate Industries", "Calloway Foods", "Brightmoor Bancorp",
        "Onyx Ridge Energy", "Quillon Therapeutics", "Tessaly Retail Group",
        "Marrowfield Logistics", "Corvale Semiconductor", "Ashgrove Capital", "Pendrake Motors",
        "Silverkeel Shipping", "Lumenor Software", "Draycott Insurance", "Fenwick & Hale",
        "Orvanta Pharma", "Kestrine Airlines", "Halvorsen Paper", "Nimbrella Cloud",
        "Estrava Telecom", "Wrenfield Homes", "Sablewood Brewing", "Ortelia Medical",
        "Crestmark Utilities", "Tarrin Chemicals", "Yellowpine Outdoor", "Gravenor Steel",
        "Peregrin Payments", "Mistral Vale Hotels", "Auberon Foods", "Thornbury Financial",
        "Zephyra Biotech", "Larkspur Apparel", "Bramhall Aerospace", "Quarrystone Materials",
        "Irongate Data", "Solvane Energy", "Rookwood Media", "Cindral Networks", "Elmsworth Retail",
    ),
    "segment": (
        "Industrial Solutions", "Consumer Health", "Cloud Services", "Specialty Chemicals",
        "Wealth Management", "Commercial Banking", "Aerospace Components", "Medical Devices",
        "Enterprise Software", "Merchant Payments", "Home Improvement", "Flexible Packaging",
        "Renewables", "Freight Forwarding", "Pet Nutrition", "Data Center", "Automotive",
        "Personal Insurance", "Specialty Pharma", "Digital Advertising", "Foodservice",
    ),
    "region": (
        "North America", "EMEA", "Asia Pacific", "Latin America", "Greater China",
        "Western Europe", "the Nordics", "Southeast Asia", "the Middle East", "Japan", "Brazil",
        "India", "the UK", "Germany", "Canada", "Australia", "Mexico", "Central Europe",
    ),
    "product": (
        "Arclight analytics suite", "Stratus cloud platform", "PulseOne payment terminal",
        "Meridian Pro headset", "Kova 7 handset", "Tidewell heat pump", "Orbis compact SUV",
        "Lynx XR turbine", "Fathom data warehouse", "Cobalt insulin pen", "Aster checking account",
        "Quill design app", "Halo smart thermostat", "Vesta modular home", "Ridgeback e-bike",
        "Nova 3 chipset",
    ),
    "bank": (
        "Halberd Securities", "Corvane Partners", "Pellmont Capital Markets", "Ridley & Crane",
        "Stonebridge Research", "Ambrose Vance", "Northgate Equities", "Lindqvist Bank",
        "Marlowe Brothers", "Eastwater Capital", "Kintyre Securities", "Farrow Lyle",
        "Osprey Point Research", "Bellhaven Partners",
    ),
    "person": (
        "Dana Whitcombe", "Marcus Ilori", "Priya Ramanathan", "Tomasz Wierzba", "Elena Castellano",
        "Jonah Feld", "Aiko Tanabe", "Kwame Asante", "Sophie Marchetti", "Ravi Deshmukh",
        "Hannah Okafor", "Lucas Brennan", "Ingrid Solberg", "Mateo Quiroga", "Grace Liang",
        "Owen Prichard", "Nadia Haddad", "Felix Armitage", "Mei Sorensen", "Daniel Oyelaran",
    ),
    # Metrics where up is good news, reported as an amount.
    "metric": (
        "revenue", "net sales", "adjusted EBITDA", "operating income", "free cash flow", "ARR",
        "bookings", "backlog", "net interest income", "gross profit", "operating cash flow",
        "subscription revenue", "services revenue", "adjusted net income", "fee income",
    ),
    # Growth rates that are only ever reported as a percentage change.
    "comp": (
        "same-store sales", "comparable sales", "like-for-like sales", "organic revenue",
        "comparable store sales", "organic sales",
    ),
    "margin": (
        "gross margin", "operating margin", "adjusted EBITDA margin", "net interest margin",
        "EBIT margin", "segment margin", "contribution margin", "free cash flow margin",
        "adjusted operating margin", "gross profit margin",
    ),
    # Amounts where down is good news.
    "cost": (
        "operating expenses", "SG&A expense", "cost of revenue", "freight costs",
        "interest expense", "raw material costs", "input costs", "customer acquisition costs",
        "warranty costs", "restructuring charges", "energy costs", "overhead costs",
    ),
    # Rates where down is good news.
    "rate_cost": (
        "churn", "monthly churn", "customer churn", "the net charge-off rate",
        "the delinquency rate", "the non-performing loan ratio", "employee attrition",
        "the return rate", "the scrap rate", "the early delinquency rate",
    ),
}

_CURRENCIES = ("$", "$", "$", "$", "€", "€", "£", "C$", "A$", "CHF ")
_ORDINALS = ("first", "second", "third", "fourth")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
_YEARS = ("2024", "2025", "2026")
_PERIOD_ENDS = ("March 31", "June 30", "September 30", "December 31", "January 31")


class SlotPicker:
    """Picks slot values for one sentence from the pools a scope allows, remembering them."""

    def __init__(self, rng: random.Random, scope: ValueScope) -> None:
        self.rng = rng
        self.scope = scope
        self.used: list[str] = []
        self._pairs: dict[str, tuple[str, str]] = {}

    def pick(self, pool: str) -> str:
        """A value of the pool, not one already used in this sentence while others are left."""
        allowed = values_in_scope(pool, self.scope)
        fresh = [value for value in allowed if f"{pool}:{value}" not in self.used]
        value = self.rng.choice(fresh or allowed)
        self.used.append(f"{pool}:{value}")
        return value

    def pair(self, kind: str) -> tuple[str, str]:
        """The (higher, lower) figures of a kind, drawn once per sentence."""
        if kind not in self._pairs:
            self._pairs[kind] = _PAIR_MAKERS[kind](self.rng)
        return self._pairs[kind]


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


def _money_style(rng: random.Random) -> tuple[str, str, float, float]:
    """Currency, unit and value range of an amount; spoken amounts drop the currency sign."""
    currency = rng.choice(_CURRENCIES)
    unit, low, high = rng.choice(((" million", 12, 990), ("m", 12, 990), (" billion", 1.1, 48),
                                  ("bn", 1.1, 48), (" million", 12, 990)))
    if rng.random() < 0.12:
        currency, unit = "", {"m": " million", "bn": " billion"}.get(unit, unit)
    return currency, unit, low, high


def _money(rng: random.Random) -> str:
    currency, unit, low, high = _money_style(rng)
    return f"{currency}{_figure(rng.uniform(low, high), rng)}{unit}"


def _money_pair(rng: random.Random) -> tuple[str, str]:
    currency, unit, low, high = _money_style(rng)
    higher = round(rng.uniform(low, high), 1)
    lower = round(higher * rng.uniform(0.75, 0.97), 1)
    if lower == higher:
        lower = round(higher - 0.1, 1)
    return f"{currency}{higher:g}{unit}", f"{currency}{lower:g}{unit}"


def _figure(value: float, rng: random.Random) -> str:
    """Millions as "412" or "412.6", billions as "4.2"."""
    if value >= 100 and rng.random() < 0.5:
        return str(round(value))
    return f"{round(value, 1):g}"


def _eps_pair(rng: random.Random) -> tuple[str, str]:
    currency = rng.choice(("$", "$", "$", "€", "£"))
    higher = round(rng.uniform(0.2, 4.8), 2)
    lower = round(max(0.03, higher - rng.uniform(0.02, 0.4)), 2)
    return f"{currency}{higher:.2f}", f"{currency}{lower:.2f}"


def _percent(value: float, style: str) -> str:
    return f"{value:g}%" if style == "%" else f"{value:g} percent"


def _pct(rng: random.Random) -> str:
    value = rng.choice((rng.randint(1, 30), round(rng.uniform(0.5, 30), 1)))
    return _percent(value, rng.choice(("%", "%", "%", " percent")))


def _pct_pair(rng: random.Random) -> tuple[str, str]:
    style = rng.choice(("%", "%", "%", " percent"))
    higher = round(rng.uniform(3, 30), rng.choice((0, 1)))
    lower = round(max(0.5, higher - rng.uniform(0.6, 6)), 1)
    return _percent(higher, style), _percent(lower, style)


def _rate_pair(rng: random.Random) -> tuple[str, str]:
    """Small rates (churn, charge-offs, delinquencies) and a clearly different second one."""
    style = rng.choice(("%", "%", " percent"))
    higher = round(rng.uniform(0.8, 9.5), 1)
    lower = round(higher * rng.uniform(0.55, 0.88), 1)
    return _percent(higher, style), _percent(lower, style)


def _turns_pair(rng: random.Random) -> tuple[str, str]:
    higher = round(rng.uniform(1.8, 4.8), 1)
    lower = round(max(0.4, higher - rng.uniform(0.3, 1.3)), 1)
    return f"{higher:g}", f"{lower:g}"


def _bps(rng: random.Random) -> str:
    points = rng.randrange(10, 400, 5)
    return f"{points} {rng.choice(('basis points', 'basis points', 'bps'))}"


def _quarter(rng: random.Random) -> str:
    ordinal = rng.choice(_ORDINALS)
    shapes = (f"the {ordinal} quarter", f"Q{_ORDINALS.index(ordinal) + 1}",
              f"the {ordinal} quarter of fiscal {rng.choice(_YEARS)}",
              f"the {rng.choice(('March', 'June', 'September', 'December'))} quarter",
              f"Q{_ORDINALS.index(ordinal) + 1} {rng.choice(_YEARS)}")
    return rng.choice(shapes)


def _qtag(rng: random.Random) -> str:
    """A quarter as headlines write it before a noun: "Q3", "third-quarter", "Q3 FY25"."""
    number = rng.randint(1, 4)
    shapes = (f"Q{number}", f"{_ORDINALS[number - 1]}-quarter",
              f"Q{number} FY{rng.choice(_YEARS)[2:]}", f"fiscal Q{number}")
    return rng.choice(shapes)


def _year(rng: random.Random) -> str:
    year = rng.choice(_YEARS[1:] + ("2027",))
    return rng.choice((f"fiscal {year}", year, f"FY{year}", f"FY{year[2:]}",
                       f"fiscal year {year}"))


def _date(rng: random.Random) -> str:
    month, day = rng.choice(_MONTHS), rng.randint(1, 28)
    return rng.choice((f"{month} {day}", f"{rng.choice(_WEEKDAYS)}, {month} {day}",
                       f"{month} {day}, {rng.choice(_YEARS[1:])}"))


def _dps(rng: random.Random) -> str:
    cents = rng.randint(8, 140)
    currency = rng.choice(("$", "$", "€", "£"))
    if cents < 100 and currency == "$" and rng.random() < 0.3:
        return f"{cents} cents"
    return f"{currency}{cents / 100:.2f}"


_PAIR_MAKERS: dict[str, Callable[[random.Random], tuple[str, str]]] = {
    "money": _money_pair, "eps": _eps_pair, "pct": _pct_pair, "rate": _rate_pair,
    "turns": _turns_pair,
}


def _pair_filler(kind: str, index: int) -> Callable[[SlotPicker], str]:
    return lambda picker: picker.pair(kind)[index]


SLOT_FILLERS: dict[str, Callable[[SlotPicker], str]] = {
    "money": lambda picker: _money(picker.rng),
    "pct": lambda picker: _pct(picker.rng),
    "bps": lambda picker: _bps(picker.rng),
    "quarter": lambda picker: _quarter(picker.rng),
    "qtag": lambda picker: _qtag(picker.rng),
    "year": lambda picker: _year(picker.rng),
    "date": lambda picker: _date(picker.rng),
    "period_end": lambda picker: (f"{picker.rng.choice(_PERIOD_ENDS)}, "
                                  f"{picker.rng.choice(_YEARS)}"),
    "dps": lambda picker: _dps(picker.rng),
    "eps": lambda picker: _eps_pair(picker.rng)[0],
    "count": lambda picker: str(picker.rng.randint(3, 400)),
    **{f"{kind}_hi": _pair_filler(kind, 0) for kind in _PAIR_MAKERS},
    **{f"{kind}_lo": _pair_filler(kind, 1) for kind in _PAIR_MAKERS},
    "slide": lambda picker: str(picker.rng.randint(3, 40)),
    **{pool: (lambda picker, pool=pool: picker.pick(pool)) for pool in POOLS},
    # Tone words are drawn like figures: fresh for each sentence and never held out.
    **{kind: (lambda picker, kind=kind: picker.rng.choice(WORDS[kind])) for kind in WORDS},
}

"""Slot values for the review templates, and the fillers that pick them.

Named pools (products, brands, carriers, star ratings, ...) hold about a fifth of their values
out of training so evaluation can see reviews of products the model never met. Prices and
discounts are drawn fresh each time instead. Brands are invented, so a model learns no opinion
about a real company from text the project wrote.

One review is about one product: its name, category and sizes agree in every sentence.
"""

import functools
import random
from collections.abc import Callable
from typing import Literal

ValueScope = Literal["all", "seen", "held_out"]

HELD_OUT_VALUE_FRACTION = 0.2

# Product -> (the category a reviewer calls it by, the kind of sizes it comes in). All are
# singular, so every template can say "it".
PRODUCTS: dict[str, tuple[str, str]] = {
    "winter jacket": ("coat", "apparel"), "rain jacket": ("jacket", "apparel"),
    "hoodie": ("hoodie", "apparel"), "summer dress": ("dress", "apparel"),
    "wool jumper": ("jumper", "apparel"), "linen shirt": ("shirt", "apparel"),
    "denim jacket": ("jacket", "apparel"), "fleece": ("top", "apparel"),
    "swimsuit": ("swimsuit", "apparel"), "puffer coat": ("coat", "apparel"),
    "backpack": ("bag", "home"), "handbag": ("bag", "home"), "suitcase": ("case", "home"),
    "duvet cover": ("bedding set", "home"), "mattress topper": ("topper", "home"),
    "air fryer": ("kitchen gadget", "home"), "kettle": ("kettle", "home"),
    "toaster": ("toaster", "home"), "coffee maker": ("coffee machine", "home"),
    "blender": ("blender", "home"), "frying pan": ("pan", "home"),
    "vacuum cleaner": ("hoover", "home"), "office chair": ("chair", "home"),
    "desk lamp": ("lamp", "home"), "bookshelf": ("bit of furniture", "home"),
    "rug": ("rug", "home"), "dog bed": ("pet bed", "home"), "yoga mat": ("mat", "home"),
    "tent": ("tent", "home"), "sleeping bag": ("sleeping bag", "home"),
    "bluetooth speaker": ("speaker", "tech"), "smartwatch": ("watch", "tech"),
    "phone case": ("case", "tech"), "gaming mouse": ("mouse", "tech"),
    "mechanical keyboard": ("keyboard", "tech"), "laptop stand": ("stand", "tech"),
    "electric toothbrush": ("toothbrush", "tech"), "baby monitor": ("monitor", "tech"),
    "tablet": ("tablet", "tech"), "robot vacuum": ("gadget", "tech"),
    "e-reader": ("e-reader", "tech"), "power bank": ("charger", "tech"),
}

POOLS: dict[str, tuple[str, ...]] = {
    "product": tuple(PRODUCTS),
    "brand": (
        "Northpeak", "Vellora", "Kestrel", "Alba Home", "Brightwell", "Mosswood", "Tidewell",
        "Corvane", "Halden & Co", "Lumo", "Ashgrove", "Pebblebrook", "Solace", "Fenwick Lane",
        "Quill", "Marlowe", "Oaken", "Strata", "Juniper Row", "Bexley",
    ),
    "colour": (
        "black", "white", "navy", "grey", "olive", "beige", "red", "burgundy", "forest green",
        "sky blue", "pink", "charcoal", "cream", "mustard", "lilac",
    ),
    "size_apparel": (
        "a small", "a medium", "a large", "an XL", "size 8", "size 10", "size 12", "size 14",
        "a UK 7", "an EU 42", "an XS", "a size 16",
    ),
    "size_home": (
        "the large one", "the small one", "the king size", "the double", "the family size",
        "the 5 litre one", "the compact one", "the standard size", "the XL one", "the mini one",
    ),
    "size_tech": (
        "the 64GB one", "the 128GB version", "the compact one", "the standard version",
        "the pro version", "the 10-inch one", "the basic model", "the bigger model",
        "the mini version", "the wireless version",
    ),
    "carrier": (
        "UPS", "FedEx", "DHL", "USPS", "Royal Mail", "DPD", "Evri", "GLS", "PostNL", "Yodel",
        "Canada Post", "Australia Post", "Parcelforce",
    ),
    "late": (
        "three days late", "a week late", "two days late", "over a week late", "10 days late",
        "five days late", "nearly two weeks late", "a day late", "four days late",
        "a fortnight late",
    ),
    "fast": (
        "the next day", "in two days", "within 48 hours", "in three days",
        "the day after I ordered", "in under 24 hours", "a day early", "two days early",
        "the very next morning", "within a couple of days",
    ),
    "wait": (
        "over a week", "nearly a month", "two weeks", "10 days", "three weeks",
        "almost a fortnight", "six weeks", "18 days", "five weeks", "12 days",
    ),
    "used": (
        "a month", "six weeks", "three months", "a year", "two weeks", "a few days",
        "six months", "a couple of weeks", "a fortnight", "nine months",
    ),
    "stars_high": (
        "5 stars", "five stars", "5/5", "10/10", "★★★★★", "4 stars", "four stars", "4/5",
        "5 out of 5", "★★★★☆",
    ),
    "stars_mid": (
        "3 stars", "three stars", "3/5", "★★★☆☆", "3 out of 5", "6/10", "5/10",
        "three out of five", "2.5 stars", "a solid 3",
    ),
    "stars_low": (
        "1 star", "one star", "1/5", "★☆☆☆☆", "2 stars", "two stars", "zero stars",
        "2/10", "1 out of 5", "a single star",
    ),
    "relative": (
        "daughter", "son", "wife", "husband", "mum", "dad", "partner", "sister", "brother",
        "nan", "best friend", "niece", "nephew", "flatmate", "girlfriend", "boyfriend",
    ),
    "occasion": (
        "Christmas", "their birthday", "Eid", "Diwali", "a housewarming", "their graduation",
        "Father's Day", "Mother's Day", "a camping trip", "their new flat", "the holidays",
        "Hanukkah",
    ),
    "agent": (
        "Sarah", "James", "Priya", "Tom", "Maria", "Ahmed", "Chloe", "Daniel", "Aisha", "Luca",
        "Emma", "Kevin", "Sofia", "Ben", "Nadia", "Oliver",
    ),
    "payment": (
        "PayPal", "Klarna", "Apple Pay", "my credit card", "a gift card", "Google Pay",
        "my debit card", "store credit", "Afterpay", "Amex",
    ),
}

_CURRENCY_SHAPES: tuple[Callable[[int, str], str], ...] = (
    lambda whole, cents: f"${whole}.{cents}", lambda whole, cents: f"£{whole}.{cents}",
    lambda whole, cents: f"€{whole},{cents}", lambda whole, cents: f"£{whole}",
    lambda whole, cents: f"${whole}", lambda whole, cents: f"{whole} euros",
    lambda whole, cents: f"{whole} quid", lambda whole, cents: f"{whole} dollars",
    lambda whole, cents: f"AU${whole}", lambda whole, cents: f"CA${whole}.{cents}",
)


class SlotPicker:
    """Picks slot values for one review from the pools a scope allows, remembering them.

    The product (and so its category and size range) and the brand are picked once per review.
    """

    def __init__(self, rng: random.Random, scope: ValueScope) -> None:
        self.rng = rng
        self.scope = scope
        self.used: list[str] = []
        self._once: dict[str, str] = {}

    def pick(self, pool: str) -> str:
        value = self.rng.choice(values_in_scope(pool, self.scope))
        self.used.append(f"{pool}:{value}")
        return value

    def pick_once(self, pool: str) -> str:
        if pool not in self._once:
            self._once[pool] = self.pick(pool)
        return self._once[pool]


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


def _price(picker: SlotPicker) -> str:
    rng = picker.rng
    whole = rng.choice((rng.randint(4, 60), rng.randint(15, 120), rng.randint(100, 650)))
    cents = rng.choice(("99", "99", "95", "50", "00", f"{rng.randint(0, 99):02d}"))
    return rng.choice(_CURRENCY_SHAPES)(whole, cents)


def _discount(picker: SlotPicker) -> str:
    return picker.rng.choice(("20%", "30%", "half", "a third", "40%", "15%", "25%", "10%"))


def _count(picker: SlotPicker) -> str:
    return picker.rng.choice(("two", "three", "2", "3", "four", "several"))


def _size(picker: SlotPicker) -> str:
    return picker.pick(f"size_{PRODUCTS[picker.pick_once('product')][1]}")


SLOT_FILLERS: dict[str, Callable[[SlotPicker], str]] = {
    "product": lambda picker: picker.pick_once("product"),
    "category": lambda picker: PRODUCTS[picker.pick_once("product")][0],
    "brand": lambda picker: picker.pick_once("brand"),
    "size": _size,
    "price": _price,
    "discount": _discount,
    "count": _count,
    **{pool: (lambda picker, pool=pool: picker.pick(pool))
       for pool in ("colour", "carrier", "late", "fast", "wait", "used", "stars_high",
                    "stars_mid", "stars_low", "relative", "occasion", "agent", "payment")},
}

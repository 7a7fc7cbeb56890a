"""Slot values for the support-message templates, and the fillers that pick them.

Named pools (products, brands, cities, ...) hold about a fifth of their values out of training
so evaluation can see messages about products and places the model never met. Numbers that a
customer types (order numbers, amounts, dates) are drawn fresh each time instead.
"""

import functools
import random
import string
from collections.abc import Callable
from typing import Literal

ValueScope = Literal["all", "seen", "held_out"]

HELD_OUT_VALUE_FRACTION = 0.2

POOLS: dict[str, tuple[str, ...]] = {
    "product": (
        "running shoes", "winter jacket", "rain jacket", "hoodie", "jeans", "summer dress",
        "wool jumper", "t-shirt", "ankle boots", "trainers", "backpack", "duvet cover",
        "bath towels", "coffee maker", "blender", "air fryer", "kettle", "toaster",
        "vacuum cleaner", "desk lamp", "office chair", "bookshelf", "phone case",
        "wireless earbuds", "headphones", "smartwatch", "laptop stand", "bluetooth speaker",
        "yoga mat", "dumbbells", "bike helmet", "tent", "sleeping bag", "water bottle",
        "kids raincoat", "pushchair", "face cream", "sunglasses", "frying pan",
        "mattress topper", "gaming mouse", "mechanical keyboard", "suitcase", "linen shirt",
    ),
    "brand": (
        "Nike", "Adidas", "Levi's", "Samsung", "Philips", "Bosch", "Sony", "Dyson",
        "Le Creuset", "New Balance", "Puma", "North Face", "Northpeak", "Vellora",
        "Kestrel", "Alba Home", "Brightwell", "Mosswood", "Tefal", "Logitech",
    ),
    "colour": (
        "black", "white", "navy", "grey", "olive", "beige", "red", "burgundy", "forest green",
        "sky blue", "pink", "charcoal", "cream", "mustard yellow", "lilac",
    ),
    "size": (
        "S", "M", "L", "XL", "XS", "XXL", "size 8", "size 10", "size 12", "UK 7", "UK 9",
        "EU 38", "EU 42", "US 10.5", "32x32", "W34 L30", "king size", "double",
    ),
    "city": (
        "London", "Manchester", "Leeds", "Bristol", "Glasgow", "Dublin", "Cardiff",
        "Birmingham", "New York", "Chicago", "Austin", "Seattle", "Denver", "Toronto",
        "Vancouver", "Sydney", "Melbourne", "Auckland", "Berlin", "Amsterdam", "Lyon",
        "Madrid", "Boston", "Atlanta", "Phoenix", "Edinburgh", "Brighton", "Portland",
    ),
    "street": (
        "Oak Street", "Mill Lane", "Kingsway", "High Street", "Station Road", "Maple Avenue",
        "Church Road", "Elm Drive", "Park Avenue", "Victoria Road", "Queen Street",
        "Cedar Court", "Harbour View", "Sunset Boulevard", "Pine Crescent", "Bridge Street",
        "Linden Way", "Riverside Walk",
    ),
    "carrier": (
        "UPS", "FedEx", "DHL", "USPS", "Royal Mail", "DPD", "Evri", "GLS", "PostNL",
        "Canada Post", "Australia Post", "Yodel", "Parcelforce",
    ),
    "payment": (
        "Visa", "Mastercard", "Amex", "PayPal", "Apple Pay", "Google Pay", "Klarna",
        "Afterpay", "debit card", "credit card", "gift card", "bank transfer",
    ),
    "name": (
        "Sarah", "James", "Priya", "Tom", "Maria", "Ahmed", "Chloe", "Daniel", "Aisha", "Luca",
        "Emma", "Kevin", "Sofia", "Ben", "Nadia", "Oliver", "Grace", "Marcus", "Yuki", "Fatima",
    ),
}

_EMAIL_DOMAINS = ("gmail.com", "outlook.com", "yahoo.co.uk", "icloud.com", "hotmail.com")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_DURATIONS = ("3 days", "a week", "two weeks", "10 days", "nearly a month", "5 days",
              "over a week", "48 hours", "three weeks", "4 days")
_CODE_WORDS = ("SAVE", "WELCOME", "SPRING", "SUMMER", "FREESHIP", "VIP", "EXTRA", "BLACKFRIDAY")


class SlotPicker:
    """Picks slot values for one message from the pools a scope allows, remembering them."""

    def __init__(self, rng: random.Random, scope: ValueScope) -> None:
        self.rng = rng
        self.scope = scope
        self.used: list[str] = []

    def pick(self, pool: str) -> str:
        value = self.rng.choice(values_in_scope(pool, self.scope))
        self.used.append(f"{pool}:{value}")
        return value

    def digits(self, count: int) -> str:
        return "".join(self.rng.choices(string.digits, k=count))


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


def _order_number(picker: SlotPicker) -> str:
    """Order references in the shapes different shops and marketplaces print them."""
    shapes = (
        lambda: f"#{picker.digits(6)}",
        lambda: picker.digits(9),
        lambda: f"ORD-{picker.digits(5)}",
        lambda: f"#A{picker.digits(7)}",
        lambda: f"W{picker.digits(9)}",
        lambda: f"{picker.digits(3)}-{picker.digits(7)}-{picker.digits(7)}",
        lambda: f"RT{picker.digits(8)}",
        lambda: f"#{picker.digits(4)}-{picker.digits(4)}",
    )
    return picker.rng.choice(shapes)()


def _date(picker: SlotPicker) -> str:
    rng = picker.rng
    day, month = rng.randint(1, 28), rng.randint(1, 12)
    suffix = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd"}.get(day, "th")
    shapes = (
        rng.choice(_WEEKDAYS), f"{_MONTHS[month - 1]} {day}", f"{day} {_MONTHS[month - 1]}",
        f"{day:02d}/{month:02d}", f"the {day}{suffix}", f"{day}{suffix} {_MONTHS[month - 1][:3]}",
        f"2024-{month:02d}-{day:02d}", f"last {rng.choice(_WEEKDAYS)}",
    )
    return rng.choice(shapes)


def _amount(picker: SlotPicker) -> str:
    rng = picker.rng
    whole = rng.choice((rng.randint(5, 99), rng.randint(100, 450)))
    cents = rng.choice(("00", "99", "50", "95", f"{rng.randint(0, 99):02d}"))
    shapes = (
        f"${whole}.{cents}", f"£{whole}.{cents}", f"€{whole},{cents}", f"£{whole}",
        f"{whole}.{cents} USD", f"{whole} EUR", f"${whole}", f"{whole}.{cents} GBP",
        f"CAD {whole}.{cents}", f"AU${whole}",
    )
    return rng.choice(shapes)


def _street(picker: SlotPicker) -> str:
    rng = picker.rng
    street = f"{rng.randint(1, 240)} {picker.pick('street')}"
    shapes = (street, street, f"Flat {rng.randint(1, 30)}, {street}",
              f"Apt {rng.randint(1, 19)}{rng.choice('ABCD')}, {street}")
    return rng.choice(shapes)


def _item(picker: SlotPicker) -> str:
    """A product as customers name it: bare, or with a colour, brand or size."""
    shape = picker.rng.randrange(6)
    if shape == 0:
        return picker.pick("product")
    if shape == 1:
        return f"{picker.pick('colour')} {picker.pick('product')}"
    if shape == 2:
        return f"{picker.pick('brand')} {picker.pick('product')}"
    if shape == 3:
        return f"{picker.pick('product')} in {picker.pick('colour')}"
    if shape == 4:
        return f"{picker.pick('product')} ({picker.pick('size')})"
    return f"{picker.pick('brand')} {picker.pick('product')} in {picker.pick('colour')}"


def _email(picker: SlotPicker) -> str:
    name = picker.pick("name").lower()
    separator = picker.rng.choice(("", ".", "_"))
    return f"{name}{separator}{picker.digits(picker.rng.randint(0, 4))}@" + picker.rng.choice(
        _EMAIL_DOMAINS
    )


def _phone(picker: SlotPicker) -> str:
    """Numbers from the ranges set aside for drama and examples, never a real line."""
    shapes = (
        lambda: f"07700 900{picker.digits(3)}",
        lambda: f"+44 7700 900{picker.digits(3)}",
        lambda: f"555-01{picker.digits(2)}",
        lambda: f"(212) 555-01{picker.digits(2)}",
    )
    return picker.rng.choice(shapes)()


def _code(picker: SlotPicker) -> str:
    return f"{picker.rng.choice(_CODE_WORDS)}{picker.rng.choice(('10', '15', '20', '25', ''))}"


def _count(picker: SlotPicker) -> str:
    return picker.rng.choice(("2", "3", "4", "two", "three", "four"))


SLOT_FILLERS: dict[str, Callable[[SlotPicker], str]] = {
    "order": _order_number,
    "date": _date,
    "ago": lambda picker: picker.rng.choice(_DURATIONS),
    "amount": _amount,
    "street": _street,
    "item": _item,
    "email": _email,
    "phone": _phone,
    "code": _code,
    "count": _count,
    **{pool: (lambda picker, pool=pool: picker.pick(pool))
       for pool in ("product", "brand", "colour", "size", "city", "carrier", "payment", "name")},
}

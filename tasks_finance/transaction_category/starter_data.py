"""Synthetic, realistic-looking transaction descriptions for the starter dataset.

The product ships this generator instead of any real banking data. Descriptions combine a
merchant table with the noise real statements carry (processor prefixes, store numbers,
locations, card suffixes, reference codes, dates, phone numbers, odd casing, truncation).

About 20% of each category's merchants are reserved as "held-out" so evaluation can measure
how well a model handles merchants it never saw in training, not just fresh noise. A tenth of
the others are reserved for validation in the same way: the validation split is cut as the test
is (half fresh rows of training merchants, half rows of merchants training never sees), so early
stopping, the fitted temperature and a cascade's threshold are chosen on rows like the test's.
A random carve of the training rows would hold only seen merchants, which any model separates
perfectly: it tells those choices nothing.
"""

import functools
import random
import string
from typing import Literal, NamedTuple

from .labels import CATEGORIES
from .merchants import (
    ALWAYS_SEEN,
    BILL_PREFIXES,
    BILL_SUFFIXES,
    CARD_PREFIXES,
    EMPLOYERS,
    LOCATIONS,
    MERCHANTS,
    PEOPLE,
    PHONE_NUMBERS,
)

MerchantScope = Literal["all", "seen", "held_out", "training", "validation"]

HELD_OUT_FRACTION = 0.2
# Of the merchants not held out (household names excepted), the share kept out of training for
# the validation split: at least one per category.
VALIDATION_FRACTION = 0.1

# Bank statements cut descriptions short; the cut never removes the merchant itself.
_TRUNCATION_LENGTHS = (22, 40)

_MONTH_NAMES = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")

# Categories paid by direct debit / bill pay rather than by card at a till.
_BILL_CATEGORIES = frozenset({"utilities", "rent_mortgage"})
# Categories that are bank-originated entries (payroll, transfers, fees, ATM).
_BANK_CATEGORIES = frozenset({"income", "transfers", "fees", "cash"})


class SyntheticTransaction(NamedTuple):
    """One generated transaction, with the merchant entry it was built from."""

    description: str
    category: str
    merchant: str


def held_out_merchants(category: str) -> tuple[str, ...]:
    """Merchant entries of a category reserved for held-out evaluation, in table order."""
    reserved = _held_out_set(category)
    return tuple(merchant for merchant in MERCHANTS[category] if merchant in reserved)


def seen_merchants(category: str) -> tuple[str, ...]:
    """Merchant entries of a category not held out for the test (training and validation
    merchants), in table order."""
    reserved = _held_out_set(category)
    return tuple(merchant for merchant in MERCHANTS[category] if merchant not in reserved)


def validation_merchants(category: str) -> tuple[str, ...]:
    """Seen merchant entries of a category reserved for the validation split, in table order."""
    reserved = _validation_set(category)
    return tuple(merchant for merchant in MERCHANTS[category] if merchant in reserved)


def training_merchants(category: str) -> tuple[str, ...]:
    """Merchant entries of a category the training rows use, in table order."""
    reserved = _held_out_set(category) | _validation_set(category)
    return tuple(merchant for merchant in MERCHANTS[category] if merchant not in reserved)


_SCOPES = {"all": lambda category: MERCHANTS[category], "seen": seen_merchants,
           "held_out": held_out_merchants, "training": training_merchants,
           "validation": validation_merchants}


def merchants_in_scope(category: str, scope: MerchantScope) -> tuple[str, ...]:
    """Merchant entries of a category available to the given scope."""
    if scope not in _SCOPES:
        raise ValueError(f"unknown merchant scope {scope!r}; use one of {', '.join(_SCOPES)}")
    return _SCOPES[scope](category)


def generate_records(
    n: int, *, seed: int, merchants: MerchantScope = "all"
) -> list[SyntheticTransaction]:
    """Generate ``n`` transactions balanced across categories, deterministic per seed."""
    rng = random.Random(seed)
    schedule = [CATEGORIES[index % len(CATEGORIES)] for index in range(n)]
    rng.shuffle(schedule)
    return [_make_record(rng, category, merchants) for category in schedule]


def generate_examples(
    n: int, *, seed: int, merchants: MerchantScope = "all"
) -> list[tuple[str, str]]:
    """Generate ``n`` (description, category) pairs, roughly n/15 per category.

    ``merchants`` picks the merchant pool: "training", "validation" (a tenth of the seen
    merchants), "seen" (both), "held_out" (the ~20% reserved for the test) or "all".
    """
    records = generate_records(n, seed=seed, merchants=merchants)
    return [(record.description, record.category) for record in records]


def starter_splits(
    *, seed: int = 13, train_size: int = 3000, validation_size: int = 300, test_size: int = 750
) -> dict[str, list[tuple[str, str]]]:
    """Build the starter train/validation/test splits.

    Train uses the training merchants only. Test is half training merchants (different seed,
    so fresh noise) and half held-out merchants; validation is cut the same way, its unseen
    half from the validation merchants (neither trained on nor tested). Descriptions also
    present in train are dropped from both. The test halves are also returned on their own
    ("test_seen_merchants", "test_unseen_merchants") so a model's figures can be reported for
    each.
    """
    train = generate_examples(train_size, seed=seed, merchants="training")
    train_descriptions = {description for description, _ in train}
    # Offset seeds give the other splits noise streams independent of the train stream.
    validation = _seen_and_unseen(
        validation_size, seen_seed=seed + 3, unseen_seed=seed + 4, unseen="validation",
        exclude=train_descriptions)
    test_halves = _seen_and_unseen(
        test_size, seen_seed=seed + 1, unseen_seed=seed + 2, unseen="held_out",
        exclude=train_descriptions)
    halves = {"test_seen_merchants": test_halves["seen"],
              "test_unseen_merchants": test_halves["unseen"]}
    test = halves["test_seen_merchants"] + halves["test_unseen_merchants"]
    random.Random(seed).shuffle(test)
    validation_rows = validation["seen"] + validation["unseen"]
    random.Random(seed + 3).shuffle(validation_rows)
    return {"train": train, "validation": validation_rows, "test": test, **halves}


def _seen_and_unseen(
    size: int, *, seen_seed: int, unseen_seed: int, unseen: MerchantScope, exclude: set[str]
) -> dict[str, list[tuple[str, str]]]:
    """Half of `size` rows of training merchants, half of the `unseen` scope's, without the
    descriptions in `exclude`."""
    seen_half = size // 2
    halves = {"seen": generate_examples(seen_half, seed=seen_seed, merchants="training"),
              "unseen": generate_examples(size - seen_half, seed=unseen_seed, merchants=unseen)}
    return {name: [row for row in rows if row[0] not in exclude] for name, rows in halves.items()}


@functools.cache
def _held_out_set(category: str) -> frozenset[str]:
    """Deterministically pick ~20% (at least one) of a category's merchants to hold out."""
    pool = sorted(set(MERCHANTS[category]) - ALWAYS_SEEN)
    count = max(1, round(len(pool) * HELD_OUT_FRACTION))
    # A string seed is hashed with SHA-512, so the choice is stable across processes.
    return frozenset(random.Random(f"held-out:{category}").sample(pool, count))


@functools.cache
def _validation_set(category: str) -> frozenset[str]:
    """Deterministically pick a tenth (at least one) of a category's other merchants, household
    names excepted, for the validation split."""
    pool = sorted(set(MERCHANTS[category]) - ALWAYS_SEEN - _held_out_set(category))
    count = max(1, round(len(pool) * VALIDATION_FRACTION))
    return frozenset(random.Random(f"validation:{category}").sample(pool, count))


def _make_record(rng: random.Random, category: str, scope: MerchantScope) -> SyntheticTransaction:
    """Pick a merchant for the category and dress it up as a statement line."""
    merchant = rng.choice(merchants_in_scope(category, scope))
    head, tail = _describe(rng, category, _fill_placeholders(rng, merchant))
    description = _apply_casing(rng, f"{head} {tail}".strip())
    return SyntheticTransaction(_maybe_truncate(rng, description, len(head)), category, merchant)


def _describe(rng: random.Random, category: str, merchant: str) -> tuple[str, str]:
    """Return (head, tail): head ends with the merchant, tail is the trailing noise."""
    if category in _BANK_CATEGORIES:
        return merchant, _bank_tail(rng)
    if category in _BILL_CATEGORIES:
        return _bill_prefix(rng) + merchant, _bill_tail(rng)
    return _card_prefix(rng, merchant) + merchant + _reference_suffix(rng), _card_tail(rng)


def _card_prefix(rng: random.Random, merchant: str) -> str:
    """Processor prefix such as "POS " or "SQ *", sometimes none."""
    if rng.random() > 0.45:
        return ""
    prefix = rng.choice(CARD_PREFIXES)
    # "SQ *DOORDASH*..." never happens: starred prefixes belong to the merchant's processor.
    if prefix.rstrip().endswith("*") and "*" in merchant:
        return ""
    return prefix.format(date=_short_date(rng), mmdd=_short_date(rng).replace("/", ""))


def _reference_suffix(rng: random.Random) -> str:
    """Online charges often glue an auth code to the merchant: "AMZN Mktp US*2K4LL0YH2"."""
    return f"*{_reference_code(rng)}" if rng.random() < 0.15 else ""


def _card_tail(rng: random.Random) -> str:
    """Store number, phone, location, card suffix and date, each only sometimes present."""
    parts = [
        _store_number(rng) if rng.random() < 0.45 else "",
        rng.choice(PHONE_NUMBERS) if rng.random() < 0.08 else "",
        _location(rng) if rng.random() < 0.6 else "",
        _card_suffix(rng) if rng.random() < 0.15 else "",
        _date_or_time(rng) if rng.random() < 0.2 else "",
    ]
    return " ".join(part for part in parts if part)


def _bill_prefix(rng: random.Random) -> str:
    """Direct-debit style prefix, present on about a third of bill payments."""
    return rng.choice(BILL_PREFIXES) if rng.random() < 0.3 else ""


def _bill_tail(rng: random.Random) -> str:
    """Bill-pay suffix, reference and date, each only sometimes present."""
    parts = [
        _fill_placeholders(rng, rng.choice(BILL_SUFFIXES)) if rng.random() < 0.6 else "",
        f"REF {_reference_code(rng)}" if rng.random() < 0.3 else "",
        _date_or_time(rng) if rng.random() < 0.4 else "",
    ]
    return " ".join(part for part in parts if part)


def _bank_tail(rng: random.Random) -> str:
    """Bank-entry noise: confirmation numbers, dates and account suffixes."""
    parts = [
        _confirmation_number(rng) if rng.random() < 0.5 else "",
        _date_or_time(rng) if rng.random() < 0.5 else "",
        _card_suffix(rng) if rng.random() < 0.25 else "",
    ]
    return " ".join(part for part in parts if part)


def _confirmation_number(rng: random.Random) -> str:
    """A bank's own trace number for the entry, e.g. "CONF# 82736451"."""
    return rng.choice(("REF #", "CONF# ", "ID ", "TRN ")) + _digits(rng, 6, 12)


def _fill_placeholders(rng: random.Random, template: str) -> str:
    """Fill {person}, {employer}, {city}, {acct} and {ref} in a table entry."""
    return template.format(
        person=rng.choice(PEOPLE),
        employer=rng.choice(EMPLOYERS),
        city=_location(rng),
        acct=_digits(rng, 4, 4),
        ref=_digits(rng, 8, 10),
    )


def _location(rng: random.Random) -> str:
    """A city/state or town; statements often pad the gap with several spaces."""
    return rng.choice(LOCATIONS).replace(" ", " " * rng.choice((1, 1, 1, 3)), 1)


def _store_number(rng: random.Random) -> str:
    """Branch identifiers in the shapes different processors print them."""
    number = _digits(rng, 3, 5)
    return rng.choice((f"#{number}", number, f"STORE {number}", f"# {number}"))


def _card_suffix(rng: random.Random) -> str:
    """The last four digits of the customer's card, masked in one of the usual styles."""
    last_four = _digits(rng, 4, 4)
    return rng.choice((f"XXXX{last_four}", f"CARD {last_four}", f"****{last_four}"))


def _date_or_time(rng: random.Random) -> str:
    """A posting date or time in one of the formats banks use."""
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    month_name = _MONTH_NAMES[month - 1]
    return rng.choice(
        (
            f"{month:02d}/{day:02d}",
            f"{month:02d}/{day:02d}/24",
            f"2024-{month:02d}-{day:02d}",
            f"{day:02d}{month_name}",
            f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
        )
    )


def _short_date(rng: random.Random) -> str:
    """A "MM/DD" date as used inside prefixes."""
    return f"{rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}"


def _reference_code(rng: random.Random) -> str:
    """An uppercase auth code with 3-5 digits shuffled among letters, like "2K4LL0YH2"."""
    digit_count = rng.randint(3, 5)
    characters = rng.choices(string.digits, k=digit_count)
    characters += rng.choices(string.ascii_uppercase, k=rng.randint(4, 6))
    rng.shuffle(characters)
    return "".join(characters)


def _digits(rng: random.Random, shortest: int, longest: int) -> str:
    """A run of random digits with a random length in [shortest, longest]."""
    return "".join(rng.choices(string.digits, k=rng.randint(shortest, longest)))


def _apply_casing(rng: random.Random, text: str) -> str:
    """Most banks print upper case; some lower, title-case or keep the merchant's own."""
    style = rng.random()
    if style < 0.7:
        return text.upper()
    if style < 0.82:
        return string.capwords(text)
    if style < 0.9:
        return text.lower()
    return text


def _maybe_truncate(rng: random.Random, text: str, keep: int) -> str:
    """Cut ~20% of descriptions to 22-40 characters, never inside the first ``keep``."""
    if rng.random() >= 0.2:
        return text
    cut = max(rng.randint(*_TRUNCATION_LENGTHS), keep)
    return text[:cut].rstrip()

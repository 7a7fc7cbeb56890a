"""Payment card numbers: Luhn check, brand from the IIN prefix, masking."""

import re

from .masking import mask_keeping

CARD_LENGTHS = range(13, 20)

# (brand, IIN prefix ranges as inclusive (low, high) over the first digits, allowed lengths).
# Maestro is listed before Discover and Mastercard so its narrow prefixes win.
_BRANDS: tuple[tuple[str, tuple[tuple[int, int], ...], frozenset[int]], ...] = (
    ("Amex", ((34, 34), (37, 37)), frozenset({15})),
    ("Maestro", ((5018, 5018), (5020, 5020), (5038, 5038), (5893, 5893), (6304, 6304),
                 (6759, 6759), (6761, 6763)), frozenset(range(13, 20))),
    ("Visa", ((4, 4),), frozenset({13, 16, 19})),
    ("Mastercard", ((51, 55), (2221, 2720)), frozenset({16})),
    ("Discover", ((6011, 6011), (644, 649), (65, 65), (622126, 622925)),
     frozenset(range(16, 20))),
)

_CARD_TEXT = re.compile(r"\d(?:[ -]?\d)*")


def card_digits(text: str) -> str:
    """The digits of a card number written with spaces or dashes; "" if anything else is in it."""
    stripped = text.strip()
    return re.sub(r"[ -]", "", stripped) if _CARD_TEXT.fullmatch(stripped) else ""


def luhn_is_valid(digits: str) -> bool:
    """The Luhn (mod 10) check over a string of digits."""
    if not digits.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def card_brand(text: str) -> str | None:
    """Visa, Mastercard, Amex, Discover or Maestro by IIN prefix and length; None otherwise."""
    digits = card_digits(text)
    for brand, prefixes, lengths in _BRANDS:
        if len(digits) in lengths and _has_prefix(digits, prefixes):
            return brand
    return None


def _has_prefix(digits: str, prefixes: tuple[tuple[int, int], ...]) -> bool:
    for low, high in prefixes:
        width = len(str(low))
        if low <= int(digits[:width]) <= high:
            return True
    return False


def card_is_valid(text: str) -> bool:
    """13-19 digits (spaces/dashes allowed) passing Luhn.

    A number whose prefix names a brand must also have a length that brand issues.
    """
    digits = card_digits(text)
    if len(digits) not in CARD_LENGTHS or not luhn_is_valid(digits):
        return False
    return card_brand(digits) is not None or not _looks_branded(digits)


def _looks_branded(digits: str) -> bool:
    """Whether some brand claims this prefix at any length (then the length must fit too)."""
    return any(_has_prefix(digits, prefixes) for _, prefixes, _ in _BRANDS)


def card_mask(text: str) -> str:
    """Keep the last four digits and the separators: "**** **** **** 1111"."""
    return mask_keeping(text)

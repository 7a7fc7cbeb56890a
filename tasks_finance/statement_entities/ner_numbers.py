"""Numbers that are entities and numbers that only look like them, drawn fresh for each text.

IBANs carry a correct ISO 7064 mod-97 check (two digits computed, never guessed) and card
numbers a correct Luhn digit. The look-alikes are built to fail: an IBAN with one character
changed (mod 97 catches every single change), a 16-digit run whose Luhn digit is off, a SEPA
creditor id. Phone numbers come from the ranges set aside for drama and examples (Ofcom's
01632 960, 020 7946 0, 07700 900 and 0808 157 0; the US 555-01xx), so none is a real line.

Plain standard-library code that only has to make starter data; the validators the task
ships live in the package's own modules, and the tests check this data with checks of their
own.
"""

import random
import string

# Country, total length and BBAN shape: "a" an upper-case letter, "9" a digit.
_IBAN_SHAPES: tuple[tuple[str, str], ...] = (
    ("GB", "aaaa99999999999999"), ("GB", "aaaa99999999999999"), ("IE", "aaaa99999999999999"),
    ("DE", "999999999999999999"), ("DE", "999999999999999999"), ("FR", "99999999999999999999999"),
    ("NL", "aaaa9999999999"), ("ES", "99999999999999999999"), ("IT", "a9999999999999999999999"),
    ("BE", "999999999999"),
)
_CARD_PREFIXES: tuple[tuple[str, int], ...] = (
    ("4", 16), ("4", 16), ("4", 16), ("51", 16), ("53", 16), ("55", 16), ("2221", 16),
    ("6011", 16), ("37", 15), ("34", 15),
)


def _digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choices(string.digits, k=count))


def _letters(rng: random.Random, count: int) -> str:
    return "".join(rng.choices(string.ascii_uppercase, k=count))


# IBANs.

def iban_remainder(compact: str) -> int:
    """The mod-97 remainder of an IBAN read as ISO 13616 says (1 for a valid one)."""
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(char, 36)) for char in rearranged.upper())) % 97


def iban(rng: random.Random) -> str:
    """A valid IBAN in its compact form: a random BBAN and the check digits that fit it."""
    country, shape = rng.choice(_IBAN_SHAPES)
    bban = "".join(rng.choice(string.ascii_uppercase) if char == "a" else rng.choice(string.digits)
                   for char in shape)
    check = 98 - iban_remainder(f"{country}00{bban}")
    return f"{country}{check:02d}{bban}"


def iban_print(compact: str) -> str:
    """The paper form: groups of four separated by spaces."""
    return " ".join(compact[index:index + 4] for index in range(0, len(compact), 4))


def broken_iban(rng: random.Random) -> str:
    """An IBAN with one character after the country changed: shaped right, failing mod 97."""
    valid = iban(rng)
    position = rng.randrange(2, len(valid))
    alphabet = string.digits if valid[position].isdigit() else string.ascii_uppercase
    replacement = rng.choice(alphabet.replace(valid[position], ""))
    return valid[:position] + replacement + valid[position + 1:]


def creditor_id(rng: random.Random) -> str:
    """A SEPA creditor identifier ("DE98ZZZ09999999999"), never passing the IBAN check."""
    while True:
        candidate = f"{rng.choice(('DE', 'NL', 'FR'))}{_digits(rng, 2)}ZZZ{_digits(rng, 11)}"
        if iban_remainder(candidate) != 1:
            return candidate


# Payment cards.

def luhn_total(digits: str) -> int:
    """The Luhn sum of a digit string (0 mod 10 for a valid card number)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total


def card_number(rng: random.Random) -> str:
    """A Luhn-valid card number (digits only) with a Visa, Mastercard, Discover or Amex prefix."""
    prefix, length = rng.choice(_CARD_PREFIXES)
    body = prefix + _digits(rng, length - len(prefix) - 1)
    check = (10 - luhn_total(body + "0") % 10) % 10
    return f"{body}{check}"


def card_groups(digits: str, separator: str = " ") -> str:
    """4-4-4-4 for 16 digits, Amex's 4-6-5 for 15."""
    cuts = (4, 10, 15) if len(digits) == 15 else (4, 8, 12, 16)
    parts, start = [], 0
    for cut in cuts:
        parts.append(digits[start:cut])
        start = cut
    return separator.join(parts)


def broken_card(rng: random.Random) -> str:
    """Sixteen digits grouped like a card whose Luhn digit is off by one to nine."""
    valid = card_number(rng)
    while len(valid) != 16:
        valid = card_number(rng)
    wrong = (int(valid[-1]) + rng.randint(1, 9)) % 10
    return card_groups(f"{valid[:-1]}{wrong}", rng.choice((" ", " ", "", "-")))


# Account numbers: a sort code and an account number, eight digits (UK) or nine to twelve.

def account(rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.7:
        return sort_code(rng), _digits(rng, 8)
    return sort_code(rng), rng.choice(("", "00", "4")) + _digits(rng, rng.randint(8, 10))


def sort_code(rng: random.Random) -> str:
    return f"{_digits(rng, 2)}-{_digits(rng, 2)}-{_digits(rng, 2)}"


# Hard negatives: identifiers and numbers that are none of the entity types.

def reference(rng: random.Random) -> str:
    """Payment, invoice, mandate and case references in the shapes banks print them."""
    shapes = (
        lambda: _digits(rng, 8), lambda: f"INV-{_digits(rng, 5)}",
        lambda: f"PAY-{rng.randint(2023, 2026)}-{_digits(rng, 5)}",
        lambda: f"{_letters(rng, 3)}{_digits(rng, 4)}",
        lambda: f"FT{_digits(rng, 5)}{_letters(rng, 4)}",
        lambda: f"{_letters(rng, 2)}{_digits(rng, 6)}{_letters(rng, 1)}",
        lambda: f"{_digits(rng, 3)}/{_digits(rng, 4)}", lambda: f"CASE-{_digits(rng, 7)}",
        lambda: f"RNT{_digits(rng, 4)}",
        lambda: f"{_digits(rng, 4)}-{_letters(rng, 2)}{_digits(rng, 3)}",
    )
    return rng.choice(shapes)()


def order_number(rng: random.Random) -> str:
    shapes = (lambda: f"#{_digits(rng, 3)}-{_digits(rng, 7)}-{_digits(rng, 7)}",
              lambda: f"ORD-{_digits(rng, 5)}", lambda: f"{rng.choice('ABW')}{_digits(rng, 8)}",
              lambda: f"#{_digits(rng, 6)}")
    return rng.choice(shapes)()


def phone(rng: random.Random) -> str:
    shapes = (lambda: f"01632 960{_digits(rng, 3)}", lambda: f"020 7946 0{_digits(rng, 3)}",
              lambda: f"07700 900{_digits(rng, 3)}", lambda: f"+44 7700 900{_digits(rng, 3)}",
              lambda: f"0808 157 0{_digits(rng, 3)}", lambda: f"555-01{_digits(rng, 2)}",
              lambda: f"+1 (212) 555-01{_digits(rng, 2)}")
    return rng.choice(shapes)()


def postcode(rng: random.Random) -> str:
    """A UK postcode of the right shape ("LS2 7QT") or a five-digit US ZIP code."""
    outward = _letters(rng, rng.choice((1, 2))) + str(rng.randint(1, 29))
    return rng.choice((f"{outward} {rng.randint(1, 9)}{_letters(rng, 2)}", _digits(rng, 5)))


def time_of_day(rng: random.Random) -> str:
    hour, minute = rng.randint(0, 23), rng.randint(0, 59)
    twelve = hour % 12 or 12
    meridiem, second = ("am" if hour < 12 else "pm"), rng.randint(0, 59)
    return rng.choice((f"{hour:02d}:{minute:02d}", f"{hour:02d}:{minute:02d}:{second:02d}",
                       f"{twelve}:{minute:02d}{meridiem}", f"{hour:02d}.{minute:02d}"))


def percentage(rng: random.Random) -> str:
    rate = rng.choice((f"{rng.randint(0, 29)}.{rng.randint(0, 99):02d}",
                       f"{rng.randint(1, 24)}.{rng.randint(0, 9)}", str(rng.randint(1, 30))))
    return rng.choice((f"{rate}%", f"{rate}%", f"{rate} %"))


def digit_run(rng: random.Random) -> str:
    """Auth codes, terminal ids, cheque and page-free serial numbers: bare digits, never a card."""
    return _digits(rng, rng.choice((4, 6, 6, 7, 8, 10)))


def acquirer_reference(rng: random.Random) -> str:
    """A card scheme's 23-digit acquirer reference number (ARN), quoted in disputes."""
    return _digits(rng, 23)


def bic(rng: random.Random) -> str:
    country = rng.choice(("GB", "DE", "FR", "NL", "IE", "ES"))
    branch = rng.choice(("", "", "XXX", "001"))
    return f"{_letters(rng, 4)}{country}{rng.choice(('2L', '22', '2X', 'MM'))}{branch}"


def exchange_rate(rng: random.Random) -> str:
    return f"{rng.randint(0, 1)}.{_digits(rng, 4)}"

"""Identifiers and dates for the PHI generator, drawn fresh for each text and valid by the rules
that real ones follow, so a model learns their true shapes.

US phone numbers follow NANP (area code and exchange start 2-9, no N11); UK ones the Ofcom
shapes, half from the ranges set aside for drama. SSNs follow the SSA rules (no area 000, 666
or 900-999, no group 00, no serial 0000); NHS numbers pass their mod-11 check, NPI numbers
the Luhn check with the 80840 prefix, DEA numbers their check digit, VINs the check digit in
position 9, and UDIs carry a GS1 check digit in their GTIN. Plain standard-library code: the
tests check the data with validators of their own.
"""

import datetime
import random
import string

from .pools import MONTHS

_VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"  # no I, O or Q
_VIN_VALUES = dict(zip("ABCDEFGHJKLMNPRSTUVWXYZ", (1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9,
                                                   2, 3, 4, 5, 6, 7, 8, 9), strict=True))
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
_MBI_LETTERS = "ACDEFGHJKMNPQRTUVWXY"  # no S, L, O, I, B or Z
_PLATE_LETTERS = "ABCDEFGHJKLMNPRSTVWXYZ"


def _digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choices(string.digits, k=count))


def _letters(rng: random.Random, count: int, alphabet: str = string.ascii_uppercase) -> str:
    return "".join(rng.choices(alphabet, k=count))


def luhn_check_digit(body: str) -> int:
    """The digit that makes `body` + digit pass the Luhn check."""
    total = 0
    for position, char in enumerate(reversed(body)):
        value = int(char) * (1 if position % 2 else 2)
        total += value - 9 if value > 9 else value
    return (10 - total % 10) % 10


# Telephone numbers.

def nanp_digits(rng: random.Random) -> str:
    """Ten NANP digits: area code and exchange start 2-9 and are never N11."""
    def part() -> str:
        while True:
            code = f"{rng.randint(2, 9)}{_digits(rng, 2)}"
            if code[1:] != "11":
                return code
    line = f"01{_digits(rng, 2)}" if rng.random() < 0.2 else _digits(rng, 4)
    return part() + ("555" if rng.random() < 0.2 else part()) + line


def nhs_check_digit(nine: str) -> int | None:
    """The NHS mod-11 check digit of nine digits, or None when there is none (remainder 10)."""
    check = 11 - sum(int(char) * (10 - index) for index, char in enumerate(nine)) % 11
    return {11: 0, 10: None}.get(check, check)


def us_phone(rng: random.Random, digits: str | None = None) -> str:
    """A US number in one of its written forms, an extension now and then."""
    d = digits or nanp_digits(rng)
    area, exchange, line = d[:3], d[3:6], d[6:]
    written = rng.choice((f"({area}) {exchange}-{line}", f"{area}-{exchange}-{line}",
                          f"{area}-{exchange}-{line}", f"{area}.{exchange}.{line}",
                          f"+1 {area} {exchange} {line}", f"{area} {exchange} {line}",
                          f"1-{area}-{exchange}-{line}", f"+1 ({area}) {exchange}-{line}"))
    if digits is None and rng.random() < 0.12:
        written += rng.choice((f" ext. {rng.randint(2, 99)}", f" x{rng.randint(100, 999)}",
                               f" ext {rng.randint(200, 4999)}"))
    return written


def phone_passing_nhs_check(rng: random.Random) -> str:
    """A US number whose ten digits happen to pass the NHS mod-11 check: still a phone."""
    while True:
        digits = nanp_digits(rng)
        if nhs_check_digit(digits[:9]) == int(digits[9]):
            return us_phone(rng, digits)


def uk_phone(rng: random.Random) -> str:
    """A UK number: half from Ofcom's drama ranges, half of the general geographic and mobile
    shapes, in national or +44 form."""
    national = rng.choice((
        f"020 7946 0{_digits(rng, 3)}", f"0113 496 0{_digits(rng, 3)}",
        f"0161 496 0{_digits(rng, 3)}", f"07700 900{_digits(rng, 3)}",
        f"01632 960{_digits(rng, 3)}", f"01{rng.randint(2, 9)}{_digits(rng, 2)} {_digits(rng, 6)}",
        f"07{rng.choice('3456789')}{_digits(rng, 2)} {_digits(rng, 6)}",
        f"02{rng.choice('0389')} {rng.randint(3, 8)}{_digits(rng, 3)} {_digits(rng, 4)}",
    ))
    if rng.random() < 0.2:
        return "+44 " + national[1:]
    return national


# Government, hospital and insurance numbers.

def ssn(rng: random.Random) -> str:
    area = rng.choice([number for number in range(1, 900) if number != 666])
    group, serial = rng.randint(1, 99), rng.randint(1, 9999)
    separator = " " if rng.random() < 0.15 else "-"
    return f"{area:03d}{separator}{group:02d}{separator}{serial:04d}"


def nhs_number(rng: random.Random) -> str:
    while True:
        nine = str(rng.randint(4, 9)) + _digits(rng, 8)
        check = nhs_check_digit(nine)
        if check is not None:
            digits = f"{nine}{check}"
            separator = rng.choice((" ", " ", " ", "", "-"))
            return separator.join((digits[:3], digits[3:6], digits[6:]))


def mrn(rng: random.Random) -> str:
    return rng.choice((
        lambda: f"00{_digits(rng, 6)}", lambda: _digits(rng, 7), lambda: _digits(rng, 8),
        lambda: f"E{_digits(rng, 7)}", lambda: f"{_letters(rng, 2)}{_digits(rng, 7)}",
        lambda: f"A00{_digits(rng, 6)}", lambda: f"{_letters(rng, 1)}{_digits(rng, 6)}",
        lambda: f"{_digits(rng, 3)}-{_digits(rng, 2)}-{_digits(rng, 2)}",
        lambda: f"RX{_digits(rng, 6)}{_letters(rng, 1)}",
    ))()


def mbi(rng: random.Random) -> str:
    """A Medicare Beneficiary Identifier, dashed ("1EG4-TE5-MK73") or not."""
    alnum = _MBI_LETTERS + string.digits
    chars = (str(rng.randint(1, 9)), rng.choice(_MBI_LETTERS), rng.choice(alnum),
             _digits(rng, 1), rng.choice(_MBI_LETTERS), rng.choice(alnum), _digits(rng, 1),
             rng.choice(_MBI_LETTERS), rng.choice(_MBI_LETTERS), _digits(rng, 2))
    compact = "".join(chars)
    if rng.random() < 0.6:
        return f"{compact[:4]}-{compact[4:7]}-{compact[7:]}"
    return compact


def member_id(rng: random.Random) -> str:
    return rng.choice((
        lambda: f"{_letters(rng, 3)}{_digits(rng, 9)}", lambda: f"W{_digits(rng, 9)}",
        lambda: f"{_letters(rng, 2)}{_digits(rng, 5)}{_letters(rng, 1)}",
        lambda: f"{_digits(rng, 2)}-{_digits(rng, 5)}-{_digits(rng, 2)}",
        lambda: f"U{_digits(rng, 8)} {_digits(rng, 2)}", lambda: f"ZGP{_digits(rng, 8)}",
    ))()


def account_number(rng: random.Random) -> str:
    return rng.choice((
        lambda: _digits(rng, rng.randint(8, 10)), lambda: f"{_digits(rng, 4)}-{_digits(rng, 4)}-"
        f"{_digits(rng, 2)}", lambda: f"HB{_digits(rng, 7)}", lambda: f"ACC-{_digits(rng, 7)}",
        lambda: f"{_digits(rng, 2)}-{_digits(rng, 2)}-{_digits(rng, 2)} {_digits(rng, 8)}",
        lambda: f"G{_digits(rng, 9)}",
    ))()


# Licences and certificates.

def dea_number(rng: random.Random, initial: str | None = None) -> str:
    """Registrant letter, the surname's initial, six digits and the check digit."""
    six = [rng.randint(0, 9) for _ in range(6)]
    check = (six[0] + six[2] + six[4] + 2 * (six[1] + six[3] + six[5])) % 10
    second = initial or rng.choice(string.ascii_uppercase)
    return f"{rng.choice('ABFGM')}{second}{''.join(map(str, six))}{check}"


def npi(rng: random.Random) -> str:
    body = str(rng.randint(1, 2)) + _digits(rng, 8)
    return f"{body}{luhn_check_digit('80840' + body)}"


def professional_licence(rng: random.Random) -> str:
    return rng.choice((
        lambda: f"MD-{_digits(rng, 5)}", lambda: f"{rng.choice(('MD', 'DO', 'RN', 'NP'))}"
        f"{_digits(rng, 6)}", lambda: f"{rng.choice('ACG')}{_digits(rng, 5)}",
        lambda: _digits(rng, 7), lambda: f"{_digits(rng, 2)}{_letters(rng, 1)}"
        f"{_digits(rng, 4)}{_letters(rng, 1)}", lambda: f"RN {_digits(rng, 7)}",
    ))()


def driving_licence(rng: random.Random, locale: str) -> str:
    if locale == "uk":
        return (f"{_letters(rng, 5)}{rng.randint(4, 9)}{rng.choice(('0', '1', '5', '6'))}"
                f"{_digits(rng, 3)}{_letters(rng, 2)}9{_letters(rng, 2)}")
    return rng.choice((
        lambda: f"{_letters(rng, 1)}{_digits(rng, 7)}", lambda: _digits(rng, 8),
        lambda: f"{_digits(rng, 3)} {_digits(rng, 3)} {_digits(rng, 3)}",
        lambda: f"{_letters(rng, 1)}{_digits(rng, 3)}-{_digits(rng, 4)}-{_digits(rng, 4)}",
        lambda: f"{_letters(rng, 1)}{_digits(rng, 3)}-{_digits(rng, 3)}-{_digits(rng, 2)}-"
        f"{_digits(rng, 3)}-{_digits(rng, 1)}",
    ))()


# Vehicles and devices.

def vin(rng: random.Random) -> str:
    chars = [rng.choice(_VIN_CHARS) for _ in range(17)]
    chars[9] = rng.choice("ABCDEFGHJKLMNPRSTVWXY123456789")  # the model year
    total = sum((_VIN_VALUES[char] if char.isalpha() else int(char)) * weight
                for char, weight in zip(chars, _VIN_WEIGHTS, strict=True))
    chars[8] = "X" if total % 11 == 10 else str(total % 11)
    return "".join(chars)


def licence_plate(rng: random.Random, locale: str) -> str:
    if locale == "uk":
        age = rng.choice((rng.randint(2, 25), rng.randint(51, 75)))
        return f"{_letters(rng, 2, _PLATE_LETTERS)}{age:02d} {_letters(rng, 3, _PLATE_LETTERS)}"
    return rng.choice((
        lambda: f"{rng.randint(1, 9)}{_letters(rng, 3, _PLATE_LETTERS)}{_digits(rng, 3)}",
        lambda: f"{_letters(rng, 3, _PLATE_LETTERS)}-{_digits(rng, 4)}",
        lambda: f"{_letters(rng, 3, _PLATE_LETTERS)} {_digits(rng, 4)}",
        lambda: f"{_digits(rng, 3)} {_letters(rng, 3, _PLATE_LETTERS)}",
    ))()


def device_serial(rng: random.Random) -> str:
    return rng.choice((
        lambda: f"{_letters(rng, 2)}{_digits(rng, 4)}{_letters(rng, 1)}{_digits(rng, 1)}",
        lambda: f"{_letters(rng, 3)}{_digits(rng, 6)}{_letters(rng, 1)}",
        lambda: f"{_digits(rng, 7)}{_letters(rng, 1)}",
        lambda: f"{_letters(rng, 1)}{_digits(rng, 9)}",
        lambda: f"{_digits(rng, 1)}{_letters(rng, 1)}{_digits(rng, 1)}{_letters(rng, 3)}",
        lambda: f"{_letters(rng, 2)}-{_digits(rng, 6)}",
    ))()


def udi(rng: random.Random) -> str:
    """A GS1 UDI: a GTIN-14 with its check digit, expiry, lot and serial."""
    body = "0" + _digits(rng, 12)
    weights = [3 if index % 2 == 0 else 1 for index in range(13)]
    gtin = body + str(-sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 10)
    expiry = f"{rng.randint(24, 31)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    return f"(01){gtin}(17){expiry}(10){_digits(rng, 7)}{_letters(rng, 1)}(21){_digits(rng, 4)}"


# Network addresses.

def ipv4(rng: random.Random) -> str:
    first = rng.choice((rng.randint(1, 223), 10, 192, 172))
    return ".".join(str(octet) for octet in (first, *(rng.randint(0, 255) for _ in range(3))))


def ipv6(rng: random.Random) -> str:
    groups = [f"{rng.randint(0, 0xFFFF):x}" for _ in range(8)]
    if rng.random() < 0.6:
        return f"{rng.choice(('2001:db8', 'fe80', '2a00:23c5'))}::{':'.join(groups[:4])}"
    return ":".join(groups)


# Dates and ages.

def ordinal(day: int) -> str:
    suffix = "th" if 11 <= day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def date_shapes(day: datetime.date, variant: str, locale: str) -> tuple[str, ...]:
    """The ways a note writes a date: full ("" or "dob"), "short" (no year), "month"."""
    d, m, y, yy = day.day, day.month, day.year, f"{day.year % 100:02d}"
    month, mon = MONTHS[m - 1], MONTHS[m - 1][:3]
    if variant == "short":
        numeric = (f"{m}/{d}",) if locale == "us" else (f"{d}/{m}",)
        return (f"{mon} {d}", f"{month} {d}", f"{d} {month}", f"{d} {mon}", f"the {ordinal(d)}",
                f"{month} {ordinal(d)}", *numeric)
    if variant == "month":
        return (f"{month} {y}", f"{mon} {y}", f"{m:02d}/{y}", f"{month} of {y}")
    if locale == "us":
        numeric = (f"{m:02d}/{d:02d}/{y}", f"{m}/{d}/{yy}", f"{m}/{d}/{y}", f"{m:02d}-{d:02d}-{y}")
        words = (f"{month} {d}, {y}", f"{mon} {d}, {y}", f"{month} {ordinal(d)}, {y}")
    else:
        numeric = (f"{d:02d}/{m:02d}/{y}", f"{d}/{m}/{yy}", f"{d:02d}.{m:02d}.{y}",
                   f"{d}/{m}/{y}")
        words = (f"{d} {month} {y}", f"{ordinal(d)} {month} {y}", f"{d}-{mon}-{y}")
    shapes = numeric + words + (f"{d} {mon} {y}", f"{y}-{m:02d}-{d:02d}")
    return shapes if variant == "dob" else shapes + (f"{mon} {d}", f"{d} {month}")


def day_between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))


def old_age(rng: random.Random) -> int:
    """An age Safe Harbor removes: over 89, mostly in the early nineties."""
    return rng.choice((90, 91, 92, 93, 94, 95, 96, rng.randint(90, 99), rng.randint(97, 106)))


def young_age(rng: random.Random) -> int:
    """An adult's age that stays: 89 and under, many close to the line."""
    return rng.choice((89, 88, 87, rng.randint(80, 89), rng.randint(60, 89), rng.randint(60, 89),
                       rng.randint(18, 59), rng.randint(18, 59)))


# Times and measurements: hard negatives.

def time_of_day(rng: random.Random) -> str:
    """A clock time as notes write it: "10:30", "3pm", "0830", "9.15am"."""
    hour, minute = rng.randint(0, 23), rng.choice((0, 15, 30, 45, rng.randint(0, 59)))
    twelve, meridiem = hour % 12 or 12, "am" if hour < 12 else "pm"
    return rng.choice((f"{hour:02d}:{minute:02d}", f"{hour}:{minute:02d}", f"{twelve}{meridiem}",
                       f"{twelve}:{minute:02d} {meridiem.upper()}", f"{hour:02d}{minute:02d}",
                       f"{twelve}.{minute:02d}{meridiem}"))


def measurement(rng: random.Random, shape: str) -> str:
    """A lab value or vital sign of pools.LABS or pools.VITALS, in a plausible range."""
    return shape.format(a=rng.randint(7, 16), d=rng.randint(0, 9), k=rng.randint(3, 5),
                        na=rng.randint(128, 146), c=rng.randint(0, 3), e=rng.randint(8, 120),
                        h=rng.randint(5, 11), w=rng.randint(3, 18), i=rng.randint(1, 4),
                        g=rng.randint(70, 320), p=rng.randint(90, 450), sys=rng.randint(95, 185),
                        dia=rng.randint(55, 110), hr=rng.randint(48, 130), sat=rng.randint(86, 100),
                        rr=rng.randint(12, 30), t=rng.randint(6, 9), wt=rng.randint(40, 140),
                        bmi=rng.randint(17, 42))

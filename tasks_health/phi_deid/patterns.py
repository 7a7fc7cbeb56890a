"""The structured PHI types, found by patterns that are validated, not just matched.

A pattern alone is what makes rule-only de-identification tools wrong: a US phone number has
the shape of a UK NHS number, "120/80" the shape of a date, a DEA number the shape of any code.
So every match here must also pass its type's own check (NANP numbering, the NHS mod-11 digit,
the SSA's SSN rules, Luhn for NPI, the DEA and VIN check digits, real calendar dates, IP octets)
and, where the shape is shared, the words before it decide: "NHS no." makes a valid mod-11
number an MRN, "tel", "fax" or "call" makes it a phone number, and a bare 10-digit number that
is a valid NANP number is a phone number. An identifier written after its label ("MRN:",
"Member ID", "DL#", "serial no.") takes the label's type.

`find_identifiers(text)` gives non-overlapping matches, each {start, end, type, rule}, the
earlier and longer match winning. `valid_for_type(type, text)` is the check a model's span of
a structured type must pass (phi_deid.served drops the ones that fail). Plain Python.
"""

import calendar
import ipaddress
import re
from collections.abc import Callable, Iterator

_SEP = r"[ \-.]?"
_BEFORE = 32  # how many characters before a match its label or context may start

EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
                   r"\.[A-Za-z]{2,}\b")
URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.]*\d)")
IPV6 = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{1,4}(?![\w:])")
SSN = re.compile(r"(?<![\w-])(\d{3})([ -])(\d{2})\2(\d{4})(?![\w-])")
SSN_LABELLED = re.compile(r"(?:\bSSN|\bsocial security(?: number| no\.?| #)?)\s*[:#]?\s*"
                          r"(\d{9})\b", re.IGNORECASE)
# A 10-digit number written 3-3-4 (NANP and NHS share the shape), with an optional +1 or 1.
TEN_DIGITS = re.compile(r"(?<![\w+])(?:\+?1[ .-]?)?(\(\d{3}\)|\d{3})[ .-]?(\d{3})[ .-]?(\d{4})"
                        r"(?:\s*(?:ext\.?|x)\s*\d{1,5})?(?![\w-])", re.IGNORECASE)
UK_PHONE = re.compile(r"(?<![\w+])(?:\+44\s?\(?0?\)?\s?|0)(\d{2,4})\s?(\d{3,4})\s?(\d{3,4})"
                      r"(?![\w-])")
VIN = re.compile(r"\b[A-HJ-NPR-Z0-9]{17}\b")
DEA = re.compile(r"\b[ABCDEFGHJKLMPRSTUX][A-Z9]\d{7}\b")
NPI = re.compile(r"\bNPI\s*(?:no\.?|number|#)?\s*[:#]?\s*([12]\d{9})\b", re.IGNORECASE)
AGE = re.compile(r"\b(?:(?:aged?|age:)\s*(\d{2,3})\b|(\d{2,3})(?=\s*(?:-|\s)?\s*"
                 r"(?:years?[- ]old|yrs?[- ]old|y/?o\b|yo\b)))", re.IGNORECASE)
_MONTHS = ("jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|"
           "june|july|august|september|october|november|december")
NUMERIC_DATE = re.compile(r"(?<![\w/.-])(\d{1,4})([/.-])(\d{1,2})\2(\d{1,4})(?![\w/.-])")
NAMED_DATE = re.compile(
    rf"\b(?:(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTHS})(?:\.?,?\s+(\d{{4}}))?"
    rf"|({_MONTHS})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?)(?!\w)",
    re.IGNORECASE)
_MONTH_NUMBER = {name: number for number, names in enumerate(
    (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
     ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
     ("oct", "october"), ("nov", "november"), ("dec", "december")), start=1) for name in names}

# A label before an identifier decides its type; the identifier must hold at least 4 digits.
LABELS: tuple[tuple[str, str], ...] = (
    ("MRN", r"MRN|MR\s?#|medical record(?: number| no\.?| #)?|hospital (?:number|no\.?)"
            r"|patient (?:id|number|no\.?)|chart (?:number|no\.?|#)"),
    ("HEALTH_PLAN", r"member (?:id|number|no\.?|#)|policy (?:number|no\.?|#)|subscriber id"
                    r"|medicare(?: number| id| no\.?)?|medicaid(?: number| id| no\.?)?"
                    r"|insurance (?:id|number|no\.?)|group (?:number|no\.?|#)|MBI|plan id"),
    ("ACCOUNT", r"account (?:number|no\.?|#)|acct\.? ?(?:no\.?|#)?|billing (?:account|id)"
                r"|invoice account"),
    ("LICENSE", r"driver'?s licen[cs]e(?: number| no\.?| #)?|DL ?(?:#|number|no\.?)"
                r"|licen[cs]e (?:number|no\.?|#)"
                r"|DEA(?: number| no\.?| #)?|certificate (?:number|no\.?|#)"),
    ("VEHICLE", r"licen[cs]e plate|plate (?:number|no\.?|#)?|registration (?:number|no\.?)|VIN"
                r"|reg\.? ?(?:no\.?|#)"),
    ("DEVICE", r"serial (?:number|no\.?|#)|S/?N|device id|UDI|model/serial|lot (?:number|no\.?)"),
)
_LABELLED = re.compile(
    r"\b(?P<label>" + "|".join(f"(?P<{kind}>{pattern})" for kind, pattern in LABELS) + r")"
    r"\s*(?:is|:|#|=|-)?\s*(?P<value>(?=[A-Z0-9()\-]*\d[A-Z0-9()\-]*\d[A-Z0-9()\-]*\d"
    r"[A-Z0-9()\-]*\d)[A-Z0-9][A-Z0-9()\-]{3,40}[A-Z0-9)](?: \d[\d\-]{2,20}\d)*)",
    re.IGNORECASE)
_NHS_CONTEXT = re.compile(r"\bNHS\b|\bCHI\b", re.IGNORECASE)
_PHONE_CONTEXT = re.compile(r"\b(?:tel|telephone|phone|ph|call|called|calling|ring|fax|mobile"
                            r"|cell|text|txt|contact|reach|voicemail|number is|on)\b\.?:?\s*$",
                            re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\""


def find_identifiers(text: str) -> list[dict]:
    """The validated structured identifiers of `text`, in text order, none overlapping."""
    found: list[dict] = []
    for finder in _FINDERS:
        for start, end, kind, rule in finder(text):
            if not any(start < other["end"] and other["start"] < end for other in found):
                found.append({"start": start, "end": end, "type": kind, "rule": rule})
    return sorted(found, key=lambda item: item["start"])


def valid_for_type(kind: str, text: str) -> bool:
    """Whether a span of `kind` passes that type's check (True for types without one)."""
    check = _CHECKS.get(kind)
    return True if check is None else check(text.strip())


# -- the checks ---------------------------------------------------------------------------

def nanp_is_valid(digits: str) -> bool:
    """A 10-digit North American number: area code and exchange start 2-9, and neither is an
    N11 service code (411, 911)."""
    if len(digits) != 10:
        return False
    area, exchange = digits[:3], digits[3:6]
    return (area[0] not in "01" and exchange[0] not in "01" and area[1:] != "11"
            and exchange[1:] != "11")


def nhs_number_is_valid(digits: str) -> bool:
    """The NHS number's mod-11 check digit (weights 10..2; 11 -> 0; 10 is never issued)."""
    if len(digits) != 10 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    remainder = sum(int(digit) * weight for digit, weight in zip(digits[:9], range(10, 1, -1),
                                                             strict=True))
    check = 11 - remainder % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def ssn_is_valid(digits: str) -> bool:
    """The SSA's rules: area not 000, 666 or 900-999; group not 00; serial not 0000."""
    if len(digits) != 9 or not digits.isdigit():
        return False
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


def luhn_is_valid(digits: str) -> bool:
    total = 0
    for index, digit in enumerate(reversed(digits)):
        value = int(digit) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def npi_is_valid(digits: str) -> bool:
    """A National Provider Identifier: 10 digits, Luhn-valid with the 80840 prefix."""
    return len(digits) == 10 and digits[0] in "12" and luhn_is_valid("80840" + digits)


def dea_is_valid(number: str) -> bool:
    """A DEA registration number: two letters, seven digits, the last the check digit of
    (d1 + d3 + d5) + 2 (d2 + d4 + d6)."""
    number = number.upper()
    if not re.fullmatch(r"[A-Z][A-Z9]\d{7}", number):
        return False
    d = [int(character) for character in number[2:]]
    return (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10 == d[6]


_VIN_VALUES = {**{str(n): n for n in range(10)},
               **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
               **dict(zip("JKLMN", range(1, 6), strict=True)),
               "P": 7, "R": 9, **dict(zip("STUVWXYZ", range(2, 10), strict=True))}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def vin_is_valid(vin: str) -> bool:
    """A 17-character VIN whose ninth character is its check digit (0-9 or X)."""
    vin = vin.upper()
    if len(vin) != 17 or any(character not in _VIN_VALUES for character in vin):
        return False
    if not (any(c.isalpha() for c in vin) and any(c.isdigit() for c in vin)):
        return False
    remainder = sum(_VIN_VALUES[c] * w for c, w in zip(vin, _VIN_WEIGHTS, strict=True)) % 11
    return vin[8] == ("X" if remainder == 10 else str(remainder))


def ip_is_valid(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def date_is_valid(text: str) -> bool:
    """A written date that names a real day or month (not "120/80", not "13/13"), and more
    than a year alone. Text with letters passes when it holds a month name."""
    if NUMERIC_DATE.fullmatch(text):
        return numeric_date(text) is not None
    day_and_month = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})", text)
    if day_and_month:  # "3/14" or "14/3"; "120/80" is a blood pressure
        first, second = (int(part) for part in day_and_month.groups())
        return (first <= 12 and 1 <= second <= 31) or (second <= 12 and 1 <= first <= 31)
    if re.fullmatch(r"\d{4}", text):
        return False  # a year alone is not PHI
    if re.search(rf"\b(?:{_MONTHS})\b", text, re.IGNORECASE):
        return True
    return bool(re.search(r"\d", text)) and not re.fullmatch(r"[\d\s/.:-]+", text)


def age_is_phi(text: str) -> bool:
    """Only ages over 89 are Safe Harbor identifiers."""
    number = re.search(r"\d{2,3}", text)
    return number is not None and 89 < int(number.group()) < 130


def email_is_valid(text: str) -> bool:
    return EMAIL.fullmatch(text) is not None


def phone_is_valid(text: str) -> bool:
    digits = re.sub(r"\D", "", re.split(r"(?i)\s*(?:ext\.?|x)\s*\d", text)[0])
    if digits.startswith("44"):
        digits = "0" + digits[2:]
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return nanp_is_valid(digits) or (len(digits) in (10, 11) and digits.startswith("0")
                                     and digits[1] in "123789")


_CHECKS: dict[str, Callable[[str], bool]] = {
    "EMAIL": email_is_valid, "IP": ip_is_valid, "PHONE": phone_is_valid,
    "SSN": lambda text: ssn_is_valid(re.sub(r"\D", "", text)), "DATE": date_is_valid,
    "AGE": age_is_phi, "URL": lambda text: URL.fullmatch(text) is not None
    or re.fullmatch(r"[\w-]+(?:\.[\w-]+)+/\S*", text) is not None,
}


# -- the finders, in priority order ---------------------------------------------------------

Match = tuple[int, int, str, str]


def _emails(text: str) -> Iterator[Match]:
    for match in EMAIL.finditer(text):
        yield match.start(), match.end(), "EMAIL", "email"


def _urls(text: str) -> Iterator[Match]:
    for match in URL.finditer(text):
        end = match.end()
        while end > match.start() and text[end - 1] in _TRAILING:
            end -= 1
        yield match.start(), end, "URL", "url"


def _ips(text: str) -> Iterator[Match]:
    for pattern in (IPV4, IPV6):
        for match in pattern.finditer(text):
            if ip_is_valid(match.group()) and (pattern is IPV4 or match.group().count(":") >= 2
                                               and any(c.isdigit() for c in match.group())):
                yield match.start(), match.end(), "IP", "ip_address"


def _labelled(text: str) -> Iterator[Match]:
    for match in _LABELLED.finditer(text):
        kind = next(kind for kind, _ in LABELS if match.group(kind))
        value = match.group("value")
        start, end = match.start("value"), match.end("value")
        if value.endswith(")") and "(" not in value:
            end -= 1
        if kind == "LICENSE" and match.group(kind).upper().startswith("DEA") \
                and not dea_is_valid(text[start:end]):
            continue
        yield start, end, kind, "labelled_" + kind.lower()


def _ssns(text: str) -> Iterator[Match]:
    for match in SSN.finditer(text):
        digits = match.group(1) + match.group(3) + match.group(4)
        if ssn_is_valid(digits):
            yield match.start(), match.end(), "SSN", "ssn"
    for match in SSN_LABELLED.finditer(text):
        if ssn_is_valid(match.group(1)):
            yield match.start(1), match.end(1), "SSN", "ssn_labelled"


def _ten_digit_numbers(text: str) -> Iterator[Match]:
    """NHS numbers and North American phone numbers: the words before decide, then the
    checks; a number neither check passes is neither."""
    for match in TEN_DIGITS.finditer(text):
        digits = re.sub(r"\D", "", match.group(1) + match.group(2) + match.group(3))
        before = text[max(0, match.start() - _BEFORE):match.start()]
        bare = match.group(0)[0].isdigit() and "(" not in match.group(1)
        if (bare and _NHS_CONTEXT.search(before) and not _PHONE_CONTEXT.search(before)
                and nhs_number_is_valid(digits)):
            yield match.start(), match.end(), "MRN", "nhs_number"
        elif nanp_is_valid(digits):
            yield match.start(), match.end(), "PHONE", "nanp_phone"


def _uk_phones(text: str) -> Iterator[Match]:
    for match in UK_PHONE.finditer(text):
        if phone_is_valid(match.group()):
            yield match.start(), match.end(), "PHONE", "uk_phone"


def _licences(text: str) -> Iterator[Match]:
    for match in NPI.finditer(text):
        if npi_is_valid(match.group(1)):
            yield match.start(1), match.end(1), "LICENSE", "npi"
    for match in DEA.finditer(text):
        if dea_is_valid(match.group()):
            yield match.start(), match.end(), "LICENSE", "dea_number"


def _vins(text: str) -> Iterator[Match]:
    for match in VIN.finditer(text):
        if vin_is_valid(match.group()):
            yield match.start(), match.end(), "VEHICLE", "vin"


def _ages(text: str) -> Iterator[Match]:
    for match in AGE.finditer(text):
        group = 1 if match.group(1) else 2
        if age_is_phi(match.group(group)):
            yield match.start(group), match.end(group), "AGE", "age_over_89"


def numeric_date(text: str) -> tuple[int, int, int | None] | None:
    """(year, month, day) of a numeric date in any common order, or None when no order
    gives a real date. A year must have 2 or 4 digits."""
    match = NUMERIC_DATE.fullmatch(text)
    if match is None:
        return None
    first, _, second, third = match.groups()
    orders = ((first, second, third),) if len(first) == 4 else (
        (third, first, second), (third, second, first))  # US month-first, then day-first
    for year, month, day in orders:
        if len(year) not in (2, 4):
            continue
        full_year = int(year) + (2000 if int(year) < 50 else 1900) if len(year) == 2 else int(year)
        if 1 <= int(month) <= 12 and 1 <= int(day) <= calendar.monthrange(
                max(full_year, 1), int(month))[1] and 1870 <= full_year <= 2100:
            return full_year, int(month), int(day)
    return None


def _dates(text: str) -> Iterator[Match]:
    for match in NUMERIC_DATE.finditer(text):
        if numeric_date(match.group()) is not None:
            yield match.start(), match.end(), "DATE", "numeric_date"
    for match in NAMED_DATE.finditer(text):
        day = match.group(1) or match.group(5)
        written = match.group(2) or match.group(4)
        if written == "may" and not (match.group(3) or match.group(6)):
            continue  # "take 2 may help": the verb, not the month
        month = _MONTH_NUMBER[written.lower()]
        if day and 1 <= int(day) <= calendar.monthrange(2024, month)[1]:
            yield match.start(), match.end(), "DATE", "named_date"


# Labelled and checked identifiers come before phone numbers: "NPI 2647123951" is a valid
# NANP number too.
_FINDERS: tuple[Callable[[str], Iterator[Match]], ...] = (
    _emails, _urls, _ips, _labelled, _licences, _ssns, _ten_digit_numbers, _uk_phones, _vins,
    _ages, _dates,
)

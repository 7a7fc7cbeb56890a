"""IBAN validation and masking (ISO 13616).

An IBAN is a two-letter country code, two check digits and a country-specific BBAN; its
length is fixed per country and moving its first four characters to the end, with letters
read as numbers (A=10 ... Z=35), leaves a number whose remainder modulo 97 is 1.
"""

import re

from .masking import mask_keeping

# Lengths from the SWIFT IBAN registry: every EU/EEA country, GB, CH and the other
# registered countries a European statement commonly shows.
# fmt: off
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22,
    "BH": 22, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22,
    "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27,
    "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28,
    "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20,
    "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24,
    "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24,
    "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24, "SC": 31,
    "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28, "TL": 23, "TN": 24,
    "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}
# fmt: on
# Countries missing from the table are held to the range ISO 13616 allows.
GENERIC_LENGTHS = range(15, 35)

_COMPACT_IBAN = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]+")


def iban_compact(text: str) -> str:
    """The electronic form: spaces removed, letters upper-cased."""
    return text.replace(" ", "").upper()


def iban_length_ok(compact: str) -> bool:
    """Whether the length fits the country (or the generic range for unlisted countries)."""
    expected = IBAN_LENGTHS.get(compact[:2])
    return len(compact) == expected if expected else len(compact) in GENERIC_LENGTHS


def iban_is_valid(text: str) -> bool:
    """Whether `text` (print format with spaces, or compact) is a valid IBAN."""
    compact = iban_compact(text)
    if not _COMPACT_IBAN.fullmatch(compact) or not iban_length_ok(compact):
        return False
    # 00, 01 and 99 pass the remainder test but are never issued as check digits.
    if compact[2:4] in ("00", "01", "99"):
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def iban_mask(text: str) -> str:
    """Keep the country code and the last four characters: "GB** **** **** **** **54 32"."""
    return mask_keeping(text, head=2)

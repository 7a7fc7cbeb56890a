"""Find and mask account identifiers in statement text: IBANs, payment cards, account numbers.

Only checked identifiers are called IBAN or CARD: an IBAN passes its country length and the
mod-97 check, a card passes Luhn and carries a known brand's prefix and length (an
unbranded Luhn-valid run is as likely an order number). ACCOUNT is a number that a word
introduces ("account", "acct", "a/c", "account no.": 6-12 digits, or a UK sort code and
8-digit account "12-34-56 12345678"), plus an "IBAN: ..." whose check digits fail, which
is still someone's account and so still masked.

Masks keep the last four characters and every separator (see masking.py): IBAN
"GB82 WEST 1234 5698 7654 32" -> "GB** **** **** **** **54 32", card "4111 1111 1111 1111"
-> "**** **** **** 1111", account "12-34-56 12345678" -> "**-**-** ****5678".
"""

import re
from typing import Literal, TypedDict

from .cards import CARD_LENGTHS, card_brand, card_is_valid, card_mask, luhn_is_valid
from .iban import IBAN_LENGTHS, iban_compact, iban_is_valid, iban_mask
from .masking import mask_keeping

__all__ = [
    "Identifier",
    "card_brand",
    "card_is_valid",
    "card_mask",
    "find_identifiers",
    "iban_is_valid",
    "iban_mask",
    "luhn_is_valid",
    "mask_identifiers",
]

IdentifierType = Literal["IBAN", "CARD", "ACCOUNT"]


class Identifier(TypedDict):
    type: IdentifierType
    start: int
    end: int
    text: str
    masked: str
    valid: bool  # False only for an "IBAN: ..." whose check digits fail (typed ACCOUNT)


# A run of upper-case letter/digit groups separated by single spaces, starting like an IBAN.
_IBAN_RUN = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}[A-Z0-9]*(?: [A-Z0-9]+)*")
# Digit groups separated by single spaces or dashes: a card may hide inside such a run.
_DIGIT_RUN = re.compile(r"(?<![\w.,])\d+(?:[ -]\d+)*")
_ACCOUNT_WORD = r"\b(?:account|acct|acc|a/c)\b\.?(?:\s*(?:number|num|no)\b\.?|\s*#)?"
_SORT_CODE_AND_ACCOUNT = r"\d{2}-\d{2}-\d{2}\s{1,3}\d{8}"
_ACCOUNT = re.compile(
    rf"(?:{_ACCOUNT_WORD}|\bsort[ -]?code\b)\s*[:#]?\s*"
    rf"(?P<number>{_SORT_CODE_AND_ACCOUNT}|\d{{6,12}})(?![\w-])",
    re.IGNORECASE,
)
# 34 characters in groups of four with single spaces between them.
_LONGEST_PRINTED_IBAN = 34 + 34 // 4
_IBAN_LABEL = re.compile(r"\bIBAN\b\s*[:.]?\s*(?=[A-Z]{2}\d{2})")


def find_identifiers(text: str) -> list[Identifier]:
    """Every IBAN, card and account number in `text`, in order, non-overlapping."""
    found: list[Identifier] = []
    for finder in (_find_ibans, _find_cards, _find_accounts, _find_labelled_bad_ibans):
        for identifier in finder(text):
            if not any(_overlaps(identifier, other) for other in found):
                found.append(identifier)
    return sorted(found, key=lambda identifier: identifier["start"])


def mask_identifiers(text: str) -> str:
    """`text` with every identifier replaced by its masked form (same length, same layout)."""
    for identifier in reversed(find_identifiers(text)):
        start, end = identifier["start"], identifier["end"]
        text = text[:start] + identifier["masked"] + text[end:]
    return text


def _identifier(kind: IdentifierType, text: str, start: int, end: int, masked: str,
                valid: bool = True) -> Identifier:
    return Identifier(type=kind, start=start, end=end, text=text[start:end], masked=masked,
                      valid=valid)


def _overlaps(one: Identifier, other: Identifier) -> bool:
    return one["start"] < other["end"] and other["start"] < one["end"]


def _group_ends(text: str, start: int, end: int) -> list[int]:
    """Ends of the space/dash-separated groups of text[start:end] that end a word."""
    ends = [match.end() + start for match in re.finditer(r"[A-Za-z0-9]+", text[start:end])]
    return [position for position in ends if position == len(text) or not text[position].isalnum()]


def _find_ibans(text: str) -> list[Identifier]:
    ibans, position = [], 0
    while run := _IBAN_RUN.search(text, position):
        end = _longest_valid_iban_end(text, run.start(), run.end())
        if end is None:
            position = run.start() + 1
            continue
        ibans.append(_identifier("IBAN", text, run.start(), end, iban_mask(text[run.start():end])))
        position = end
    return ibans


def _longest_valid_iban_end(text: str, start: int, run_end: int) -> int | None:
    for end in reversed(_group_ends(text, start, min(run_end, start + _LONGEST_PRINTED_IBAN))):
        if iban_is_valid(text[start:end]):
            return end
    return None


def _find_cards(text: str) -> list[Identifier]:
    cards = []
    for run in _DIGIT_RUN.finditer(text):
        groups = [(match.start() + run.start(), match.end() + run.start())
                  for match in re.finditer(r"\d+", run.group())]
        cards.extend(_cards_in_groups(text, groups))
    return cards


def _cards_in_groups(text: str, groups: list[tuple[int, int]]) -> list[Identifier]:
    """Greedy left to right: at each group, the longest run of groups that is a branded card."""
    cards, first = [], 0
    while first < len(groups):
        last = _last_group_of_card(text, groups, first)
        if last is None:
            first += 1
            continue
        start, end = groups[first][0], groups[last][1]
        cards.append(_identifier("CARD", text, start, end, card_mask(text[start:end])))
        first = last + 1
    return cards


def _last_group_of_card(text: str, groups: list[tuple[int, int]], first: int) -> int | None:
    """The last group of the longest branded card starting at group `first`, if any."""
    found, digits = None, 0
    for last in range(first, len(groups)):
        digits += groups[last][1] - groups[last][0]
        if digits > max(CARD_LENGTHS):
            break
        candidate = text[groups[first][0]:groups[last][1]]
        if card_brand(candidate) and card_is_valid(candidate):
            found = last
    return found


def _find_accounts(text: str) -> list[Identifier]:
    accounts = []
    for match in _ACCOUNT.finditer(text):
        start, end = match.span("number")
        accounts.append(_identifier("ACCOUNT", text, start, end, mask_keeping(match["number"])))
    return accounts


def _find_labelled_bad_ibans(text: str) -> list[Identifier]:
    """"IBAN: GB.." whose length fits its country but whose check digits fail."""
    found = []
    for label in _IBAN_LABEL.finditer(text):
        start = label.end()
        run = _IBAN_RUN.match(text, start)
        expected = IBAN_LENGTHS.get(text[start:start + 2])
        if run is None or expected is None:
            continue
        for end in _group_ends(text, start, run.end()):
            if len(iban_compact(text[start:end])) == expected:
                masked = iban_mask(text[start:end])
                found.append(_identifier("ACCOUNT", text, start, end, masked, valid=False))
                break
    return found

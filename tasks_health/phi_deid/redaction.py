"""Redacting the PHI spans of a document, in one of four modes.

- `mask`: each span becomes its type in brackets: "[NAME]", "[DATE]".
- `pseudonym`: each span becomes a stand-in of the same kind, the same one for the same value
  everywhere in the document ("Jane Smith" and later "Mrs Smith" keep one surname): names from
  a pool of surrogate names, numbers and codes with their digits and letters replaced and their
  layout kept, emails, URLs and IP addresses from the ranges reserved for documentation
  (example.org, 192.0.2.0/24, 2001:db8::/32), every date moved by one offset per document so
  intervals survive, ages over 89 as "90+", places as "[LOCATION-1]". The stand-ins are drawn
  from a generator seeded by the key and the document, so a retried call gives the same text.
- `hash`: each span becomes "[TYPE:<10 hex>]", an HMAC of the type and the normalised value
  under the organization's key: one patient's MRN hashes alike in every document of the
  organization (records can still be linked) and differently in another organization's.
- `remove`: each span is deleted, with the spaces around it tidied.

`redact(text, entities, mode=..., key=...)` returns the new text and, per entity, the text it
was replaced by. Plain Python.
"""

import datetime
import hashlib
import hmac
import random
import re
import string

from tasks_health.phi_deid.patterns import NAMED_DATE, numeric_date

MODES = ("mask", "pseudonym", "hash", "remove")
_TITLES = frozenset({"dr", "mr", "mrs", "ms", "miss", "mx", "prof", "sr", "nurse"})
SURROGATE_FIRST_NAMES = (
    "Alex", "Robin", "Sam", "Jordan", "Casey", "Morgan", "Taylor", "Jamie", "Avery", "Riley",
    "Quinn", "Rowan", "Sasha", "Elliot", "Charlie", "Dana", "Kim", "Lee", "Noor", "Ari",
)
SURROGATE_SURNAMES = (
    "Ashdown", "Brookfield", "Calloway", "Dunmore", "Everly", "Fairbank", "Glenholm",
    "Hartwell", "Ivesdale", "Kettering", "Larchmont", "Merriwether", "Northcott", "Oakridge",
    "Pemberton", "Quillfeather", "Redgrave", "Stanmore", "Thornbury", "Wexford",
)
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")


def redact(text: str, entities: list[dict], *, mode: str, key: bytes) -> tuple[str, list[str]]:
    """`text` with every entity ({start, end, label}, none overlapping) replaced as `mode`
    says, and the replacement of each entity, in the order given."""
    if mode not in MODES:
        raise ValueError(f"unknown redaction mode {mode!r}; one of {', '.join(MODES)}")
    order = sorted(range(len(entities)), key=lambda index: entities[index]["start"])
    stand_in = _Pseudonyms(key, text) if mode == "pseudonym" else None
    replacements: list[str] = [""] * len(entities)
    pieces, cursor = [], 0
    for index in order:
        entity = entities[index]
        value = text[entity["start"]:entity["end"]]
        if mode == "mask":
            replacement = f"[{entity['label']}]"
        elif mode == "hash":
            replacement = f"[{entity['label']}:{value_hash(key, entity['label'], value)}]"
        elif mode == "pseudonym":
            replacement = stand_in.replace(entity["label"], value)
        else:
            replacement = ""
        replacements[index] = replacement
        pieces += [text[cursor:entity["start"]], replacement]
        cursor = entity["end"]
    pieces.append(text[cursor:])
    redacted = "".join(pieces)
    if mode == "remove":
        redacted = re.sub(r"[ \t]{2,}", " ", redacted)
        redacted = re.sub(r"[ \t]+([,.;:!?)])", r"\1", redacted)
    return redacted, replacements


def value_hash(key: bytes, label: str, value: str) -> str:
    """10 hex digits of an HMAC-SHA256 of the type and the value, case and layout ignored."""
    normalised = re.sub(r"[\s\-.()]", "", value).casefold()
    return hmac.new(key, f"{label}\0{normalised}".encode(), hashlib.sha256).hexdigest()[:10]


class _Pseudonyms:
    """The stand-ins of one document: one per value, drawn from a generator seeded by the key
    and the document."""

    def __init__(self, key: bytes, document: str) -> None:
        seed = hmac.new(key, document.encode(), hashlib.sha256).digest()
        self.rng = random.Random(seed)
        self.names: dict[str, str] = {}
        self.values: dict[tuple[str, str], str] = {}
        self.counts: dict[str, int] = {}
        self.date_shift = datetime.timedelta(days=-self.rng.randint(30, 365))

    def replace(self, label: str, value: str) -> str:
        if label == "NAME":
            return self._name(value)
        if label == "AGE":
            return "90+"
        if label == "DATE":
            shifted = self._date(value)
            if shifted is not None:
                return shifted
        normalised = (label, re.sub(r"[\s\-.()]", "", value).casefold())
        if normalised not in self.values:
            self.values[normalised] = self._new(label, value)
        return self.values[normalised]

    def _new(self, label: str, value: str) -> str:
        self.counts[label] = number = self.counts.get(label, 0) + 1
        if label == "EMAIL":
            return f"person{number}@example.org"
        if label == "URL":
            return f"https://example.org/page-{number}"
        if label == "IP":
            return f"2001:db8::{number:x}" if ":" in value else f"192.0.2.{number % 254 + 1}"
        if label in ("LOCATION", "DATE"):
            return f"[{label}-{number}]"
        return self._same_layout(value)

    def _same_layout(self, value: str) -> str:
        """Every digit and letter replaced by a random one of its kind; the rest kept."""
        out = []
        for character in value:
            if character.isdigit():
                out.append(self.rng.choice(string.digits))
            elif character.isalpha():
                letters = string.ascii_uppercase if character.isupper() else string.ascii_lowercase
                out.append(self.rng.choice(letters))
            else:
                out.append(character)
        return "".join(out)

    def _name(self, value: str) -> str:
        """Word by word, so a surname keeps its stand-in wherever it appears alone."""
        words = value.split()
        out = []
        for position, word in enumerate(words):
            bare = word.strip(".,").casefold()
            if bare in _TITLES:
                out.append(word)
                continue
            if bare not in self.names:
                titled = position > 0 and words[position - 1].strip(".").casefold() in _TITLES
                surname = titled or (position == len(words) - 1 and len(words) > 1)
                pool = SURROGATE_SURNAMES if surname else SURROGATE_FIRST_NAMES
                unused = [name for name in pool if name not in self.names.values()] or pool
                self.names[bare] = self.rng.choice(unused)
            stand_in = self.names[bare]
            out.append(stand_in.upper() if word.isupper() and len(word) > 1 else stand_in)
        return " ".join(out)

    def _date(self, value: str) -> str | None:
        """The date moved by the document's offset, written in ISO form when it has a year
        and as "14 March" when it has none; None when it cannot be read."""
        parsed = numeric_date(value)
        if parsed is not None:
            moved = datetime.date(*parsed) + self.date_shift
            return moved.isoformat()
        named = NAMED_DATE.fullmatch(value.strip())
        if named is None:
            return None
        day = int(named.group(1) or named.group(5))
        month_text = (named.group(2) or named.group(4)).lower()
        month = next(number for number, name in enumerate(_MONTH_NAMES, start=1)
                     if name.lower().startswith(month_text[:3]))
        year = named.group(3) or named.group(6)
        try:
            moved = datetime.date(int(year) if year else 2001, month, day) + self.date_shift
        except ValueError:
            return None
        return moved.isoformat() if year else f"{moved.day} {_MONTH_NAMES[moved.month - 1]}"


"""The one masking rule shared by every identifier type.

Each letter or digit becomes "*" except the last four (and, for IBANs, the two-letter
country code); spaces, dashes and other separators stay where they were. The masked text
therefore has the original's length and grouping, so masking a statement line keeps its
columns aligned and the masked form still reads as "a card" or "an IBAN".
"""

MASK_CHARACTER = "*"
KEPT_AT_END = 4


def mask_keeping(text: str, *, head: int = 0, tail: int = KEPT_AT_END) -> str:
    """Mask every alphanumeric character of `text` except the first `head` and last `tail`."""
    alphanumeric_total = sum(char.isalnum() for char in text)
    masked, seen = [], 0
    for char in text:
        if char.isalnum():
            keep = seen < head or seen >= alphanumeric_total - tail
            masked.append(char if keep else MASK_CHARACTER)
            seen += 1
        else:
            masked.append(char)
    return "".join(masked)

"""The noise of real statement text, by kind of text.

Statement lines and headers get column padding, capitals and dropped separators; payment
references a little of both; bank letters a sign-off and line breaks; customer emails
greetings, sign-offs, chat abbreviations ("pls", "acct"), typos, dropped apostrophes and
lower case. The span-keeping steps they share with other generators are
slm_platform.core.entity_noise's; column widths, separators, greetings and abbreviations are
this generator's own.
"""

import functools
import random
import re

from slm_platform.core import entity_noise as shared
from slm_platform.core.entity_noise import Fill, Segments, joined
from slm_platform.core.entity_starter_kit import Segment

# How often each kind of noise is drawn for each kind of text, in the order applied.
NOISE_RATES: dict[str, tuple[tuple[str, float], ...]] = {
    "transaction": (("column_spacing", 0.3), ("no_separators", 0.15), ("uppercase", 0.15),
                    ("lowercase", 0.05)),
    "header": (("column_spacing", 0.3), ("no_separators", 0.15), ("uppercase", 0.1),
               ("lowercase", 0.03)),
    "reference": (("column_spacing", 0.15), ("typos", 0.05), ("no_final_punctuation", 0.3),
                  ("lowercase", 0.05)),
    "notice": (("signoff", 0.25), ("line_breaks", 0.2), ("no_final_punctuation", 0.1),
               ("extra_spaces", 0.05), ("uppercase", 0.03)),
    "email": (("greeting", 0.35), ("signoff", 0.35), ("abbreviations", 0.25), ("typos", 0.15),
              ("no_apostrophes", 0.2), ("no_final_punctuation", 0.2), ("line_breaks", 0.1),
              ("extra_spaces", 0.06), ("lowercase", 0.15)),
}

GREETINGS = ("Hi", "Hello", "Hi there", "Good morning", "Dear Sir/Madam", "To whom it may concern",
             "Hello team", "Morning")
_GREETING_WORDS = frozenset({"hi", "hello", "dear", "good", "morning", "to"})
# Filled like templates. An email's writer is "{person9}", someone other than the people it
# writes about; a letter is signed by the bank it names ("{bank}"), or another if none.
SIGNOFFS: dict[str, tuple[str, ...]] = {
    "email": ("Thanks", "Thank you", "Cheers", "Sent from my phone", "Thanks, {person9:first}",
              "Regards,\n{person9}", "Kind regards\n{person9}", "- {person9:first}",
              "Many thanks, {person9}"),
    "notice": ("Yours sincerely,\nCustomer Services", "Kind regards,\nYour card services team",
               "Yours sincerely,\nCustomer Services\n{bank}", "Kind regards,\nThe {bank} team"),
}

ABBREVIATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"\bplease\b", ("pls", "plz")),
    (r"\baccount\b", ("acct", "a/c", "acc")),
    (r"\bpayment\b", ("pmt", "paymt")),
    (r"\breference\b", ("ref",)),
    (r"\btransaction\b", ("txn", "transaction")),
    (r"\bstatements?\b", ("stmt",)),
    (r"\bthanks\b", ("thx", "ty")),
    (r"\bbecause\b", ("bc", "cos")),
    (r"\byou\b", ("u",)),
    (r"\bI'm\b", ("im", "Im")),
)

# Fixed-width statement columns.
_COLUMN_WIDTHS = ("  ", "   ", "    ", "\t")
# This generator's own neighbours (its data was drawn with them).
_KEYBOARD_NEIGHBOURS = {
    "a": "qsz", "s": "adw", "d": "sfe", "e": "wrd", "r": "eft", "t": "ryg", "o": "ipl",
    "i": "uok", "n": "bm", "m": "n", "l": "kp", "h": "gjn", "u": "yij", "c": "xv", "y": "tu",
}

# Text already in capitals is not then lower-cased.
_CASE_ONCE = {"lowercase": "uppercase"}


def add_noise(rng: random.Random, segments: Segments, *, text_kind: str, fill: Fill,
              entities_allowed: bool) -> tuple[Segments, tuple[str, ...]]:
    """Return the noisy segments and the kinds of noise that changed them, in order applied.
    ``fill`` turns a sign-off template into segments; a text meant to have no entity only gets
    sign-offs that name nobody."""
    steps: dict[str, shared.Step] = {
        "column_spacing": lambda value: shared.widen_gaps(rng, value, widths=_COLUMN_WIDTHS,
                                                          gap=" "),
        "no_separators": lambda value: shared.plain_only(
            value, lambda text: re.sub(r"[:,|]", "", text)),
        "uppercase": lambda value: shared.recase(value, str.upper),
        "lowercase": lambda value: shared.recase(value, str.lower),
        "typos": lambda value: shared.plain_typos(rng, value, neighbours=_KEYBOARD_NEIGHBOURS),
        "no_final_punctuation": shared.drop_final_punctuation,
        "signoff": lambda value: shared.sign_off(rng, value, signoffs=SIGNOFFS[text_kind],
                                                 fill=fill, entities_allowed=entities_allowed),
        "line_breaks": lambda value: shared.plain_only(
            value, lambda text: text.replace(". ", ".\n")),
        "extra_spaces": lambda value: shared.widen_gaps(rng, value, widths=("  ", " \n "),
                                                        gap=" "),
        "greeting": lambda value: _greet(rng, value),
        "abbreviations": lambda value: _abbreviate(rng, value),
        "no_apostrophes": lambda value: shared.plain_only(
            value, lambda text: text.replace("'", "")),
    }
    return shared.apply_noise(rng, segments, rates=NOISE_RATES[text_kind], steps=steps,
                              never_after=_CASE_ONCE)


def _greet(rng: random.Random, segments: Segments) -> Segments:
    """Put a greeting in front, unless the text already opens with one."""
    first = segments[0]
    first_word = re.sub(r"\W", "", joined(segments).split()[0]).lower()
    if first_word in _GREETING_WORDS or first.kind is not None:
        return segments
    separator = rng.choice((",\n", ", ", "\n\n", " - "))
    if separator == ", " and not re.match(r"I\b|[A-Z]{2}", first.text):
        first = Segment(first.text[0].lower() + first.text[1:])
    return [Segment(rng.choice(GREETINGS) + separator), first, *segments[1:]]


def _abbreviate(rng: random.Random, segments: Segments) -> Segments:
    for pattern, forms in ABBREVIATIONS:
        if rng.random() < 0.6:
            shorten = functools.partial(re.sub, pattern, lambda _, forms=forms: rng.choice(forms),
                                        flags=re.IGNORECASE)
            segments = shared.plain_only(segments, shorten)
    return segments

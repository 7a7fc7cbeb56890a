"""The noise of real statement text, by kind of text.

Statement lines and headers get column padding, capitals and dropped separators; payment
references a little of both; bank letters a sign-off and line breaks; customer emails
greetings, sign-offs, chat abbreviations ("pls", "acct"), typos, dropped apostrophes and
lower case. Noise works on segments (ner_slots.Segment): spelling noise touches only plain
text, so entity and hard-negative values stay whole and their spans stay known; a change of
case applies to the whole text, and only where it keeps every segment's length.
"""

import functools
import random
import re
from collections.abc import Callable

from slm_platform.core.starter_kit import typo

from .ner_slots import Segment

Segments = list[Segment]
Fill = Callable[[str], Segments]

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

# This generator's own neighbours (its data was drawn with them).
_KEYBOARD_NEIGHBOURS = {
    "a": "qsz", "s": "adw", "d": "sfe", "e": "wrd", "r": "eft", "t": "ryg", "o": "ipl",
    "i": "uok", "n": "bm", "m": "n", "l": "kp", "h": "gjn", "u": "yij", "c": "xv", "y": "tu",
}


def add_noise(rng: random.Random, segments: Segments, *, text_kind: str, fill: Fill,
              entities_allowed: bool) -> tuple[Segments, tuple[str, ...]]:
    """Return the noisy segments and the kinds of noise that changed them, in order applied.
    ``fill`` turns a sign-off template into segments; a text meant to have no entity only gets
    sign-offs that name nobody."""
    steps: dict[str, Callable[[Segments], Segments]] = {
        "column_spacing": lambda value: _pad_columns(rng, value),
        "no_separators": lambda value: _plain_only(value, lambda text: re.sub(r"[:,|]", "", text)),
        "uppercase": lambda value: _recase(value, str.upper),
        "lowercase": lambda value: _recase(value, str.lower),
        "typos": lambda value: _typos(rng, value),
        "no_final_punctuation": _drop_final_punctuation,
        "signoff": lambda value: _sign_off(rng, value, text_kind, fill, entities_allowed),
        "line_breaks": lambda value: _plain_only(value, lambda text: text.replace(". ", ".\n")),
        "extra_spaces": lambda value: _pad_columns(rng, value, widths=("  ", " \n ")),
        "greeting": lambda value: _greet(rng, value),
        "abbreviations": lambda value: _abbreviate(rng, value),
        "no_apostrophes": lambda value: _plain_only(value, lambda text: text.replace("'", "")),
    }
    kinds = []
    for kind, probability in NOISE_RATES[text_kind]:
        if rng.random() >= probability or (kind == "lowercase" and "uppercase" in kinds):
            continue
        changed = steps[kind](segments)
        if changed != segments:
            segments = changed
            kinds.append(kind)
    return segments, tuple(kinds)


def joined(segments: Segments) -> str:
    return "".join(segment.text for segment in segments)


def _plain_only(segments: Segments, change: Callable[[str], str]) -> Segments:
    return [segment if segment.kind else Segment(change(segment.text)) for segment in segments]


def _recase(segments: Segments, change: Callable[[str], str]) -> Segments:
    """Change the case of the whole text, unless that would move a span ("ß" -> "SS")."""
    changed = [Segment(change(segment.text), segment.kind) for segment in segments]
    if any(len(new.text) != len(old.text) for new, old in zip(changed, segments, strict=True)):
        return segments
    return changed


def _pad_columns(rng: random.Random, segments: Segments,
                 widths: tuple[str, ...] = ("  ", "   ", "    ", "\t")) -> Segments:
    """Widen one to three gaps of plain text, as fixed-width statement columns do."""
    gaps = [(index, match.start()) for index, segment in enumerate(segments)
            if segment.kind is None for match in re.finditer(r" ", segment.text)]
    chosen = sorted(rng.sample(gaps, min(len(gaps), rng.randint(1, 3))), reverse=True)
    segments = list(segments)
    for index, start in chosen:
        text = segments[index].text
        segments[index] = Segment(text[:start] + rng.choice(widths) + text[start + 1:])
    return segments


def _drop_final_punctuation(segments: Segments) -> Segments:
    if segments[-1].kind is not None:
        return segments
    return [*segments[:-1], Segment(segments[-1].text.rstrip(".?!"))]


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


def _sign_off(rng: random.Random, segments: Segments, text_kind: str, fill: Fill,
              entities_allowed: bool) -> Segments:
    choices = [signoff for signoff in SIGNOFFS[text_kind] if entities_allowed or "{" not in signoff]
    ending = "" if joined(segments)[-1] in ".?!" else "."
    return [*segments, Segment(ending + rng.choice(("\n", "\n\n", " "))),
            *fill(rng.choice(choices))]


def _abbreviate(rng: random.Random, segments: Segments) -> Segments:
    for pattern, forms in ABBREVIATIONS:
        if rng.random() < 0.6:
            shorten = functools.partial(re.sub, pattern, lambda _, forms=forms: rng.choice(forms),
                                        flags=re.IGNORECASE)
            segments = _plain_only(segments, shorten)
    return segments


def _typos(rng: random.Random, segments: Segments) -> Segments:
    """One or two slips of the finger in plain words of five letters or more."""
    words = [segment.text.split(" ") if segment.kind is None else None for segment in segments]
    candidates = [(index, position) for index, parts in enumerate(words) if parts is not None
                  for position, word in enumerate(parts) if word.isalpha() and len(word) >= 5]
    for index, position in rng.sample(candidates, min(len(candidates), rng.choice((1, 1, 2)))):
        words[index][position] = typo(rng, words[index][position], _KEYBOARD_NEIGHBOURS)
    return [segment if parts is None else Segment(" ".join(parts))
            for segment, parts in zip(segments, words, strict=True)]

"""The noise real patient messages carry: greetings and sign-offs, chat and clinic
abbreviations ("appt", "dr", "rx", "pls"), typos, dropped apostrophes and punctuation, odd
casing and stray whitespace.

Every intent gets the same noise at the same rates, so noise is never a clue to the label. The
noise works on a message's segments (slots.Segment): spelling noise (abbreviations, typos,
spaces, punctuation) touches only template text, so slot values stay whole and their spans
stay known; casing and dropped apostrophes apply to the whole message, as patients type.
"""

import functools
import random
import re
from collections.abc import Callable

from slm_platform.core.entity_noise import apply_noise, joined
from slm_platform.core.starter_kit import typo

from .slots import Segment

OPENINGS = ("Hi", "Hello", "Hey", "Hi there", "Good morning", "Good afternoon", "Dear Doctor",
            "Dear Sir/Madam", "Hello reception", "Hiya", "Morning", "To whom it may concern")
# Filled like a template, so a patient's name or date of birth in a sign-off is a slot too.
SIGNOFFS = ("Thanks", "Thank you", "Many thanks, {patient_name}", "Kind regards, {patient_name}",
            "- {patient_name}", "Regards, {patient_name} (DOB {dob})", "Sent from my iPhone",
            "Yours sincerely, {patient_name}", "Thanks, {patient_name}", "Thank you so much")
_GREETING_WORDS = frozenset({"hi", "hello", "hey", "good", "dear", "hiya", "morning", "to"})

# Longer phrases come first so "are you" is shortened before "you" is.
ABBREVIATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"\bas soon as possible\b", ("asap", "ASAP")),
    (r"\bappointments\b", ("appts", "apts")),
    (r"\bappointment\b", ("appt", "apt", "appt.")),
    (r"\bprescriptions\b", ("scripts", "rxs")),
    (r"\bprescription\b", ("rx", "script", "presc")),
    (r"\bmedication\b", ("meds", "med")),
    (r"\bdoctor\b", ("dr", "doc", "Dr")),
    (r"\bblood pressure\b", ("BP", "bp")),
    (r"\bthank you\b", ("ty", "thx")),
    (r"\bthanks\b", ("thx", "ty", "thnx")),
    (r"\bplease\b", ("pls", "plz")),
    (r"\bare you\b", ("r u",)),
    (r"\byou're\b", ("ur", "youre")),
    (r"\byour\b", ("ur",)),
    (r"\byou\b", ("u",)),
    (r"\bbecause\b", ("bc", "cuz", "coz")),
    (r"\btomorrow\b", ("tmrw", "tmr", "2moro")),
    (r"\bbefore\b", ("b4",)),
    (r"\bwith\b", ("w/", "w")),
    (r"\binformation\b", ("info",)),
    (r"\bregarding\b", ("re",)),
    (r"\bmessage\b", ("msg",)),
    (r"\bhours\b", ("hrs",)),
    (r"\bminutes\b", ("mins",)),
    (r"\bI'm\b", ("im", "Im")),
    (r"\bsomeone\b", ("some1",)),
)
ABBREVIATED_FORMS = frozenset(form.lower() for _, forms in ABBREVIATIONS for form in forms)

# How often each kind of noise is drawn, the same for every message whatever its intent.
NOISE_RATES: tuple[tuple[str, float], ...] = (
    ("greeting", 0.25), ("signoff", 0.2), ("abbreviations", 0.3), ("no_apostrophes", 0.25),
    ("typos", 0.2), ("no_final_punctuation", 0.25), ("repeated_punctuation", 0.08),
    ("lowercase", 0.22), ("uppercase", 0.04), ("extra_spaces", 0.06),
)


Segments = list[Segment]
Fill = Callable[[str], Segments]


def add_noise(rng: random.Random, segments: Segments,
              fill: Fill) -> tuple[Segments, tuple[str, ...]]:
    """Return the noisy segments and the kinds of noise that changed them, in order applied.

    ``fill`` turns a sign-off template ("Thanks, {patient_name}") into segments.
    """
    steps: dict[str, Callable[[Segments], Segments]] = {
        "greeting": lambda value: _greet(rng, value),
        "signoff": lambda value: _sign_off(rng, value, fill),
        "abbreviations": lambda value: _abbreviate(rng, value),
        "no_apostrophes": lambda value: _everywhere(value, lambda text: text.replace("'", "")),
        "typos": lambda value: _typos(rng, value),
        "no_final_punctuation": lambda value: _drop_punctuation(rng, value),
        "repeated_punctuation": _repeat_punctuation,
        "lowercase": lambda value: _everywhere(value, str.lower),
        "uppercase": lambda value: _everywhere(value, str.upper),
        "extra_spaces": lambda value: _stray_whitespace(rng, value),
    }
    # A message already in lower case is not then shouted.
    return apply_noise(rng, segments, rates=NOISE_RATES, steps=steps,
                       never_after={"uppercase": "lowercase"})


def _everywhere(segments: Segments, change: Callable[[str], str]) -> Segments:
    return [Segment(change(segment.text), segment.kind) for segment in segments]


def _in_template_text(segments: Segments, change: Callable[[str], str]) -> Segments:
    return [segment if segment.kind else Segment(change(segment.text)) for segment in segments]


def _greet(rng: random.Random, segments: Segments) -> Segments:
    """Put an opening in front, unless the message is a word or two or already greets."""
    text = joined(segments)
    first_word = re.sub(r"\W", "", text.split()[0]).lower()
    if len(text.split()) < 3 or first_word in _GREETING_WORDS:
        return segments
    separator = rng.choice((", ", " ", "! ", "\n", ". "))
    first = segments[0]
    if first.kind is None:
        keep_case = re.match(r"I\b|[A-Z]{2}", first.text)
        if separator in (", ", " ") and not keep_case:
            first = Segment(first.text[0].lower() + first.text[1:])
        elif separator not in (", ", " "):
            first = Segment(first.text[0].upper() + first.text[1:])
    return [Segment(rng.choice(OPENINGS) + separator), first, *segments[1:]]


def _sign_off(rng: random.Random, segments: Segments, fill: Fill) -> Segments:
    text = joined(segments)
    if len(text.split()) < 3:
        return segments
    ending = "" if text[-1] in ".?!" else "."
    gap = rng.choice((" ", "\n", "\n\n"))
    return [*segments, Segment(ending + gap), *fill(rng.choice(SIGNOFFS))]


def _abbreviate(rng: random.Random, segments: Segments) -> Segments:
    for pattern, forms in ABBREVIATIONS:
        if rng.random() < 0.75:
            shorten = functools.partial(re.sub, pattern, lambda _, forms=forms: rng.choice(forms),
                                        flags=re.IGNORECASE)
            segments = _in_template_text(segments, shorten)
    return segments


def _typos(rng: random.Random, segments: Segments) -> Segments:
    """One or two slips of the finger in template words of four letters or more."""
    words = [segment.text.split(" ") if segment.kind is None else None for segment in segments]
    candidates = [(index, position) for index, parts in enumerate(words) if parts is not None
                  for position, word in enumerate(parts) if word.isalpha() and len(word) >= 4]
    for index, position in rng.sample(candidates, min(len(candidates), rng.choice((1, 1, 2)))):
        words[index][position] = typo(rng, words[index][position])
    return [segment if parts is None else Segment(" ".join(parts))
            for segment, parts in zip(segments, words, strict=True)]


def _drop_punctuation(rng: random.Random, segments: Segments) -> Segments:
    if segments[-1].kind is None:
        segments = [*segments[:-1], Segment(segments[-1].text.rstrip(".?!"))]
    if rng.random() < 0.5:
        segments = _in_template_text(segments, lambda text: text.replace(",", ""))
    return segments


def _repeat_punctuation(segments: Segments) -> Segments:
    text = joined(segments)
    if text.endswith("?"):
        return [*segments, Segment("??")]
    return [*segments, Segment("!!")] if text.endswith("!") else segments


def _stray_whitespace(rng: random.Random, segments: Segments) -> Segments:
    """Widen one gap between two words of template text."""
    gaps = [(index, match.start()) for index, segment in enumerate(segments)
            if segment.kind is None for match in re.finditer(r"(?<=\S) (?=\S)", segment.text)]
    if not gaps:
        return [*segments, Segment("  ")]
    index, start = rng.choice(gaps)
    text = segments[index].text
    widened = text[:start] + rng.choice(("  ", "   ", " \n ")) + text[start + 1:]
    return [*segments[:index], Segment(widened), *segments[index + 1:]]

"""The noise real support messages carry: greetings and sign-offs, chat abbreviations, typos,
dropped apostrophes and punctuation, odd casing and stray whitespace.

Every intent gets the same noise at the same rates, so noise is never a clue to the label.
"""

import random
import re
from collections.abc import Callable

from slm_platform.core.starter_kit import abbreviate, typos

OPENINGS = ("Hi", "Hello", "Hey", "Hi there", "Good morning", "Good afternoon", "Hello team",
            "Hiya", "Dear customer service", "Evening")
SIGNOFFS = ("Thanks", "Thank you", "Thanks in advance", "Cheers", "Regards, {name}",
            "Many thanks, {name}", "Kind regards, {name}", "- {name}",
            "Please get back to me as soon as possible.", "Thank you, {name}")
_GREETING_WORDS = frozenset({"hi", "hello", "hey", "good", "dear", "hiya", "evening"})

# How often each abbreviation of the table is used once the noise kind is chosen.
ABBREVIATION_RATE = 0.75
# Longer phrases come first so "are you" is shortened before "you" is.
ABBREVIATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"\bas soon as possible\b", ("asap", "ASAP")),
    (r"\bthank you\b", ("ty", "thx")),
    (r"\bthanks\b", ("thx", "ty", "thnx")),
    (r"\bplease\b", ("pls", "plz")),
    (r"\bare you\b", ("r u",)),
    (r"\byou're\b", ("ur", "youre")),
    (r"\byour\b", ("ur",)),
    (r"\byou\b", ("u",)),
    (r"\bbecause\b", ("bc", "cuz")),
    (r"\btomorrow\b", ("tmrw", "tmr")),
    (r"\bbefore\b", ("b4",)),
    (r"\bwith\b", ("w/",)),
    (r"\bwant to\b", ("wanna",)),
    (r"\bgoing to\b", ("gonna",)),
    (r"\border number\b", ("order no.", "order #", "order num")),
    (r"\bI'm\b", ("im", "Im")),
    (r"\bminutes\b", ("mins",)),
    (r"\bsomeone\b", ("some1",)),
    (r"\bpeople\b", ("ppl",)),
)
ABBREVIATED_FORMS = frozenset(form.lower() for _, forms in ABBREVIATIONS for form in forms)


NameSource = Callable[[], str]


def add_noise(rng: random.Random, text: str, name: NameSource) -> tuple[str, tuple[str, ...]]:
    """Return the noisy text and the kinds of noise that changed it, in the order applied."""
    steps = (
        ("greeting", 0.25, lambda value: _greet(rng, value)),
        ("signoff", 0.2, lambda value: _sign_off(rng, value, name)),
        ("abbreviations", 0.3,
         lambda value: abbreviate(rng, value, ABBREVIATIONS, ABBREVIATION_RATE)),
        ("no_apostrophes", 0.25, lambda value: value.replace("'", "")),
        ("typos", 0.2, lambda value: typos(rng, value)),
        ("no_final_punctuation", 0.25, lambda value: _drop_punctuation(rng, value)),
        ("repeated_punctuation", 0.08, _repeat_punctuation),
        ("lowercase", 0.22, str.lower),
        ("uppercase", 0.04, str.upper),
        ("extra_spaces", 0.06, lambda value: _stray_whitespace(rng, value)),
    )
    kinds = []
    for kind, probability, step in steps:
        if rng.random() >= probability:
            continue
        if kind == "uppercase" and "lowercase" in kinds:
            continue
        changed = step(text)
        if changed != text:
            text = changed
            kinds.append(kind)
    return text, tuple(kinds)


def _word_count(text: str) -> int:
    return len(text.split())


def _greet(rng: random.Random, text: str) -> str:
    """Put an opening in front, unless the message is a word or two or already greets."""
    first_word = re.sub(r"\W", "", text.split()[0]).lower()
    if _word_count(text) < 3 or first_word in _GREETING_WORDS:
        return text
    separator = rng.choice((", ", " ", "! ", "\n", ". "))
    if separator in (", ", " "):
        body = text if re.match(r"I\b|[A-Z]{2}", text) else text[0].lower() + text[1:]
    else:
        body = text[0].upper() + text[1:]
    return f"{rng.choice(OPENINGS)}{separator}{body}"


def _sign_off(rng: random.Random, text: str, name: NameSource) -> str:
    if _word_count(text) < 3:
        return text
    signoff = rng.choice(SIGNOFFS)
    if "{name}" in signoff:
        signoff = signoff.format(name=name())
    ending = "" if text[-1] in ".?!" else "."
    gap = rng.choice((" ", "\n", "\n\n"))
    return f"{text}{ending}{gap}{signoff}"


def _drop_punctuation(rng: random.Random, text: str) -> str:
    text = text.rstrip(".?!")
    return text.replace(",", "") if rng.random() < 0.5 else text


def _repeat_punctuation(text: str) -> str:
    if text.endswith("?"):
        return text + "??"
    return text + "!!" if text.endswith("!") else text


def _stray_whitespace(rng: random.Random, text: str) -> str:
    words = text.split(" ")
    if len(words) < 2:
        return text + "  "
    index = rng.randrange(1, len(words))
    return " ".join(words[:index]) + rng.choice(("  ", "   ", " \n")) + " ".join(words[index:])

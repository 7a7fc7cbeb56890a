"""The noise real product reviews carry: typos, chat abbreviations, lower case, dropped
apostrophes and punctuation, extra exclamation marks ("!!!"), shouting and stray whitespace.

Every review gets the same noise at the same rates whatever its labels, so noise is never a
clue to the sentiment: an angry review is no likelier to shout than a happy one.
"""

import random
import re

from slm_platform.core.starter_kit import abbreviate, typos

# How often each abbreviation of the table is used once the noise kind is chosen.
ABBREVIATION_RATE = 0.7
# Longer phrases come first so "thank you" is shortened before "you" is.
ABBREVIATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"\bto be honest\b", ("tbh",)),
    (r"\bcustomer service\b", ("customer svc", "cust service", "CS")),
    (r"\bthank you\b", ("ty", "thx")),
    (r"\bdefinitely\b", ("def", "defo", "deffo")),
    (r"\brecommend\b", ("reccomend", "recomend", "rec")),
    (r"\bbecause\b", ("bc", "cos", "cuz")),
    (r"\breally\b", ("rly", "rlly", "realy")),
    (r"\bvery\b", ("v",)),
    (r"\bthough\b", ("tho",)),
    (r"\bokay\b", ("ok", "k")),
    (r"\bgreat\b", ("gr8",)),
    (r"\bwith\b", ("w/",)),
    (r"\band\b", ("&",)),
    (r"\byou\b", ("u",)),
    (r"\bI'm\b", ("im", "Im")),
    (r"\bminutes\b", ("mins",)),
    (r"\bweeks\b", ("wks",)),
    (r"\bpeople\b", ("ppl",)),
    (r"\bbefore\b", ("b4",)),
)
ABBREVIATED_FORMS = frozenset(form.lower() for _, forms in ABBREVIATIONS for form in forms)

_SENTENCE_END = re.compile(r"\.(?=\s|$)")


def add_noise(rng: random.Random, text: str) -> tuple[str, tuple[str, ...]]:
    """Return the noisy text and the kinds of noise that changed it, in the order applied."""
    steps = (
        ("abbreviations", 0.25,
         lambda value: abbreviate(rng, value, ABBREVIATIONS, ABBREVIATION_RATE)),
        ("no_apostrophes", 0.2, lambda value: value.replace("'", "")),
        ("typos", 0.2, lambda value: typos(rng, value)),
        ("exclamations", 0.15, lambda value: _exclaim(rng, value)),
        ("no_final_punctuation", 0.2, lambda value: _drop_punctuation(rng, value)),
        ("repeated_exclamations", 0.07, _shout_ending),
        ("lowercase", 0.2, str.lower),
        ("uppercase", 0.03, str.upper),
        ("extra_spaces", 0.05, lambda value: _stray_whitespace(rng, value)),
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


def _exclaim(rng: random.Random, text: str) -> str:
    """Turn some full stops that end a sentence into exclamation marks."""
    return _SENTENCE_END.sub(lambda _: "!" if rng.random() < 0.6 else ".", text)


def _drop_punctuation(rng: random.Random, text: str) -> str:
    """Drop the final full stop; half the time write the whole review as one run-on line."""
    text = text.rstrip(".!?")
    if rng.random() < 0.5:
        text = _SENTENCE_END.sub("", text).replace(",", "")
    return text


def _shout_ending(text: str) -> str:
    return text.rstrip(".!") + "!!!" if not text.endswith("?") else text + "??"


def _stray_whitespace(rng: random.Random, text: str) -> str:
    words = text.split(" ")
    if len(words) < 2:
        return text + "  "
    index = rng.randrange(1, len(words))
    return " ".join(words[:index]) + rng.choice(("  ", "   ", " \n")) + " ".join(words[index:])

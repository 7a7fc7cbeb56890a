"""The noise of machine-made call transcripts, for spoken Q&A lines only.

Answers and questions get openings ("Yeah, so"), fillers ("uh", "you know"), a stuttered word,
dropped commas or final punctuation and ASR-style lowercase. Every label has spoken templates
and gets the same noise at the same rates, so noise is never a clue to the sentiment.
"""

import random
import re

FILLERS = ("uh", "um", "you know", "I mean")
OPENINGS = {
    "answer": ("Yeah, so", "Sure, so", "Okay, so", "Yes, and", "Look,"),
    "question": ("Hi,", "Hey guys,", "Thanks,", "Yeah, hi,", "Morning,"),
}
# First words that read naturally after an opening; a company or segment name is left alone.
_OPENABLE = frozenset({
    "we", "we're", "we've", "we'll", "our", "the", "it", "it's", "that", "there", "demand",
    "pricing", "honestly", "frankly", "with", "given", "can", "could", "how", "does", "what",
    "on", "in", "even", "seasonally", "historically", "just", "quick", "one", "revenue", "you",
    "let", "congrats", "growth", "i", "i'd", "i'll", "i'm",
})
_KEEPS_CAPITAL = frozenset({"i", "i'd", "i'll", "i'm"})


def add_noise(rng: random.Random, text: str, register: str) -> tuple[str, tuple[str, ...]]:
    """Return the noisy text and the kinds of noise that changed it, in the order applied."""
    steps = (
        ("opening", 0.25, lambda value: _open(rng, value, register)),
        ("fillers", 0.35, lambda value: _add_fillers(rng, value)),
        ("repeated_word", 0.1, lambda value: _repeat_word(rng, value)),
        ("no_commas", 0.2, lambda value: value.replace(",", "")),
        ("no_final_punctuation", 0.3, lambda value: value.rstrip(".?!")),
        ("lowercase", 0.3, str.lower),
    )
    kinds = []
    for kind, probability, step in steps:
        if rng.random() >= probability:
            continue
        changed = step(text)
        if changed != text:
            text = changed
            kinds.append(kind)
    return text, tuple(kinds)


def _open(rng: random.Random, text: str, register: str) -> str:
    first_word = text.split()[0].rstrip(",").lower()
    if first_word not in _OPENABLE:
        return text
    body = text if first_word in _KEEPS_CAPITAL else text[0].lower() + text[1:]
    return f"{rng.choice(OPENINGS[register])} {body}"


def _add_fillers(rng: random.Random, text: str) -> str:
    """One or two fillers between words, bare ("we saw uh better") or set off by commas."""
    words = text.split(" ")
    for _ in range(rng.choice((1, 1, 2))):
        index = rng.randrange(1, len(words))
        filler = rng.choice(FILLERS)
        if rng.random() < 0.5 and not words[index - 1].endswith(","):
            words[index - 1] += ","
            filler += ","
        words.insert(index, filler)
    return " ".join(words)


def _repeat_word(rng: random.Random, text: str) -> str:
    """Say a short word twice, as speakers restart ("we we saw")."""
    words = text.split(" ")
    candidates = [index for index, word in enumerate(words)
                  if re.fullmatch(r"[A-Za-z']{1,4}", word)]
    if not candidates:
        return text
    index = rng.choice(candidates)
    words.insert(index, words[index])
    return " ".join(words)

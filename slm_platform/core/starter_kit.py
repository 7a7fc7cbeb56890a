"""What the industry apps' starter-data generators share: balanced, unique, seeded draws and the
split that keeps test honest (held-out templates, half of them with held-out slot values).

A generator supplies its own templates, slots and noise, and one function that draws a record
(anything with a `.text`) for a label from a template scope ("all", "seen" or "held_out") and a
slot-value scope. Plain Python, no Django.
"""

import random
import re
from collections.abc import Callable, Sequence
from typing import Literal, Protocol

TemplateScope = Literal["all", "seen", "held_out"]
# How often to draw again when a text duplicates one already taken, before giving up on it.
ATTEMPTS_PER_ROW = 40


class Record(Protocol):
    text: str


def message_key(text: str) -> str:
    """What a text is to an uncased model after preprocessing: two texts with one key are the
    same example, so uniqueness and the train/test check compare keys."""
    return " ".join(text.split()).casefold()


def templates_in_scope(ids: Sequence[str], held_out: frozenset[str],
                       scope: TemplateScope) -> tuple[str, ...]:
    """The template ids of a scope: all of them, those not held out, or the held-out ones
    (in table order)."""
    if scope == "all":
        return tuple(ids)
    if scope == "seen":
        return tuple(template for template in ids if template not in held_out)
    if scope == "held_out":
        return tuple(template for template in ids if template in held_out)
    raise ValueError(f"unknown template scope {scope!r}; use 'all', 'seen' or 'held_out'")


def first_unique(make: Callable[[], Record], taken: set[str]) -> Record | None:
    """The first of up to ATTEMPTS_PER_ROW draws whose text is not taken yet, or None."""
    for _ in range(ATTEMPTS_PER_ROW):
        record = make()
        if message_key(record.text) not in taken:
            return record
    return None


def generate_balanced(n: int, *, seed: int, labels: Sequence[str],
                      draw: Callable[[random.Random, str, set[str]], Record | None],
                      exclude: frozenset[str] = frozenset()) -> list:
    """Up to `n` records balanced across `labels`, deterministic per seed, unique by
    message_key and never with a key in `exclude`. `draw(rng, label, taken)` gives a record
    whose key is not in `taken`, or None when it keeps repeating taken texts (a scope with
    little variety then yields fewer records)."""
    rng = random.Random(seed)
    schedule = [labels[index % len(labels)] for index in range(n)]
    rng.shuffle(schedule)
    taken = set(exclude)
    records = []
    for label in schedule:
        record = draw(rng, label, taken)
        if record is not None:
            taken.add(message_key(record.text))
            records.append(record)
    return records


def held_out_split(generate: Callable[..., list], *, seed: int, train_size: int,
                   test_size: int) -> dict[str, list]:
    """Train from seen templates and seen slot values; test only from held-out templates, half
    with seen slot values ("test_seen_slot_values": new wording, familiar names), half with
    held-out ones ("test_unseen_slot_values": both new). `generate(n, *, seed, templates,
    values, exclude)` is the generator's own; no test text repeats a train text."""
    train = generate(train_size, seed=seed, templates="seen", values="seen")
    taken = frozenset(message_key(record.text) for record in train)
    seen_half = test_size // 2
    # Offset seeds give the test halves draws independent of the train stream.
    seen_values = generate(seen_half, seed=seed + 1, templates="held_out", values="seen",
                           exclude=taken)
    taken |= {message_key(record.text) for record in seen_values}
    unseen_values = generate(test_size - seen_half, seed=seed + 2, templates="held_out",
                             values="held_out", exclude=taken)
    return {"train": train, "test_seen_slot_values": seen_values,
            "test_unseen_slot_values": unseen_values}


def example_splits(records: dict[str, list], *, seed: int,
                   example: Callable[[Record], tuple]) -> dict[str, list]:
    """held_out_split's records as training examples (`example(record)`), plus "test": both
    test halves together, shuffled by `seed`."""
    splits = {name: [example(record) for record in rows] for name, rows in records.items()}
    test = splits["test_seen_slot_values"] + splits["test_unseen_slot_values"]
    random.Random(seed).shuffle(test)
    return {"test": test, **splits}


# Keys next to a letter on a QWERTY keyboard, for typos (a few common letters are enough).
KEYBOARD_NEIGHBOURS = {
    "a": "qsz", "s": "adwx", "d": "sfe", "e": "wrd", "r": "eft", "t": "ryg", "o": "ipl",
    "i": "uok", "n": "bm", "m": "n", "l": "kp", "h": "gjn", "u": "yij", "c": "xv", "g": "fh",
}


def typo(rng: random.Random, word: str,
         neighbours_of: dict[str, str] = KEYBOARD_NEIGHBOURS) -> str:
    """One slip of the finger inside a word of three letters or more: two letters swapped, one
    dropped, one doubled, or one hit on a neighbouring key (`neighbours_of`)."""
    position = rng.randrange(1, len(word) - 1)
    slip = rng.randrange(4)
    if slip == 0:
        return word[:position] + word[position + 1] + word[position] + word[position + 2:]
    if slip == 1:
        return word[:position] + word[position + 1:]
    if slip == 2:
        return word[:position] + word[position] + word[position:]
    neighbours = neighbours_of.get(word[position].lower(), "e")
    return word[:position] + rng.choice(neighbours) + word[position + 1:]


def typos(rng: random.Random, text: str) -> str:
    """One or two typos (see `typo`) in the words of four letters or more of `text`."""
    words = text.split(" ")
    candidates = [index for index, word in enumerate(words) if word.isalpha() and len(word) >= 4]
    for index in rng.sample(candidates, min(len(candidates), rng.choice((1, 1, 2)))):
        words[index] = typo(rng, words[index])
    return " ".join(words)


def abbreviate(rng: random.Random, text: str, table, probability: float) -> str:
    """Each (pattern, short forms) of `table` applied with `probability`: "please" -> "pls"."""
    for pattern, forms in table:
        if rng.random() < probability:
            text = re.sub(pattern, lambda _, forms=forms: rng.choice(forms), text,
                          flags=re.IGNORECASE)
    return text

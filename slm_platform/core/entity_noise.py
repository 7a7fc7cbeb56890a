"""The noise steps the entity-span generators share: each works on a text's segments
(entity_starter_kit.Segment) and keeps every span exact. Spelling noise touches only plain
text, so entity and hard-negative values stay whole; a change of case applies to the whole
text, and only where it keeps every segment's length.

A generator keeps its own noise rates, greetings, sign-offs and abbreviations, and any step
that is its own; `apply_noise` runs the steps it names at its rates (for the intent
generators' segments too). Plain Python, no Django.
"""

import random
import re
from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

from slm_platform.core.entity_starter_kit import Segment
from slm_platform.core.starter_kit import KEYBOARD_NEIGHBOURS, Record, typo

Segments = list[Segment]
Fill = Callable[[str], Segments]
Step = Callable[[Segments], Segments]
S = TypeVar("S", bound=Record)  # a generator's segment type (apply_noise serves any)


def apply_noise(rng: random.Random, segments: list[S], *, rates: tuple[tuple[str, float], ...],
                steps: Mapping[str, Callable[[list[S]], list[S]]],
                never_after: Mapping[str, str]) -> tuple[list[S], tuple[str, ...]]:
    """Draw each (kind, probability) of `rates` in order and apply its step; return the noisy
    segments and the kinds that changed them. A kind is skipped once its `never_after` kind
    has changed the text ({"lowercase": "uppercase"}: no lower case after upper case)."""
    kinds = []
    for kind, probability in rates:
        if rng.random() >= probability or never_after.get(kind) in kinds:
            continue
        changed = steps[kind](segments)
        if changed != segments:
            segments = changed
            kinds.append(kind)
    return segments, tuple(kinds)


def joined(segments: Iterable[Record]) -> str:
    return "".join(segment.text for segment in segments)


def plain_only(segments: Segments, change: Callable[[str], str]) -> Segments:
    """`change` applied to the plain segments only."""
    return [segment if segment.kind else Segment(change(segment.text)) for segment in segments]


def recase(segments: Segments, change: Callable[[str], str]) -> Segments:
    """Change the case of the whole text, unless that would move a span ("ß" -> "SS")."""
    changed = [Segment(change(segment.text), segment.kind) for segment in segments]
    if any(len(new.text) != len(old.text) for new, old in zip(changed, segments, strict=True)):
        return segments
    return changed


def widen_gaps(rng: random.Random, segments: Segments, *, widths: tuple[str, ...],
               gap: str) -> Segments:
    """Widen one to three spaces of plain text (those the pattern `gap` finds) to one of
    `widths`, as columns and careless typing do."""
    gaps = [(index, match.start()) for index, segment in enumerate(segments)
            if segment.kind is None for match in re.finditer(gap, segment.text)]
    chosen = sorted(rng.sample(gaps, min(len(gaps), rng.randint(1, 3))), reverse=True)
    segments = list(segments)
    for index, start in chosen:
        text = segments[index].text
        segments[index] = Segment(text[:start] + rng.choice(widths) + text[start + 1:])
    return segments


def drop_final_punctuation(segments: Segments) -> Segments:
    if segments[-1].kind is not None:
        return segments
    return [*segments[:-1], Segment(segments[-1].text.rstrip(".?!"))]


def sign_off(rng: random.Random, segments: Segments, *, signoffs: tuple[str, ...], fill: Fill,
             entities_allowed: bool) -> Segments:
    """Append one of `signoffs`, filled like a template; a text meant to have no entity only
    gets those that name nobody."""
    choices = [text for text in signoffs if entities_allowed or "{" not in text]
    ending = "" if joined(segments).rstrip()[-1] in ".?!" else "."
    return [*segments, Segment(ending + rng.choice(("\n", "\n\n", " "))),
            *fill(rng.choice(choices))]


def plain_typos(rng: random.Random, segments: Segments, *,
                neighbours: Mapping[str, str] = KEYBOARD_NEIGHBOURS) -> Segments:
    """One or two slips of the finger (starter_kit.typo, with keys `neighbours`) in plain
    words of five letters or more."""
    words = [segment.text.split(" ") if segment.kind is None else None for segment in segments]
    candidates = [(index, position) for index, parts in enumerate(words) if parts is not None
                  for position, word in enumerate(parts) if word.isalpha() and len(word) >= 5]
    for index, position in rng.sample(candidates, min(len(candidates), rng.choice((1, 1, 2)))):
        words[index][position] = typo(rng, words[index][position], neighbours)
    return [segment if parts is None else Segment(" ".join(parts))
            for segment, parts in zip(segments, words, strict=True)]

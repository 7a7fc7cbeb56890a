"""Seeded, stratified splits (pure Python: usable without torch)."""

import random
from collections.abc import Callable, Sequence
from typing import TypeVar

Target = TypeVar("Target")


def stratified_split(
    texts: Sequence[str], labels: Sequence[str], *, fraction: float, seed: int
) -> tuple[list[int], list[int]]:
    """Indices (keep, held) with about `fraction` of every label held out; seeded, so repeatable."""
    rng = random.Random(seed)
    by_label: dict[str, list[int]] = {}
    for index, label in enumerate(labels):
        by_label.setdefault(label, []).append(index)
    keep, held = [], []
    for indices in by_label.values():
        rng.shuffle(indices)
        count = int(round(len(indices) * fraction)) if len(indices) > 1 else 0
        held.extend(indices[:count])
        keep.extend(indices[count:])
    return sorted(keep), sorted(held)


def stratified_rows_split(
    texts: Sequence[str], targets: Sequence[Target], *, stratum: Callable[[Target], str],
    fraction: float, seed: int,
) -> tuple[tuple[list[str], list[Target]], tuple[list[str], list[Target]]]:
    """((texts, targets) kept, (texts, targets) held out) by stratified_split over each
    target's `stratum` (a label scheme's), rows in their original order: the validation rows a
    fine-tune carves from its training data when it is given none."""
    keep, held = stratified_split(texts, [stratum(target) for target in targets],
                                  fraction=fraction, seed=seed)
    return (([texts[i] for i in keep], [targets[i] for i in keep]),
            ([texts[i] for i in held], [targets[i] for i in held]))

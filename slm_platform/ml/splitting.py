"""Seeded, stratified splits (pure Python: usable without torch)."""

import random
from collections.abc import Sequence


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

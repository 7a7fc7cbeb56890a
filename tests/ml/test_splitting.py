"""The validation carve the fine-tune and the starter recipe share: the same rows as the
index-based carve each wrote before (stratified_split, then rows by index)."""

import random

import pytest

from slm_platform.ml.schemes import scheme_for
from slm_platform.ml.splitting import stratified_rows_split, stratified_split

LABELS = ["a", "b", "c", "d"]


def _carve_by_index(texts, targets, scheme, *, fraction, seed):
    keep, held = stratified_split(texts, [scheme.stratum(y) for y in targets],
                                  fraction=fraction, seed=seed)
    return (([texts[i] for i in keep], [targets[i] for i in keep]),
            ([texts[i] for i in held], [targets[i] for i in held]))


@pytest.mark.parametrize("multi_label", [False, True])
@pytest.mark.parametrize(("fraction", "seed"), [(0.1, 13), (0.25, 0), (0.5, 42)])
def test_the_rows_split_carves_the_rows_the_index_carve_did(multi_label, fraction, seed):
    rng = random.Random(seed)
    targets = [sorted(rng.sample(LABELS, rng.randint(0, 2))) if multi_label
               else rng.choice(LABELS) for _ in range(120)]
    texts = [f"row {i}" for i in range(len(targets))]
    scheme = scheme_for(LABELS, multi_label=multi_label, threshold=0.3)
    carved = stratified_rows_split(texts, targets, stratum=scheme.stratum, fraction=fraction,
                                   seed=seed)
    assert carved == _carve_by_index(texts, targets, scheme, fraction=fraction, seed=seed)
    (kept, _), (held, _) = carved
    assert held and sorted(kept + held, key=lambda text: int(text.split()[1])) == texts

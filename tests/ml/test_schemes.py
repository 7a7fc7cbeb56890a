"""The batched top-k predictions give exactly what the row-at-a-time code gives."""

import numpy as np
import pytest

from slm_platform.ml.calibration import softmax
from slm_platform.ml.schemes import SingleLabel

LABELS = [f"label-{i}" for i in range(40)]


@pytest.mark.parametrize("top_k", [1, 3, 5, 39])
def test_batched_predictions_match_one_row_at_a_time(top_k):
    rng = np.random.default_rng(0)
    probabilities = softmax(rng.normal(size=(300, len(LABELS))).astype(np.float32), 1.0)
    probabilities[7, :] = 1 / len(LABELS)  # every label tied
    probabilities[8, [3, 9]] = probabilities[8].max() + 0.01  # a tie for first place
    scheme = SingleLabel(LABELS)
    batched = scheme.predictions(probabilities, top_k)
    single = [scheme.prediction(row, top_k) for row in probabilities]
    assert [p.as_dict() for p in batched] == [p.as_dict() for p in single]
    assert [list(p.scores) for p in batched] == [list(p.scores) for p in single]
    assert all(len(p.scores) == top_k for p in batched)


def test_no_rows_gives_no_predictions():
    assert SingleLabel(LABELS).predictions(np.zeros((0, len(LABELS)), np.float32), 5) == []

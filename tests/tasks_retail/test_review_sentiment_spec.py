"""The review-sentiment task is registered in the catalog with starter data the multi-label
trainer can take."""

import json

from slm_platform.core.catalog import StarterData, TaskKind, catalog
from slm_platform.ml.schemes import MultiLabel
from tasks_retail.review_sentiment.labels import LABELS, OVERALL_LABELS
from tasks_retail.review_sentiment.starter_data import TEST_SLICES
from tasks_retail.specs import RETAIL_TASKS, REVIEW_SENTIMENT, SUPPORT_INTENT


def test_review_sentiment_is_registered_in_the_catalog():
    spec = catalog.get("retail.review-sentiment")
    assert spec is REVIEW_SENTIMENT
    assert RETAIL_TASKS == (SUPPORT_INTENT, REVIEW_SENTIMENT)  # the app's first task stays first
    assert spec.kind == TaskKind.MULTI_LABEL
    assert spec.industry == "retail"
    assert spec.labels == LABELS
    assert set(spec.label_descriptions) == set(LABELS)
    assert spec.document_unit == "paragraph"
    assert spec.max_input_chars == 2000
    assert spec.max_length_tokens == 128
    assert len(spec.examples) == 4
    assert all(len(example) <= spec.max_input_chars for example in spec.examples)


def test_preprocess_only_normalises_whitespace():
    assert REVIEW_SENTIMENT.preprocess("  Love it!!!\n\nArrived   LATE though\t") == (
        "Love it!!! Arrived LATE though")


def test_starter_data_fits_the_spec_and_the_multi_label_scheme():
    data = REVIEW_SENTIMENT.starter_data()
    assert isinstance(data, StarterData)
    assert set(data.test_slices) == set(TEST_SLICES)
    halves = data.test_slices["test_seen_slot_values"] + data.test_slices["test_unseen_slot_values"]
    assert len(halves) == len(data.test)
    scheme = MultiLabel(REVIEW_SENTIMENT.labels)
    for text, labels in data.train + data.test:
        assert REVIEW_SENTIMENT.preprocess(text)
        assert len(text) <= REVIEW_SENTIMENT.max_input_chars
        # What the trainer does with a target: a multi-hot row with one overall label set.
        hot = scheme.encode(labels)
        assert sum(hot) == len(labels)
        assert sum(hot[scheme.index[label]] for label in OVERALL_LABELS) == 1
        assert scheme.stratum(labels)
    # The starter fingerprint hashes the rows as JSON.
    assert json.loads(json.dumps(data.train[:5])) == [list(row) for row in data.train[:5]]

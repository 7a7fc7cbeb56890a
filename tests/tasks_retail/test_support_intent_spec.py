"""The support-intent task is registered in the catalog with its starter data."""

from slm_platform.core.catalog import StarterData, TaskKind, catalog
from tasks_retail.specs import RETAIL_TASKS, SUPPORT_INTENT
from tasks_retail.support_intent.labels import INTENTS


def test_support_intent_is_registered_in_the_catalog():
    spec = catalog.get("retail.support-intent")
    assert spec is SUPPORT_INTENT
    assert spec in RETAIL_TASKS
    assert spec.kind == TaskKind.CLASSIFICATION
    assert spec.industry == "retail"
    assert spec.labels == INTENTS
    assert set(spec.label_descriptions) == set(INTENTS)
    assert spec.document_unit == "line"
    assert spec.max_length_tokens == 96
    assert len(spec.examples) == 4


def test_preprocess_normalises_whitespace_and_keeps_case():
    assert SUPPORT_INTENT.preprocess("  Where's   my\norder??\t ") == "Where's my order??"
    assert SUPPORT_INTENT.preprocess("CANCEL IT NOW") == "CANCEL IT NOW"


def test_starter_data_has_train_test_and_slices_that_fit_the_spec():
    data = SUPPORT_INTENT.starter_data()
    assert isinstance(data, StarterData)
    assert set(data.test_slices) == {"test_seen_slot_values", "test_unseen_slot_values"}
    assert sum(len(rows) for rows in data.test_slices.values()) == len(data.test)
    for text, intent in data.train + data.test:
        assert intent in INTENTS
        assert SUPPORT_INTENT.preprocess(text)
        assert len(text) <= SUPPORT_INTENT.max_input_chars

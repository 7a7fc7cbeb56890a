"""The patient-intent task is registered in the catalog with its starter data."""

from slm_platform.core.catalog import StarterData, TaskKind, catalog
from tasks_health.patient_intent.labels import INTENTS
from tasks_health.specs import HEALTH_TASKS, PATIENT_INTENT


def test_patient_intent_is_registered_in_the_catalog():
    spec = catalog.get("health.patient-intent")
    assert spec is PATIENT_INTENT
    assert spec in HEALTH_TASKS
    assert spec in catalog.all()
    assert spec.kind == TaskKind.CLASSIFICATION
    assert spec.industry == "health"
    assert spec.labels == INTENTS
    assert set(spec.label_descriptions) == set(INTENTS)
    assert spec.document_unit == "line"
    assert spec.max_input_chars == 1000
    assert spec.max_length_tokens == 96
    assert len(spec.examples) == 4


def test_preprocess_only_normalises_whitespace():
    assert PATIENT_INTENT.preprocess("  need my   rx\nrenewed\t pls!! ") == (
        "need my rx renewed pls!!")
    assert PATIENT_INTENT.preprocess("CANT BREATHE, Dr Okafor") == "CANT BREATHE, Dr Okafor"


def test_starter_data_has_train_test_and_slices_that_fit_the_spec():
    data = PATIENT_INTENT.starter_data()
    assert isinstance(data, StarterData)
    assert set(data.test_slices) == {"test_seen_slot_values", "test_unseen_slot_values"}
    assert sum(len(rows) for rows in data.test_slices.values()) == len(data.test)
    for text, intent in data.train + data.test:
        assert intent in INTENTS
        assert PATIENT_INTENT.preprocess(text)
        assert len(text) <= PATIENT_INTENT.max_input_chars

"""The earnings-sentiment task is registered in the catalog with its starter data."""

from slm_platform.core.catalog import StarterData, TaskKind, catalog
from tasks_finance.earnings_sentiment.labels import SENTIMENTS
from tasks_finance.specs import EARNINGS_SENTIMENT, FINANCE_TASKS, TRANSACTION_CATEGORY


def test_earnings_sentiment_is_registered_in_the_catalog():
    spec = catalog.get("finance.earnings-sentiment")
    assert spec is EARNINGS_SENTIMENT
    assert FINANCE_TASKS[:2] == (TRANSACTION_CATEGORY, EARNINGS_SENTIMENT)
    assert spec.kind == TaskKind.CLASSIFICATION
    assert spec.industry == "finance"
    assert spec.labels == SENTIMENTS
    assert set(spec.label_descriptions) == set(SENTIMENTS)
    assert spec.document_unit == "sentence"
    assert (spec.max_input_chars, spec.max_length_tokens) == (1000, 96)
    assert len(spec.examples) == 4


def test_preprocess_only_normalises_whitespace_and_keeps_case():
    assert EARNINGS_SENTIMENT.preprocess("  EPS of $1.12\n vs.\t$0.98 ") == "EPS of $1.12 vs. $0.98"
    assert EARNINGS_SENTIMENT.preprocess("Q3 FY25 Revenue, uh, ROSE 4%.") == (
        "Q3 FY25 Revenue, uh, ROSE 4%.")


def test_starter_data_has_train_test_and_slices_that_fit_the_spec():
    data = EARNINGS_SENTIMENT.starter_data()
    assert isinstance(data, StarterData)
    assert set(data.test_slices) == {"test_plain", "test_hard", "test_seen_slot_values",
                                     "test_unseen_slot_values"}
    plain, hard = data.test_slices["test_plain"], data.test_slices["test_hard"]
    assert plain and hard and sorted(plain + hard) == sorted(data.test)
    for text, label in data.train + data.test:
        assert label in SENTIMENTS
        assert EARNINGS_SENTIMENT.preprocess(text) == text
        assert len(text) <= EARNINGS_SENTIMENT.max_input_chars

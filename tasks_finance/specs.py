"""The finance industry's tasks, as the core catalog sees them."""

from slm_platform.core.catalog import StarterData, TaskKind, TaskSpec
from tasks_finance.earnings_sentiment.labels import SENTIMENT_DESCRIPTIONS, SENTIMENTS
from tasks_finance.earnings_sentiment.normalise import normalise_sentence
from tasks_finance.earnings_sentiment.starter_data import (
    starter_splits as sentiment_starter_splits,
)
from tasks_finance.transaction_category.labels import CATEGORIES, CATEGORY_DESCRIPTIONS
from tasks_finance.transaction_category.normalise import normalise_description
from tasks_finance.transaction_category.starter_data import starter_splits


def _transaction_starter_data() -> StarterData:
    splits = starter_splits()
    slices = {name: splits[name] for name in ("test_seen_merchants", "test_unseen_merchants")}
    return StarterData(train=splits["train"], test=splits["test"], test_slices=slices)


TRANSACTION_CATEGORY = TaskSpec(
    slug="finance.transaction-category",
    kind=TaskKind.CLASSIFICATION,
    title="Transaction category",
    description="A card or bank transaction description → one of 15 spending categories.",
    labels=CATEGORIES,
    label_descriptions=CATEGORY_DESCRIPTIONS,
    max_input_chars=512,
    max_length_tokens=48,
    preprocess=normalise_description,
    starter_data=_transaction_starter_data,
    document_unit="line",  # a statement or export lists one transaction per line
    examples=(
        "AMZN Mktp US*2K4LL0YH2 Amzn.com/bill WA",
        "UBER *TRIP HELP.UBER.COM",
        "POS 4411 SHELL OIL 5744",
        "ACH DEPOSIT ACME CORP PAYROLL",
    ),
)

# Two cuts of the same test set: plain vs hard cases, and familiar vs unseen companies/metrics.
SENTIMENT_TEST_SLICES = ("test_plain", "test_hard", "test_seen_slot_values",
                         "test_unseen_slot_values")


def _earnings_sentiment_starter_data() -> StarterData:
    splits = sentiment_starter_splits()
    slices = {name: splits[name] for name in SENTIMENT_TEST_SLICES}
    return StarterData(train=splits["train"], test=splits["test"], test_slices=slices)


EARNINGS_SENTIMENT = TaskSpec(
    slug="finance.earnings-sentiment",
    kind=TaskKind.CLASSIFICATION,
    title="Earnings sentiment",
    description="A sentence from an earnings call, financial news or a filing → positive, "
    "negative or neutral for the company's investors.",
    labels=SENTIMENTS,
    label_descriptions=SENTIMENT_DESCRIPTIONS,
    max_input_chars=1000,
    max_length_tokens=96,  # one sentence, rarely more than 60 tokens
    preprocess=normalise_sentence,
    starter_data=_earnings_sentiment_starter_data,
    document_unit="sentence",  # a transcript, article or filing is split into sentences
    examples=(
        "Adjusted EPS came in at $1.12 versus consensus of $0.98.",
        "Despite FX headwinds, we delivered record revenue and expanded gross margin by 120 "
        "basis points.",
        "Growth in subscription revenue was not as strong as we had hoped, particularly in EMEA.",
        "This call is being recorded and will be available for replay on our investor relations "
        "website.",
    ),
)

FINANCE_TASKS = (TRANSACTION_CATEGORY, EARNINGS_SENTIMENT)

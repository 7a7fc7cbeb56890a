"""The finance industry's tasks, as the core catalog sees them."""

from slm_platform.core.catalog import StarterData, TaskKind, TaskSpec
from tasks_finance.earnings_sentiment.labels import SENTIMENT_DESCRIPTIONS, SENTIMENTS
from tasks_finance.earnings_sentiment.normalise import normalise_sentence
from tasks_finance.earnings_sentiment.starter_data import (
    starter_splits as sentiment_starter_splits,
)
from tasks_finance.statement_entities import starter_data as statement_data
from tasks_finance.statement_entities.served import statement_entities_served
from tasks_finance.transaction_category.labels import CATEGORIES, CATEGORY_DESCRIPTIONS
from tasks_finance.transaction_category.normalise import normalise_description
from tasks_finance.transaction_category.starter_data import starter_splits


def _transaction_starter_data() -> StarterData:
    splits = starter_splits()
    slices = {name: splits[name] for name in ("test_seen_merchants", "test_unseen_merchants")}
    return StarterData(train=splits["train"], test=splits["test"], test_slices=slices,
                       validation=splits["validation"])


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


def _statement_entities_starter_data() -> StarterData:
    splits = statement_data.starter_splits()
    slices = {name: splits[name] for name in ("test_seen_slot_values",
                                              "test_unseen_slot_values")}
    return StarterData(train=splits["train"], test=splits["test"], test_slices=slices)


STATEMENT_ENTITIES = TaskSpec(
    slug="finance.statement-entities",
    kind=TaskKind.ENTITIES,
    title="Statement entities",
    description="Text on and around bank statements (transaction lines, references, bank "
                "letters, customer emails) → organisations, people, amounts, dates, account "
                "numbers, IBANs and cards; identifiers are checked (IBAN mod-97, Luhn) and "
                "masked to their last four characters.",
    labels=("ORG", "PERSON", "MONEY", "DATE", "ACCOUNT", "IBAN", "CARD"),
    label_descriptions={
        "ORG": "Banks, merchants, employers and other organisations paid or paying",
        "PERSON": "People named as payer, payee or account holder",
        "MONEY": "Amounts, with their currency when written",
        "DATE": "Calendar dates in any written form",
        "ACCOUNT": "Account numbers (also a sort code with its account number)",
        "IBAN": "International bank account numbers that pass the IBAN check",
        "CARD": "Payment card numbers (Luhn-valid) or their printed last digits",
    },
    max_input_chars=2000,
    max_length_tokens=128,
    postprocess=statement_entities_served,
    starter_data=_statement_entities_starter_data,
    document_unit="line",  # statement text: one transaction or header line per line
    examples=(
        "CARD PAYMENT TO TESCO STORES 2841 ON 14 MAR 2025 £23.47",
        "Transfer of EUR 1,250.00 to Maria Keller, IBAN DE89 3704 0044 0532 0130 00",
    ),
)

FINANCE_TASKS = (TRANSACTION_CATEGORY, EARNINGS_SENTIMENT, STATEMENT_ENTITIES)

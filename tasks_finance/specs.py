"""The finance industry's tasks, as the core catalog sees them."""

from slm_platform.core.catalog import StarterData, TaskKind, TaskSpec
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

FINANCE_TASKS = (TRANSACTION_CATEGORY,)

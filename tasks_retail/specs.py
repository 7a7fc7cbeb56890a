"""The retail industry's tasks, as the core catalog sees them."""

from slm_platform.core.catalog import StarterData, TaskKind, TaskSpec
from tasks_retail.support_intent.labels import INTENT_DESCRIPTIONS, INTENTS
from tasks_retail.support_intent.normalise import normalise_message
from tasks_retail.support_intent.starter_data import starter_splits


def _support_intent_starter_data() -> StarterData:
    splits = starter_splits()
    slices = {name: splits[name] for name in ("test_seen_slot_values", "test_unseen_slot_values")}
    return StarterData(train=splits["train"], test=splits["test"], test_slices=slices)


SUPPORT_INTENT = TaskSpec(
    slug="retail.support-intent",
    kind=TaskKind.CLASSIFICATION,
    title="Support intent",
    description="A customer's message to a retail or e-commerce support desk → one of 12 intents.",
    labels=INTENTS,
    label_descriptions=INTENT_DESCRIPTIONS,
    max_input_chars=1000,
    max_length_tokens=96,  # a message is up to a few sentences
    preprocess=normalise_message,
    starter_data=_support_intent_starter_data,
    document_unit="line",  # an export of messages lists one message per line
    examples=(
        "has my order shipped yet? order #482913",
        "I returned the jacket two weeks ago and still haven't had my refund",
        "pls cancel my order, i ordered the wrong size by mistake",
        "Can I speak to a real person? The chatbot keeps sending me the same link.",
    ),
)

RETAIL_TASKS = (SUPPORT_INTENT,)

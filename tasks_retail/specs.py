"""The retail industry's tasks, as the core catalog sees them."""

from slm_platform.core.catalog import StarterData, TaskKind, TaskSpec
from tasks_retail.review_sentiment import labels as review_labels
from tasks_retail.review_sentiment import starter_data as review_data
from tasks_retail.review_sentiment.normalise import normalise_review
from tasks_retail.review_sentiment.opinion import review_served
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


def _review_sentiment_starter_data() -> StarterData:
    splits = review_data.starter_splits()
    slices = {name: splits[name] for name in review_data.TEST_SLICES}
    return StarterData(train=splits["train"], test=splits["test"], test_slices=slices)


REVIEW_SENTIMENT = TaskSpec(
    slug="retail.review-sentiment",
    kind=TaskKind.MULTI_LABEL,
    title="Review sentiment",
    description="A product review → its overall sentiment (negative, neutral or positive) and "
                "the sentiment of each aspect it judges: quality, delivery, price, customer "
                "service and returns.",
    labels=review_labels.LABELS,
    label_descriptions=review_labels.LABEL_DESCRIPTIONS,
    max_input_chars=2000,
    max_length_tokens=128,  # a review is one to a handful of sentences
    preprocess=normalise_review,
    postprocess=review_served,
    starter_data=_review_sentiment_starter_data,
    output_example={
        "label": "overall:positive", "score": 0.88,
        "labels": ["overall:positive", "quality:positive", "delivery:negative"],
        "scores": {"overall:positive": 0.88, "quality:positive": 0.93,
                   "delivery:negative": 0.81, "overall:neutral": 0.09},
        "overall": {"sentiment": "positive", "score": 0.88},
        "aspects": [{"aspect": "quality", "sentiment": "positive", "score": 0.93},
                    {"aspect": "delivery", "sentiment": "negative", "score": 0.81}]},
    document_unit="paragraph",  # a text export of reviews puts one review per paragraph
    examples=(
        "Really comfy and the fabric feels lovely. Took nearly two weeks to arrive though.",
        "Does the job. A bit pricey for what it is, but sending the first one back was easy.",
        "Absolute rubbish, stopped working after 3 days and customer service never replied to "
        "any of my emails!!! 1 star",
        "Great value for £24.99, arrived next day and my daughter loves it. Highly recommend",
    ),
)

RETAIL_TASKS = (SUPPORT_INTENT, REVIEW_SENTIMENT)

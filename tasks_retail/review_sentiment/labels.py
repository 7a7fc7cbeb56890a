"""The fixed label set for retail review sentiment: one task, multi-label.

A review gets exactly one overall label ("overall:negative", "overall:neutral" or
"overall:positive") and, for each of five aspects it expresses an opinion about, that aspect's
polarity ("delivery:negative"), the way the opinion-mining features of cloud language APIs report
a document sentiment plus aspect sentiments. An aspect the review does not mention gets neither
label. An aspect mentioned without an opinion ("it came with DPD", "paid £40 in the sale") or
with a neutral one also gets neither: there is no "<aspect>:neutral", for simplicity.
"""

OVERALL: tuple[str, ...] = ("negative", "neutral", "positive")
ASPECTS: tuple[str, ...] = ("quality", "delivery", "price", "customer_service", "returns")
ASPECT_POLARITIES: tuple[str, ...] = ("positive", "negative")


def overall_label(polarity: str) -> str:
    return f"overall:{polarity}"


def aspect_label(aspect: str, polarity: str) -> str:
    return f"{aspect}:{polarity}"


OVERALL_LABELS: tuple[str, ...] = tuple(overall_label(polarity) for polarity in OVERALL)
ASPECT_LABELS: tuple[str, ...] = tuple(
    aspect_label(aspect, polarity) for aspect in ASPECTS for polarity in ASPECT_POLARITIES
)
LABELS: tuple[str, ...] = OVERALL_LABELS + ASPECT_LABELS

_ASPECT_TOPICS = {
    "quality": "the product itself: build, materials, fit, how well it works and lasts",
    "delivery": "shipping and delivery: speed, the courier, packaging, arriving intact",
    "price": "price and value for money, including sales, discounts and shipping costs",
    "customer_service": "the shop's staff and support: chat, phone, email, replies",
    "returns": "returning or exchanging the item and getting the refund for it",
}

LABEL_DESCRIPTIONS: dict[str, str] = {
    "overall:negative": "The review as a whole is unfavourable: the reviewer is unhappy",
    "overall:neutral": "The review as a whole is lukewarm or evenly mixed ('it's okay', "
                       "'does the job', good and bad points with no clear verdict)",
    "overall:positive": "The review as a whole is favourable: the reviewer is happy",
    **{
        aspect_label(aspect, polarity): f"A {polarity} opinion about {topic}"
        for aspect, topic in _ASPECT_TOPICS.items() for polarity in ASPECT_POLARITIES
    },
}


def split_label(label: str) -> tuple[str, str]:
    """The facet ("overall" or an aspect) and polarity of a label: "price:negative" gives
    ("price", "negative")."""
    facet, polarity = label.split(":")
    return facet, polarity

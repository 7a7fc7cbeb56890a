"""Served shape of retail.review-sentiment: the multi-label prediction read as an overall
sentiment plus aspect sentiments, the way opinion mining in the cloud APIs reports a review."""

OVERALL = "overall"
THRESHOLD = 0.5


def opinion(prediction: dict, *, threshold: float = THRESHOLD) -> dict:
    """Add `overall` ({"sentiment", "score"}) and `aspects` ([{"aspect", "sentiment",
    "score"}], best first) to a multi-label prediction, and make its `labels` hold exactly one
    overall label (the likeliest, even under the threshold) besides the aspects found."""
    scores = prediction.get("scores") or {}
    overall = {label: score for label, score in scores.items()
               if label.startswith(f"{OVERALL}:")}
    if not overall:
        return prediction
    best = max(overall, key=overall.get)
    aspects: dict[str, tuple[str, float]] = {}
    for label, score in scores.items():
        facet, _, sentiment = label.partition(":")
        if facet == OVERALL or score < threshold:
            continue
        if facet not in aspects or score > aspects[facet][1]:
            aspects[facet] = (sentiment, score)
    found = sorted(aspects.items(), key=lambda item: -item[1][1])
    labels = [best] + [f"{facet}:{sentiment}" for facet, (sentiment, _) in found]
    return dict(prediction, labels=labels,
                overall={"sentiment": best.partition(":")[2], "score": overall[best]},
                aspects=[{"aspect": facet, "sentiment": sentiment, "score": score}
                         for facet, (sentiment, score) in found])


def review_served(_text: str, prediction: dict) -> dict:
    """The task's post-processing (TaskSpec.postprocess): the prediction read as an opinion."""
    return opinion(prediction)

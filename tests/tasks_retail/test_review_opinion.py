"""retail.review-sentiment as served: one overall sentiment and the aspects found, from the
multi-label scores; and through the API with a real worker and the tiny starter model."""

import pytest

from tasks_retail.review_sentiment.labels import LABELS
from tasks_retail.review_sentiment.opinion import opinion
from tests.conftest import wait_for_active_version

TASK = "retail.review-sentiment"


def test_one_overall_sentiment_and_the_aspects_over_the_threshold():
    scores = {"overall:positive": 0.3, "overall:neutral": 0.45, "overall:negative": 0.1,
              "quality:positive": 0.9, "quality:negative": 0.2, "delivery:negative": 0.7,
              "price:positive": 0.4}
    served = opinion({"label": "quality:positive", "score": 0.9, "scores": scores,
                      "labels": ["quality:positive", "delivery:negative"]})
    assert served["overall"] == {"sentiment": "neutral", "score": 0.45}
    assert served["aspects"] == [
        {"aspect": "quality", "sentiment": "positive", "score": 0.9},
        {"aspect": "delivery", "sentiment": "negative", "score": 0.7}]
    # Exactly one overall label, even under the threshold, then the aspects found.
    assert served["labels"] == ["overall:neutral", "quality:positive", "delivery:negative"]
    assert opinion({"label": "x", "scores": {}}) == {"label": "x", "scores": {}}


@pytest.mark.django_db(transaction=True)
def test_predict_reports_overall_and_aspect_sentiment(admin_client, trained_model):
    version = wait_for_active_version(trained_model.organization, TASK)
    response = admin_client.post(
        f"/api/v1/tasks/{TASK}/predict",
        {"inputs": ["Lovely quality but it took three weeks to arrive."]}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["model_version"] == version.name
    prediction = body["predictions"][0]
    assert set(prediction["scores"]) == set(LABELS)
    assert prediction["overall"]["sentiment"] in ("negative", "neutral", "positive")
    assert prediction["labels"][0] == f"overall:{prediction['overall']['sentiment']}"
    assert all(aspect["score"] >= 0.5 for aspect in prediction["aspects"])
    assert "exact_match" not in version.metrics["test"]  # the multi-label report's keys:
    assert {"accuracy", "micro_f1", "per_label"} <= set(version.metrics["test"])

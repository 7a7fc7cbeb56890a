"""Realtime predictions through a task's cascade, answered by a real worker: the small model's
unsure items escalated to a second local version or to an OpenAI-compatible endpoint (redacted
before they leave), items still unsure routed to a person, and the threshold suggester."""

import pytest

from slm_platform.audit.models import AuditEvent
from slm_platform.core.connections import redis_client
from slm_platform.jobs.models import JobItem
from slm_platform.review.selectors import review_queue
from slm_platform.routing.models import CascadeEvaluation, RoutingRecord
from slm_platform.routing.score_window import window_key
from slm_platform.routing.suggest import MIN_SCORES_FOR_SHARE
from slm_platform.routing.worker import escalation_threshold
from tests.chat.openai_server import ScriptedServer
from tests.routing.helpers import TASK, policy, version_with_temperature

pytestmark = pytest.mark.django_db(transaction=True)
PREDICT = f"/api/v1/tasks/{TASK}/predict"
INPUTS = ["UBER *TRIP HELP.UBER.COM", "POS 4411 SHELL OIL 5744"]


@pytest.fixture
def unsure_small(category_model):
    """The active version: the trained model at temperature 100, every score near 1/labels."""
    return version_with_temperature(category_model, 100.0, activate=True)


def test_without_a_policy_predictions_carry_no_route(admin_client, unsure_small):
    body = admin_client.post(PREDICT, {"inputs": INPUTS}, format="json").json()
    assert all("route" not in prediction for prediction in body["predictions"])
    policy(admin_client, {"escalate_below": 0.9, "enabled": False})
    body = admin_client.post(PREDICT, {"inputs": INPUTS}, format="json").json()
    assert all("route" not in prediction for prediction in body["predictions"])
    assert not RoutingRecord.objects.exists()


def test_unsure_items_are_answered_by_the_large_version(admin_client, unsure_small,
                                                       category_model):
    sure_large = version_with_temperature(category_model, 0.01)
    response = policy(admin_client, {"escalate_below": 0.5, "review_below": 0.3, "large": {
        "kind": "version", "model_version": sure_large.pk}})
    assert response.status_code == 200, response.content
    response = admin_client.post(PREDICT, {"inputs": INPUTS}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["model_version"] == unsure_small.name
    for prediction in body["predictions"]:
        assert prediction["route"] == "large"
        assert prediction["answered_by"] == sure_large.name
        assert prediction["model_version_id"] == sure_large.pk
        assert prediction["small"]["score"] < 0.5 < prediction["score"]
        # The same weights at another temperature: the same label, surer.
        assert prediction["small"]["label"] == prediction["label"]
    record = RoutingRecord.objects.get()
    assert (record.route, record.items, record.source) == ("large", 2, "realtime")
    assert record.answered_by == sure_large.name and record.latency_ms > 0
    event = AuditEvent.objects.filter(action="predict").latest("id")
    assert event.data["routes"] == {"large": 2}


def test_items_still_unsure_go_to_a_person_and_may_be_stored_for_review(
        admin_client, unsure_small, category_model):
    unsure_large = version_with_temperature(category_model, 100.0)
    body = {"escalate_below": 0.5, "review_below": 0.3,
            "large": {"kind": "version", "model_version": unsure_large.pk}}
    policy(admin_client, body)
    answer = admin_client.post(PREDICT, {"inputs": INPUTS[:1]}, format="json").json()
    prediction = answer["predictions"][0]
    assert prediction["route"] == "human" and prediction["answered_by"] == unsure_large.name
    assert "review_item" not in prediction and not JobItem.objects.exists()

    policy(admin_client, body | {"store_for_review": True})
    answer = admin_client.post(PREDICT, {"inputs": INPUTS}, format="json").json()
    stored = [prediction["review_item"] for prediction in answer["predictions"]]
    items = JobItem.objects.filter(pk__in=stored).select_related("job")
    assert sorted(item.text for item in items) == sorted(INPUTS)
    assert {item.job.unit for item in items} == {"realtime-review"}
    queue = review_queue(organization=unsure_small.organization, task_slug=TASK, threshold=0.0)
    assert sorted(queue.values_list("pk", flat=True)) == sorted(stored)
    # A second call adds to the same inbox.
    again = admin_client.post(PREDICT, {"inputs": INPUTS[:1]}, format="json").json()
    item = JobItem.objects.get(pk=again["predictions"][0]["review_item"])
    assert item.job_id == items[0].job_id and item.seq == 2
    assert item.job.total == item.job.done == 3


def test_the_http_route_gets_redacted_text_and_one_label(admin_client, unsure_small, settings):
    settings.CASCADE_HTTP_ALLOWED_HOSTS = ["127.0.0.1"]
    server = ScriptedServer()
    try:
        tasks = admin_client.get("/api/v1/tasks").json()
        spec = next(task for task in tasks if task["slug"] == TASK)
        server.reply = spec["labels"][0].upper()
        body = {"escalate_below": 0.5, "review_below": 0.3, "large": {
            "kind": "openai", "url": server.url, "model": "judge-1",
            "api_key_env": "CASCADE_API_KEY_TEST", "trust_http_answers": True}}
        assert policy(admin_client, body).status_code == 200
        text = "ZELLE TO jane.doe@example.com CALL 415-555-0132"
        answer = admin_client.post(PREDICT, {"inputs": [text]}, format="json").json()
        prediction = answer["predictions"][0]
        assert prediction["route"] == "large" and prediction["label"] == spec["labels"][0]
        assert prediction["answered_by"] == "openai:127.0.0.1/judge-1"
        assert prediction["score"] is None and prediction["model_version_id"] is None
        # No model of the redaction task is active here: its validated patterns alone.
        assert prediction["redacted_with"] == "patterns:health.phi-deid"
        (request,) = server.requests
        assert request["path"] == "/v1/chat/completions"
        assert request["authorization"] == "Bearer cascade-test-key"
        sent = request["body"]["messages"][-1]["content"]
        assert "jane.doe@example.com" not in sent and "415-555-0132" not in sent
        assert "[EMAIL]" in sent
        assert all(label in request["body"]["messages"][0]["content"]
                   for label in spec["labels"])

        # Without trust, an endpoint's answer (no confidence) goes to a person.
        body["large"]["trust_http_answers"] = False
        policy(admin_client, body)
        answer = admin_client.post(PREDICT, {"inputs": [text]}, format="json").json()
        assert answer["predictions"][0]["route"] == "human"

        # An answer that is not exactly one label is no answer: the small model's stays.
        server.reply = "it could be several things"
        answer = admin_client.post(PREDICT, {"inputs": [text]}, format="json").json()
        prediction = answer["predictions"][0]
        assert prediction["answered_by"] == unsure_small.name
        assert "names no label" in prediction["escalation_error"]
        assert prediction["route"] == "human"  # its own score is under review_below
    finally:
        server.close()


def test_the_suggester_computes_the_curve_once_per_version_pair(admin_client, member_client,
                                                                unsure_small, category_model):
    url = f"/api/v1/tasks/{TASK}/cascade/suggest"
    response = member_client.get(url)
    assert response.status_code == 409
    assert response.json()["error"]["details"]["field"] == "large_version"
    response = member_client.get(f"{url}?large_version={category_model.pk}&target_accuracy=2")
    assert response.json()["error"]["details"]["field"] == "target_accuracy"
    response = member_client.get(f"{url}?large_version={category_model.pk}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["small_version"]["id"] == unsure_small.pk and body["rows"] > 0
    curve = body["curve"]
    # Nothing escalated: the small model's accuracy; everything: the large one's (every
    # score of the small model is under 1 at temperature 100).
    assert curve[0]["escalation_rate"] == 0 and curve[0]["accuracy"] == body["small_accuracy"]
    assert curve[-1]["escalation_rate"] == 1 and curve[-1]["accuracy"] == body["large_accuracy"]
    assert body["target_is_large_accuracy"] and body["target_accuracy"] == body["large_accuracy"]
    best = body["suggested"]
    assert best is not None and best["accuracy"] >= body["large_accuracy"]
    assert all(point["escalation_rate"] >= best["escalation_rate"] for point in curve
               if point["accuracy"] >= body["target_accuracy"])
    # Kept: asking again (another target) reads the stored rows.
    again = member_client.get(f"{url}?large_version={category_model.pk}&target_accuracy=0.01")
    assert again.json()["suggested"]["escalation_rate"] == 0
    assert CascadeEvaluation.objects.count() == 1


def test_the_redaction_tasks_active_model_redacts_when_there_is_one(admin_client, unsure_small,
                                                                   deid_model, settings):
    settings.CASCADE_HTTP_ALLOWED_HOSTS = ["127.0.0.1"]
    server = ScriptedServer()
    try:
        server.reply = "groceries"
        policy(admin_client, {"escalate_below": 0.5, "large": {
            "kind": "openai", "url": server.url, "model": "judge-1"}})
        text = "PAYPAL TO jane.doe@example.com"
        prediction = admin_client.post(PREDICT, {"inputs": [text]},
                                       format="json").json()["predictions"][0]
        assert prediction["route"] == "large" and prediction["label"] == "groceries"
        assert prediction["redacted_with"] == f"model:{deid_model.name}"
        (request,) = server.requests
        assert request["authorization"] is None  # no key variable named: no header
        sent = request["body"]["messages"][-1]["content"]
        assert "jane.doe@example.com" not in sent and "[EMAIL]" in sent
    finally:
        server.close()


def test_an_escalation_cap_holds_the_large_routes_share_of_recent_traffic(
        admin_client, category_model, settings):
    """escalate_below 1.0 would escalate everything; a 25 % cap escalates the least sure
    quarter of a batch, and later small batches are measured against the recent traffic."""
    sure_large = version_with_temperature(category_model, 0.01)
    # Redis outlives the test database, whose ids start again: no scores from an earlier run.
    redis_client(settings.REDIS_URL).delete(window_key(
        category_model.organization_id, TASK, category_model.pk))
    response = policy(admin_client, {"escalate_below": 1.0, "escalate_share": 0.25, "large": {
        "kind": "version", "model_version": sure_large.pk}})
    assert response.status_code == 200, response.content
    inputs = [f"{merchant} {number}" for number in range(12) for merchant in (
        "UBER *TRIP", "POS SHELL OIL", "NETFLIX.COM", "TESCO STORES", "PAYROLL ACME")]
    body = admin_client.post(PREDICT, {"inputs": inputs}, format="json").json()
    predictions = body["predictions"]
    escalated = [p["small"]["score"] for p in predictions if p["route"] == "large"]
    kept = [p["score"] for p in predictions if p["route"] == "small"]
    assert 0 < len(escalated) <= 0.25 * len(inputs)
    assert max(escalated) < min(kept)
    least_sure = min(predictions, key=lambda p: p.get("small", p)["score"])
    surest = max(predictions, key=lambda p: p["score"] if p["route"] == "small" else 0)
    # Two items alone: the cap comes from the 60 scores before them.
    body = admin_client.post(PREDICT, {"inputs": [inputs[predictions.index(least_sure)],
                                                  inputs[predictions.index(surest)]]},
                             format="json").json()
    assert [p["route"] for p in body["predictions"]] == ["large", "small"]
    # The suggester's threshold, tried on those 62 items' small-model scores too.
    scores = [p.get("small", p)["score"] for p in predictions + body["predictions"]]
    suggestion = admin_client.get(f"/api/v1/tasks/{TASK}/cascade/suggest"
                                  f"?large_version={sure_large.pk}").json()
    threshold = suggestion["suggested"]["threshold"]
    assert suggestion["on_traffic"] == {
        "items": 62, "escalation_rate": round(sum(s < threshold for s in scores) / 62, 6)}
    assert "on the last 62 routed items" in suggestion["message"]


def test_the_cap_needs_enough_scores_and_falls_back_to_the_batch_without_redis(settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    plan = {"organization": 1, "task": TASK, "small": {"id": 1}, "escalate_below": 0.9,
            "escalate_share": 0.1}
    scores = [index / 100 for index in range(100)]
    assert escalation_threshold(plan, scores) == 0.1  # the batch's own 10th percentile
    assert escalation_threshold(plan, scores[:MIN_SCORES_FOR_SHARE - 1]) == 0.9
    assert escalation_threshold(plan | {"escalate_share": None}, scores) == 0.9
    assert escalation_threshold(plan | {"escalate_below": 0.05}, scores) == 0.05

"""A bulk job through its task's cascade: the chunk's unsure items re-predicted by the large
version in one batch, routes in the results, and items routed to a person in the review
queue."""

import csv
import io

import pytest

from slm_platform.review.selectors import review_queue
from slm_platform.routing.models import RoutingRecord
from tests.jobs.helpers import content, transactions_csv, upload, wait_for_job
from tests.routing.helpers import TASK, policy, version_with_temperature

pytestmark = pytest.mark.django_db(transaction=True)
ROWS = 12


def _results(client, job_id: int) -> list[dict]:
    response = client.get(f"/api/v1/jobs/{job_id}/results?format=csv")
    text = content(response).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _scores(client, texts: list[str], version_id: int) -> list[dict]:
    response = client.post(f"/api/v1/tasks/{TASK}/predict",
                           {"inputs": texts, "model_version": version_id}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["predictions"]


def _split(scores: list[float]) -> float:
    """A threshold between two of the middle scores, where they are furthest apart."""
    ordered = sorted(scores)
    cut = max(range(3, len(ordered) - 2), key=lambda k: ordered[k] - ordered[k - 1])
    assert ordered[cut] - ordered[cut - 1] > 1e-4, ordered
    return (ordered[cut] + ordered[cut - 1]) / 2


def test_a_job_routes_its_unsure_items_and_queues_them_for_review(admin_client, category_model):
    data = transactions_csv(ROWS)
    plain = upload(admin_client, {"plain.csv": data}, text_column="description").json()
    assert "route" not in _results(admin_client, wait_for_job(admin_client, plain["id"])["id"])[0]

    texts = [row["description"] for row in _results(admin_client, plain["id"])]
    small = _scores(admin_client, texts, category_model.pk)
    unsure_large = version_with_temperature(category_model, 100.0)
    large = _scores(admin_client, texts, unsure_large.pk)
    escalate_below = _split([p["score"] for p in small])
    surest_large = max(p["score"] for p in large)
    assert surest_large < escalate_below
    review_below = (surest_large + escalate_below) / 2
    assert policy(admin_client, {
        "escalate_below": escalate_below, "review_below": review_below,
        "large": {"kind": "version", "model_version": unsure_large.pk}}).status_code == 200

    job = upload(admin_client, {"routed.csv": data}, text_column="description").json()
    assert wait_for_job(admin_client, job["id"])["status"] == "succeeded"
    rows = _results(admin_client, job["id"])
    header = list(rows[0])
    assert header.index("route") == header.index("model_version") + 1
    expected = ["human" if p["score"] < escalate_below else "small" for p in small]
    assert [row["route"] for row in rows] == expected
    assert 0 < expected.count("human") < ROWS
    for row, mine in zip(rows, small, strict=True):
        by = unsure_large.name if row["route"] == "human" else category_model.name
        assert row["model_version"] == by and row["predicted_label"] == mine["label"]

    queue = review_queue(organization=category_model.organization, task_slug=TASK,
                         threshold=0.0).filter(job_id=job["id"])
    assert sorted(queue.values_list("seq", flat=True)) == [
        seq for seq, route in enumerate(expected) if route == "human"]
    records = RoutingRecord.objects.filter(job_id=job["id"])
    assert sum(records.values_list("items", flat=True)) == ROWS
    assert {record.route for record in records} == {"human", "small"}

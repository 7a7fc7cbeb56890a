"""Routing statistics: share of items per route from the recorded batches, latency per route
(p50/p95 weighted by items) and accuracy per route from the reviewers' verdicts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from slm_platform.audit.services import Actor
from slm_platform.jobs.models import JobItem
from slm_platform.review.services import review_record
from slm_platform.routing.models import RoutingRecord
from slm_platform.routing.services import route_groups, routing_records_write
from tests.review.factories import predicted_job
from tests.routing.helpers import TASK

pytestmark = pytest.mark.django_db


def _routed(prediction: dict, route: str, by: str, escalated: bool) -> dict:
    extra = {"small": {"label": "dining", "score": 0.3}} if escalated else {}
    return prediction | {"route": route, "answered_by": by} | extra


def test_a_batch_is_grouped_by_route_with_its_model_time_per_item():
    predictions = [_routed({}, "small", "v1", False), _routed({}, "small", "v1", False),
                   _routed({}, "large", "v2", True), _routed({}, "human", "v2", True),
                   _routed({}, "human", "v1", False)]
    groups = route_groups(predictions, {"small_ms": 50.0, "large_ms": 30.0, "escalated": 2})
    assert sorted((g["route"], g["answered_by"], g["items"], g["latency_ms"])
                  for g in groups) == [
        ("human", "v1", 1, 10.0), ("human", "v2", 1, 25.0), ("large", "v2", 1, 25.0),
        ("small", "v1", 2, 10.0)]


def test_stats_give_share_latency_and_accuracy_from_reviews(member_client, organization,
                                                            admin_membership):
    rows = [("A", "groceries", 0.95), ("B", "dining", 0.9), ("C", "fuel", 0.92),
            ("D", "travel", 0.7), ("E", "dining", 0.3)]
    items = predicted_job(organization, rows)
    routes = ["small", "small", "small", "large", "human"]
    for item, route in zip(items, routes, strict=True):
        item.result = _routed(item.result, route, "v", route != "small")
    JobItem.objects.bulk_update(items, ["result"])
    # Batches: 3 small items at 2 ms, then 1 large and 1 human at 2 + 40 ms; an old batch
    # outside the window does not count.
    routing_records_write(organization_id=organization.pk, task_slug=TASK, source="job",
                          job_id=items[0].job_id,
                          predictions=[item.result for item in items],
                          timings={"small_ms": 10.0, "large_ms": 80.0, "escalated": 2})
    routing_records_write(organization_id=organization.pk, task_slug=TASK, source="realtime",
                          job_id=None, predictions=[_routed({}, "small", "v", False)],
                          timings={"small_ms": 30.0, "large_ms": 0.0, "escalated": 0})
    RoutingRecord.objects.create(organization=organization, task_slug=TASK, source="job",
                                 route="small", answered_by="v", items=100, latency_ms=1.0,
                                 created_at=timezone.now() - timedelta(days=30))
    actor = Actor.for_user(admin_membership.user)
    # Small: one confirmed, one corrected, one skipped (not counted); large: confirmed;
    # human: corrected.
    review_record(organization=organization, item_id=items[0].pk, action="confirmed",
                  actor=actor)
    review_record(organization=organization, item_id=items[1].pk, action="corrected",
                  label="groceries", actor=actor)
    review_record(organization=organization, item_id=items[2].pk, action="skipped",
                  actor=actor)
    review_record(organization=organization, item_id=items[3].pk, action="confirmed",
                  actor=actor)
    review_record(organization=organization, item_id=items[4].pk, action="corrected",
                  label="fuel", actor=actor)
    stats = member_client.get(f"/api/v1/tasks/{TASK}/cascade/stats?days=7").json()
    by_route = {row["route"]: row for row in stats["routes"]}
    assert stats["items"] == 6
    assert [by_route[r]["items"] for r in ("small", "large", "human")] == [4, 1, 1]
    assert by_route["small"]["share"] == round(4 / 6, 4)
    assert by_route["small"]["latency_ms"] == {"p50": 2.0, "p95": 30.0}
    assert by_route["large"]["latency_ms"] == {"p50": 42.0, "p95": 42.0}
    assert (by_route["small"]["reviewed"], by_route["small"]["correct"]) == (2, 1)
    assert by_route["small"]["accuracy"] == 0.5
    assert by_route["large"]["accuracy"] == 1.0 and by_route["human"]["accuracy"] == 0.0
    wide = member_client.get(f"/api/v1/tasks/{TASK}/cascade/stats?days=60").json()
    assert wide["items"] == 106
    response = member_client.get(f"/api/v1/tasks/{TASK}/cascade/stats?days=0")
    assert response.status_code == 400
    assert response.json()["error"]["details"]["field"] == "days"

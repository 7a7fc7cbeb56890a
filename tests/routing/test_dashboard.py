"""The task page's cascade section through Django's test client: the policy with the warning
when items leave the premises, the suggester's curve drawn as SVG from kept rows, and the
routing statistics."""

import pytest

from slm_platform.audit.services import Actor
from slm_platform.core.connections import redis_client
from slm_platform.registry.models import ModelVersion
from slm_platform.routing.models import CascadeEvaluation
from slm_platform.routing.score_window import window_key
from slm_platform.routing.services import cascade_policy_set, routing_records_write
from tests.dashboard.browser import logged_in
from tests.routing.helpers import TASK

pytestmark = pytest.mark.django_db
PAGE = f"/tasks/{TASK}/"
ROWS = [[0.9, True, True], [0.4, False, True], [0.2, False, True], [0.6, True, True],
        [0.4, True, False], [0.95, False, False]]


def _version(organization, number: int, status: str) -> ModelVersion:
    return ModelVersion.objects.create(organization=organization, task_slug=TASK,
                                       version=number, status=status,
                                       base_model="all-MiniLM-L6-v2",
                                       artifact_path=f"models/{number}")


def test_without_a_policy_the_section_says_so(member_membership):
    page = logged_in(member_membership).get(PAGE).content.decode()
    assert "Cascade routing" in page and "No cascade" in page
    assert "Data leaves the premises" not in page
    # Entity tasks cannot be routed: no section.
    page = logged_in(member_membership).get("/tasks/health.phi-deid/").content.decode()
    assert "Cascade routing" not in page


def test_the_section_shows_the_policy_its_warning_the_curve_and_the_routes(
        member_membership, organization, settings):
    small = _version(organization, 1, "active")
    large = _version(organization, 2, "ready")
    actor = Actor.system()
    cascade_policy_set(organization=organization, task_slug=TASK, actor=actor, data={
        "escalate_below": 0.5, "review_below": 0.25,
        "large": {"kind": "version", "model_version": large.pk}})
    member = logged_in(member_membership)
    page = member.get(PAGE).content.decode()
    assert large.name in page and "Data leaves the premises" not in page
    assert "Compute the curve" in page and 'hx-get="/tasks/' in page

    CascadeEvaluation.objects.create(organization=organization, small_version=small,
                                     large_version=large, rows=ROWS)
    routing_records_write(organization_id=organization.pk, task_slug=TASK, source="realtime",
                          job_id=None, timings={"small_ms": 8.0, "large_ms": 20.0,
                                                "escalated": 1},
                          predictions=[{"route": "small", "answered_by": small.name},
                                       {"route": "large", "answered_by": large.name,
                                        "small": {}}])
    page = member.get(PAGE).content.decode()
    assert "<svg" in page and "Cascade accuracy against the share of items escalated" in page
    # The large model's accuracy (4 of 6) is reached escalating 1 row of 6 below 0.4.
    assert "escalate_below 0.4000 reaches 0.6667 with 16.7% of items escalated" in page
    assert "4.0 ms" in page and "24.0 ms" in page  # small: 8/2; large: 8/2 + 20/1
    fragment = member.get(f"/tasks/{TASK}/cascade/suggest",
                          headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and "<svg" in fragment
    assert "Recent traffic" not in fragment

    # Traffic less sure than the test rows: half of 60 recent scores are under 0.4.
    key = window_key(organization.pk, TASK, small.pk)
    client = redis_client(settings.REDIS_URL)
    client.delete(key)
    client.lpush(key, *([0.3] * 30 + [0.8] * 30))
    cascade_policy_set(organization=organization, task_slug=TASK, actor=actor, data={
        "escalate_below": 0.5, "escalate_share": 0.2,
        "large": {"kind": "version", "model_version": large.pk}})
    page = member.get(PAGE).content.decode()
    assert "on the last 60 routed items it would have escalated 50.0%" in page
    assert "the threshold escalates 50% of it against 17% of the test rows" in page
    assert "at most 20% of recent items" in page
    client.delete(key)

    settings.CASCADE_HTTP_ALLOWED_HOSTS = ["llm.example.com"]
    cascade_policy_set(organization=organization, task_slug=TASK, actor=actor, data={
        "escalate_below": 0.5,
        "large": {"kind": "openai", "url": "https://llm.example.com/v1", "model": "judge"}})
    page = member.get(PAGE).content.decode()
    assert "Data leaves the premises" in page and "llm.example.com" in page
    assert "redacted with health.phi-deid" in page

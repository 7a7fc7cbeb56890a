"""The cascade policy's API: validation naming the field, members read and admins write, other
organizations' tasks and versions unseen, the HTTP route's host allow-list, the warning that
data leaves the premises, and the audit trail."""

import pytest

from slm_platform.audit.models import AuditEvent
from slm_platform.registry.models import ModelVersion
from slm_platform.routing.models import CascadePolicy
from tests.routing.helpers import TASK, policy

pytestmark = pytest.mark.django_db
URL = f"/api/v1/tasks/{TASK}/cascade"


def _version(organization, number: int, status: str = "ready", task: str = TASK):
    return ModelVersion.objects.create(organization=organization, task_slug=task,
                                       version=number, status=status,
                                       base_model="all-MiniLM-L6-v2",
                                       artifact_path=f"models/{organization.pk}-{task}-{number}")


def _error(response) -> tuple[int, str, str | None]:
    body = response.json()["error"]
    return response.status_code, body["code"], body.get("details", {}).get("field")


def test_an_admin_sets_a_policy_members_read_it_and_only_admins_change_it(
        admin_client, member_client, organization):
    _version(organization, 1, "active")
    teacher = _version(organization, 2)
    assert member_client.get(URL).status_code == 404
    body = {"escalate_below": 0.7, "review_below": 0.4,
            "large": {"kind": "version", "model_version": teacher.pk}}
    assert policy(member_client, body).status_code == 403
    response = policy(admin_client, body)
    assert response.status_code == 200, response.content
    shown = member_client.get(URL).json()
    assert shown["enabled"] is True and shown["escalate_below"] == 0.7
    assert shown["escalate_share"] is None
    assert shown["review_below"] == 0.4 and shown["store_for_review"] is False
    assert shown["large"] == {"kind": "version", "model_version": teacher.pk,
                              "name": teacher.name, "usable": True}
    assert shown["data_leaves_premises"] is False and shown["warning"] is None
    assert member_client.delete(URL).status_code == 403
    assert admin_client.delete(URL).status_code == 204
    assert not CascadePolicy.objects.exists()
    assert admin_client.delete(URL).status_code == 404
    actions = list(AuditEvent.objects.filter(organization=organization,
                                             action__startswith="cascade.")
                   .order_by("id").values_list("action", "data__large"))
    assert actions == [("cascade.set", teacher.name), ("cascade.delete", None)]


@pytest.mark.parametrize(("body", "field"), [
    ({}, "escalate_below"),
    ({"escalate_below": 1.5}, "escalate_below"),
    ({"escalate_below": True}, "escalate_below"),
    ({"escalate_below": "0.5"}, "escalate_below"),
    ({"escalate_below": 0.5, "review_below": -0.1}, "review_below"),
    ({"escalate_below": 0.5, "escalate_share": 1.2}, "escalate_share"),
    ({"escalate_below": 0.5, "escalate_share": "20%"}, "escalate_share"),
    ({"escalate_below": 0.5, "enabled": "yes"}, "enabled"),
    ({"escalate_below": 0.5, "threshold": 0.2}, "threshold"),
    ({"escalate_below": 0.5, "large": {"kind": "bigger"}}, "large.kind"),
    ({"escalate_below": 0.5, "large": {"kind": "version"}}, "large.model_version"),
    ({"escalate_below": 0.5, "large": {"kind": "version", "model_version": 1, "x": 1}},
     "large.x"),
    ({"escalate_below": 0.5, "large": {"kind": "openai", "url": "ftp://host/v1",
                                       "model": "m"}}, "large.url"),
])
def test_bad_policies_are_refused_naming_the_field(admin_client, body, field):
    response = policy(admin_client, body)
    assert response.status_code == 400 and _error(response)[2] == field


def test_the_large_version_must_be_another_ready_version_of_the_same_task(
        admin_client, organization, other_organization):
    active = _version(organization, 1, "active")
    failed = _version(organization, 2, "failed")
    other_task = _version(organization, 1, task="finance.earnings-tone")
    theirs = _version(other_organization, 1)
    for version, status in ((active, 400), (failed, 400), (other_task, 400), (theirs, 404)):
        response = policy(admin_client, {"escalate_below": 0.5, "large": {
            "kind": "version", "model_version": version.pk}})
        assert (response.status_code, _error(response)[2]) == (status, "large.model_version")
    assert not CascadePolicy.objects.exists()


def test_other_organizations_and_unroutable_tasks(admin_client, other_client, organization):
    teacher = _version(organization, 2)
    assert policy(admin_client, {"escalate_below": 0.5, "large": {
        "kind": "version", "model_version": teacher.pk}}).status_code == 200
    # Another organization sees no policy of this one's task, and cannot use its version.
    assert other_client.get(URL).status_code == 404
    response = policy(other_client, {"escalate_below": 0.5, "large": {
        "kind": "version", "model_version": teacher.pk}})
    assert response.status_code == 404
    assert CascadePolicy.objects.get().organization == organization
    assert policy(admin_client, {"escalate_below": 0.5}, task="no.such-task").status_code == 404
    # Entity tasks have no single calibrated label per item to route on.
    response = policy(admin_client, {"escalate_below": 0.5}, task="health.phi-deid")
    assert _error(response)[:2] == (400, "task_not_supported")


def test_the_http_route_is_refused_until_its_host_is_allowed(admin_client, settings):
    body = {"escalate_below": 0.5, "large": {"kind": "openai", "model": "gpt-x",
                                             "url": "https://llm.example.com/v1"}}
    response = policy(admin_client, body)
    assert _error(response) == (400, "cascade_host_not_allowed", "large.url")
    assert "CASCADE_HTTP_ALLOWED_HOSTS" in response.json()["error"]["message"]
    settings.CASCADE_HTTP_ALLOWED_HOSTS = ["llm.example.com"]
    # The key is read from a CASCADE_API_KEY_* variable, never any other one.
    for name in ("SECRET_KEY", "DATABASE_URL", "cascade_api_key_x"):
        body["large"]["api_key_env"] = name
        assert _error(policy(admin_client, body))[2] == "large.api_key_env"
    body["large"]["api_key_env"] = "CASCADE_API_KEY_LLM"
    shown = policy(admin_client, body).json()
    assert shown["data_leaves_premises"] is True
    assert "llm.example.com" in shown["warning"] and "redacted first" in shown["warning"]
    assert shown["large"]["redact"] is True
    assert shown["large"]["redaction_task"] == "health.phi-deid"
    assert shown["large"]["trust_http_answers"] is False
    body["large"]["redact"] = False
    assert "NOT redacted" in policy(admin_client, body).json()["warning"]
    body["large"] |= {"redact": True, "redaction_task": "no.such-task"}
    assert _error(policy(admin_client, body))[2] == "large.redaction_task"


def test_an_escalation_cap_is_kept_shown_and_audited(admin_client, organization):
    _version(organization, 1, "active")
    response = policy(admin_client, {"escalate_below": 0.9, "escalate_share": 0.2})
    assert response.status_code == 200, response.content
    assert admin_client.get(URL).json()["escalate_share"] == 0.2
    event = AuditEvent.objects.filter(action="cascade.set").latest("id")
    assert event.data["escalate_share"] == 0.2
    # A PUT replaces the policy: without the field, no cap.
    assert policy(admin_client, {"escalate_below": 0.9}).json()["escalate_share"] is None

"""GET/PUT /api/v1/retention: members read, admins write, each value checked and audited."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from slm_platform.audit.models import AuditEvent
from slm_platform.retention.models import RetentionPolicy

pytestmark = pytest.mark.django_db
URL = "/api/v1/retention"
FOREVER = {"job_inputs_days": None, "job_results_days": None, "conversations_days": None,
           "dataset_uploads_days": None}


def test_a_new_organization_keeps_everything(member_client):
    response = member_client.get(URL)
    assert response.status_code == 200
    assert response.json() == FOREVER


def test_admin_sets_periods_and_the_change_is_audited(admin_client, member_client, organization):
    response = admin_client.put(URL, {"job_inputs_days": 30, "conversations_days": 90},
                                format="json")
    assert response.status_code == 200, response.content
    assert response.json() == FOREVER | {"job_inputs_days": 30, "conversations_days": 90}
    # A later PUT changes only what it names; null goes back to forever.
    admin_client.put(URL, {"job_results_days": 365, "job_inputs_days": None}, format="json")
    assert member_client.get(URL).json() == FOREVER | {"conversations_days": 90,
                                                       "job_results_days": 365}
    events = AuditEvent.objects.filter(organization=organization, action="retention.update")
    assert events.count() == 2
    last = events.order_by("-sequence").first()
    assert last.data["before"]["job_inputs_days"] == 30
    assert last.data["after"]["job_inputs_days"] is None
    assert last.actor_label.startswith("api_key:")


def test_members_cannot_change_the_policy(member_client, organization):
    response = member_client.put(URL, {"job_inputs_days": 1}, format="json")
    assert response.status_code == 403
    assert not RetentionPolicy.objects.filter(organization=organization).exists()


@pytest.mark.parametrize("body, field", [
    ({"job_inputs_days": 0}, "job_inputs_days"),
    ({"job_results_days": -5}, "job_results_days"),
    ({"conversations_days": "30"}, "conversations_days"),
    ({"dataset_uploads_days": True}, "dataset_uploads_days"),
    ({"dataset_uploads_days": 2.5}, "dataset_uploads_days"),
    ({"job_inputs_days": 36_501}, "job_inputs_days"),
    ({"job_inputs_days": 30, "keep_logs_days": 3}, "keep_logs_days"),
])
def test_bad_values_are_refused_naming_the_field(admin_client, organization, body, field):
    response = admin_client.put(URL, body, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["details"]["field"] == field and field in error["message"]
    # Nothing of a refused request is kept, not even its valid part.
    assert admin_client.get(URL).json() == FOREVER


def test_a_body_that_is_not_an_object_is_refused(admin_client):
    response = admin_client.put(URL, [30], format="json")
    assert response.status_code == 400
    assert response.json()["error"]["details"]["field"] == "body"


def test_each_organization_sees_and_changes_only_its_own(admin_client, other_client,
                                                        organization, other_organization):
    admin_client.put(URL, {"job_results_days": 7}, format="json")
    assert other_client.get(URL).json() == FOREVER
    other_client.put(URL, {"job_results_days": 400}, format="json")
    assert admin_client.get(URL).json()["job_results_days"] == 7
    assert RetentionPolicy.objects.get(organization=other_organization).job_results_days == 400
    assert not AuditEvent.objects.filter(organization=other_organization,
                                         data__after__job_results_days=7).exists()


def test_callers_outside_any_organization_are_refused():
    assert APIClient().get(URL).status_code in (401, 403)
    loner = get_user_model().objects.create_user("loner", password="a-long-test-password")
    client = APIClient()
    client.force_authenticate(loner)
    assert client.get(URL).status_code == 403
    assert client.put(URL, {"job_inputs_days": 1}, format="json").status_code == 403

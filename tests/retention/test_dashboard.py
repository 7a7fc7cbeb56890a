"""The settings page's retention section: admins change it (checked and audited), members read."""

import pytest

from slm_platform.audit.models import AuditEvent
from slm_platform.retention.models import RetentionPolicy
from tests.dashboard.browser import logged_in

pytestmark = pytest.mark.django_db
FORM = {"job_inputs_days": "30", "job_results_days": "", "conversations_days": "90",
        "dataset_uploads_days": ""}


def test_an_admin_sets_retention_on_the_settings_page(admin_membership, organization):
    admin = logged_in(admin_membership)
    assert "Save retention" in admin.get("/settings/").content.decode()
    response = admin.post("/settings/retention", FORM)
    assert response.status_code == 302
    policy = RetentionPolicy.objects.get(organization=organization)
    assert policy.as_dict() == {"job_inputs_days": 30, "job_results_days": None,
                                "conversations_days": 90, "dataset_uploads_days": None}
    assert AuditEvent.objects.filter(organization=organization, action="retention.update",
                                     actor_label="user:alice").exists()

    refused = admin.post("/settings/retention", FORM | {"conversations_days": "0"})
    assert refused.status_code == 400
    assert "Save retention" in refused.content.decode()
    assert RetentionPolicy.objects.get(organization=organization).conversations_days == 90


def test_a_member_reads_retention_but_cannot_change_it(member_membership, organization):
    RetentionPolicy.objects.create(organization=organization, job_results_days=365)
    member = logged_in(member_membership)
    page = member.get("/settings/").content.decode()
    assert "Job results (days)" in page and "365" in page and "Save retention" not in page
    assert member.post("/settings/retention", FORM).status_code == 403
    assert RetentionPolicy.objects.get(organization=organization).job_inputs_days is None

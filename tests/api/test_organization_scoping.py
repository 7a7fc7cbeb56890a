"""Every query is scoped to the caller's organization; another organization's ids are 404."""

import pytest

from slm_platform.audit.services import Actor, audit_record
from slm_platform.registry.services import model_version_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme_version(organization):
    return model_version_create(organization=organization, task_slug="finance.transaction-category",
                                base_model="tiny-random-bert", source="starter",
                                training_config={}, actor=Actor.system())


def test_model_list_shows_only_own_versions(admin_client, other_client, acme_version):
    assert [v["id"] for v in admin_client.get("/api/v1/models").json()["results"]] == [
        acme_version.pk
    ]
    assert other_client.get("/api/v1/models").json()["results"] == []


def test_activating_another_organizations_version_is_404(other_client, acme_version):
    response = other_client.post(f"/api/v1/models/{acme_version.pk}/activate")
    assert response.status_code == 404
    acme_version.refresh_from_db()
    assert acme_version.status == "training"


def test_predicting_with_another_organizations_version_is_404(other_client, acme_version):
    response = other_client.post("/api/v1/tasks/finance.transaction-category/predict",
                                 {"inputs": ["x"], "model_version": acme_version.pk},
                                 format="json")
    assert response.status_code == 404


def test_audit_log_shows_only_own_events(admin_client, other_client, organization):
    audit_record(organization=organization, actor=Actor.system(), action="secret.acme")
    own = [e["action"] for e in admin_client.get("/api/v1/audit-events").json()["results"]]
    other = [e["action"] for e in other_client.get("/api/v1/audit-events").json()["results"]]
    assert "secret.acme" in own
    assert "secret.acme" not in other


def test_revoking_another_organizations_key_is_404(admin_client, other_client):
    acme_key = admin_client.issued_key.api_key
    assert other_client.delete(f"/api/v1/api-keys/{acme_key.pk}").status_code == 404
    acme_key.refresh_from_db()
    assert acme_key.revoked_at is None


def test_api_key_list_never_shows_other_organizations(admin_client, other_client):
    names = {k["prefix"] for k in other_client.get("/api/v1/api-keys").json()["results"]}
    assert admin_client.issued_key.api_key.prefix not in names


def test_task_list_shows_active_version_of_own_organization_only(other_client, acme_version):
    from slm_platform.registry.models import ModelVersion

    ModelVersion.objects.filter(pk=acme_version.pk).update(status="active")
    tasks = {t["slug"]: t for t in other_client.get("/api/v1/tasks").json()}
    assert tasks["finance.transaction-category"]["active_version"] is None

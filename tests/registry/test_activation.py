import pytest

from slm_platform.audit.models import AuditEvent
from slm_platform.audit.services import Actor
from slm_platform.registry.models import ModelVersion, VersionStatus
from slm_platform.registry.services import model_version_activate, model_version_create

pytestmark = pytest.mark.django_db
TASK = "finance.transaction-category"


def _version(organization, status=VersionStatus.READY):
    version = model_version_create(organization=organization, task_slug=TASK,
                                   base_model="tiny-random-bert", source="test",
                                   training_config={}, actor=Actor.system())
    ModelVersion.objects.filter(pk=version.pk).update(status=status)
    version.refresh_from_db()
    return version


def test_versions_are_numbered_per_task_and_organization(organization, other_organization):
    assert [_version(organization).version for _ in range(3)] == [1, 2, 3]
    assert _version(other_organization).version == 1


def test_activation_keeps_one_active_version_and_is_audited(admin_client, organization):
    first, second = _version(organization), _version(organization)
    assert admin_client.post(f"/api/v1/models/{first.pk}/activate").status_code == 200
    response = admin_client.post(f"/api/v1/models/{second.pk}/activate")

    assert response.json()["status"] == "active"
    first.refresh_from_db()
    assert first.status == VersionStatus.READY
    event = AuditEvent.objects.filter(action="model.activate").first()
    assert event.data == {"task": TASK, "version": 2, "previous_version": 1}
    assert event.actor_api_key == admin_client.issued_key.api_key


def test_rollback_is_activating_the_previous_version(organization):
    first, second = _version(organization), _version(organization)
    model_version_activate(version=first, actor=Actor.system())
    model_version_activate(version=second, actor=Actor.system())
    model_version_activate(version=first, actor=Actor.system())
    active = ModelVersion.objects.filter(organization=organization, status="active")
    assert list(active) == [first]


@pytest.mark.parametrize("status", [VersionStatus.TRAINING, VersionStatus.FAILED])
def test_unready_versions_cannot_be_activated(admin_client, organization, status):
    version = _version(organization, status)
    response = admin_client.post(f"/api/v1/models/{version.pk}/activate")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "version_not_ready"


def test_members_cannot_activate(member_client, organization):
    version = _version(organization)
    assert member_client.post(f"/api/v1/models/{version.pk}/activate").status_code == 403
    version.refresh_from_db()
    assert version.status == VersionStatus.READY


def test_the_database_refuses_two_active_versions(organization):
    from django.db import IntegrityError, transaction

    _version(organization, VersionStatus.ACTIVE)
    with pytest.raises(IntegrityError), transaction.atomic():
        _version(organization, VersionStatus.ACTIVE)


def test_archive_a_ready_version_and_reactivate_it_later(admin_client, organization):
    version = _version(organization)
    response = admin_client.post(f"/api/v1/models/{version.pk}/archive")
    assert response.status_code == 200 and response.json()["status"] == "archived"
    assert admin_client.post(f"/api/v1/models/{version.pk}/archive").status_code == 409
    assert admin_client.post(f"/api/v1/models/{version.pk}/activate").json()["status"] == "active"
    assert admin_client.post(f"/api/v1/models/{version.pk}/archive").status_code == 409

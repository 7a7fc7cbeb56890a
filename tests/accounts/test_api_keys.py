import pytest
from django.core.management import call_command

from slm_platform.accounts.keys import key_hash
from slm_platform.accounts.models import ApiKey
from slm_platform.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_created_key_is_shown_once_and_stored_hashed(admin_client):
    created = admin_client.post("/api/v1/api-keys", {"name": "ci"}, format="json")
    assert created.status_code == 201
    key = created.json()["key"]
    stored = ApiKey.objects.get(pk=created.json()["id"])
    assert stored.key_hash == key_hash(key)
    assert key not in str(ApiKey.objects.filter(pk=stored.pk).values().first())
    listed = admin_client.get("/api/v1/api-keys").json()["results"]
    assert all("key" not in item for item in listed)


def test_key_creation_and_revocation_are_audited(admin_client):
    created = admin_client.post("/api/v1/api-keys", {"name": "ci"}, format="json").json()
    admin_client.delete(f"/api/v1/api-keys/{created['id']}")
    actions = list(AuditEvent.objects.filter(object_id=str(created["id"]))
                   .values_list("action", flat=True))
    assert sorted(actions) == ["api_key.create", "api_key.revoke"]
    assert created["key"] not in str(list(AuditEvent.objects.values()))


def test_a_member_cannot_revoke_an_admins_key(admin_client, member_client, other_client):
    admin_key = admin_client.issued_key.api_key
    # The key is of the caller's organization: refused (403), not hidden.
    assert member_client.delete(f"/api/v1/api-keys/{admin_key.pk}").status_code == 403
    # Another organization's key: 404, as for a key that does not exist.
    assert other_client.delete(f"/api/v1/api-keys/{admin_key.pk}").status_code == 404
    admin_key.refresh_from_db()
    assert admin_key.revoked_at is None


def test_key_name_is_required(admin_client):
    response = admin_client.post("/api/v1/api-keys", {}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()["error"]["details"]["fields"]


def test_create_api_key_command_prints_a_working_key(admin_membership, client, capsys):
    call_command("create_api_key", "--user", admin_membership.user.username)
    key = capsys.readouterr().out.strip()
    response = client.get("/api/v1/tasks", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200


def test_create_api_key_command_rejects_unknown_user(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no user named"):
        call_command("create_api_key", "--user", "ghost")

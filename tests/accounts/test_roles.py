"""Roles and API keys through the API: a key's role never exceeds its creator's, narrows what a
request may do, and a demoted holder's keys narrow with them; expiry and revocation hold from
the next request; every authenticated request is logged with its key; admins set members'
roles; the migration makes the former members analysts."""

import datetime
import json
import logging

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from slm_platform.accounts.models import ApiKey, Membership
from slm_platform.accounts.services import api_key_create, member_create
from slm_platform.audit.models import AuditEvent
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
KEYS = "/api/v1/api-keys"


def _bearer(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_a_key_does_only_what_its_role_may(admin_client):
    created = admin_client.post(KEYS, {"name": "dashboards", "role": "auditor"}, format="json")
    assert created.status_code == 201 and created.json()["role"] == "auditor"
    auditor = _bearer(created.json()["key"])
    assert auditor.get("/api/v1/audit/verify").status_code == 200
    refused = auditor.get("/api/v1/tasks")
    assert refused.status_code == 403
    assert refused.json()["error"]["message"] == (
        "this needs the 'models.read' capability, which this API key's role (auditor) does not have"
    )
    assert admin_client.get("/api/v1/tasks").status_code == 200


def test_a_key_never_has_more_than_its_creator(member_client):
    for role in ("admin", "ml_engineer", "auditor"):
        response = member_client.post(KEYS, {"name": "more", "role": role}, format="json")
        assert response.status_code == 400, role
        assert response.json()["error"]["details"] == {"field": "role"}
    response = member_client.post(KEYS, {"name": "x", "role": "owner"}, format="json")
    assert response.status_code == 400 and "role" in response.json()["error"]["details"]["fields"]
    assert not ApiKey.objects.filter(name__in=["more", "x"]).exists()
    same = member_client.post(KEYS, {"name": "laptop"}, format="json").json()
    assert same["role"] == "analyst"


def test_a_key_made_with_a_key_is_no_more_than_that_key(admin_client):
    analyst = _bearer(
        admin_client.post(KEYS, {"name": "a", "role": "analyst"}, format="json").json()["key"]
    )
    assert analyst.post(KEYS, {"name": "b", "role": "admin"}, format="json").status_code == 400
    made = analyst.post(KEYS, {"name": "c"}, format="json")
    assert made.status_code == 201 and made.json()["role"] == "analyst"


def test_a_demoted_members_keys_narrow_at_once(organization, admin_membership):
    second = member_create(
        organization=organization, username="dora", password="a-long-test-password", role="admin"
    )
    client = client_for(second)
    assert client.get("/api/v1/audit-events").status_code == 200
    Membership.objects.filter(pk=second.pk).update(role="analyst")
    response = client.get("/api/v1/audit-events")
    assert response.status_code == 403
    assert "your role (analyst)" in response.json()["error"]["message"]


def test_an_expired_key_is_refused_with_a_clear_message(admin_membership):
    issued = api_key_create(
        membership=admin_membership,
        name="short-lived",
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )
    client = _bearer(issued.key)
    assert client.get("/api/v1/tasks").status_code == 200
    ApiKey.objects.filter(pk=issued.api_key.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get("/api/v1/tasks")
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["code"] == "api_key_expired" and "expired at" in error["message"]


def test_an_expiry_in_the_past_is_refused_naming_the_field(admin_client):
    response = admin_client.post(
        KEYS, {"name": "old", "expires_at": "2020-01-01T00:00:00Z"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"field": "expires_at"}
    response = admin_client.post(KEYS, {"name": "old", "expires_at": "soon"}, format="json")
    assert response.status_code == 400
    assert "expires_at" in response.json()["error"]["details"]["fields"]


def test_a_revoked_key_is_refused_from_the_next_request(admin_client):
    made = admin_client.post(KEYS, {"name": "leaked", "role": "analyst"}, format="json").json()
    leaked = _bearer(made["key"])
    assert leaked.get("/api/v1/tasks").status_code == 200
    assert admin_client.delete(f"{KEYS}/{made['id']}").status_code == 200
    response = leaked.get("/api/v1/tasks")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "api_key_revoked"


def test_every_request_is_logged_with_its_key_never_the_key_itself(admin_client, caplog):
    key = admin_client.issued_key
    with caplog.at_level(logging.INFO, logger="slm_platform.access"):
        admin_client.get("/api/v1/tasks")
        admin_client.get("/api/v1/audit-events")
    lines = [
        json.loads(record.getMessage())
        for record in caplog.records
        if record.name == "slm_platform.access"
    ]
    assert [(line["method"], line["path"], line["status"]) for line in lines] == [
        ("GET", "/api/v1/tasks", 200),
        ("GET", "/api/v1/audit-events", 200),
    ]
    assert {line["key"] for line in lines} == {key.api_key.prefix}
    assert {line["user"] for line in lines} == {"alice"}
    assert {line["key_role"] for line in lines} == {"admin"}
    assert key.key not in caplog.text
    key.api_key.refresh_from_db()
    assert key.api_key.last_used_at is not None


def test_admins_set_members_roles_through_the_api(
    admin_client, member_membership, member_client, organization
):
    listed = admin_client.get("/api/v1/members").json()["results"]
    assert {(row["username"], row["role"]) for row in listed} == {
        ("alice", "admin"),
        ("bob", "analyst"),
    }
    url = f"/api/v1/members/{member_membership.pk}"
    assert member_client.patch(url, {"role": "admin"}, format="json").status_code == 403
    for role in ("member", "owner"):
        refused = admin_client.patch(url, {"role": role}, format="json")
        assert refused.status_code == 400
        assert "role" in refused.json()["error"]["details"]["fields"]
    changed = admin_client.patch(url, {"role": "reviewer"}, format="json")
    assert changed.status_code == 200 and changed.json()["role"] == "reviewer"
    event = AuditEvent.objects.get(action="member.role_change")
    assert event.data["to"] == "reviewer" and event.actor_label.startswith("api_key:")
    # The key made as an analyst may now do only what both roles may: neither predict (the
    # holder's role no longer may) nor the inbox (the key's role may not); a new key may.
    assert member_client.get("/api/v1/handoffs").status_code == 403
    assert (
        member_client.post(
            "/api/v1/tasks/finance.transaction-category/predict", {"inputs": ["x"]}, format="json"
        ).status_code
        == 403
    )
    member_membership.refresh_from_db()
    assert client_for(member_membership).get("/api/v1/handoffs").status_code == 200


def test_the_command_gives_a_key_a_role_no_more_than_its_users(
    admin_membership, member_membership, capsys
):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    call_command("create_api_key", "--user", "alice", "--role", "auditor")
    key = capsys.readouterr().out.strip()
    assert ApiKey.objects.get(prefix=key.split("_")[1]).role == "auditor"
    with pytest.raises(CommandError, match="cannot have the admin role"):
        call_command("create_api_key", "--user", "bob", "--role", "admin")


@pytest.mark.django_db(transaction=True)
def test_the_migration_makes_members_analysts_and_keys_take_their_role():
    from django.db.migrations.executor import MigrationExecutor

    before = [("accounts", "0002_two_factor")]
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        organization = old.get_model("core", "Organization").objects.create(name="A", slug="a")
        users = old.get_model("auth", "User").objects
        memberships = old.get_model("accounts", "Membership").objects
        keys = old.get_model("accounts", "ApiKey").objects
        for username, role in (("ann", "admin"), ("max", "member")):
            user = users.create(username=username)
            memberships.create(organization=organization, user=user, role=role)
            keys.create(
                organization=organization,
                user=user,
                name=username,
                prefix=username,
                key_hash="0" * 64,
            )
    finally:
        MigrationExecutor(connection).migrate(latest)

    assert dict(Membership.objects.values_list("user__username", "role")) == {
        "ann": "admin",
        "max": "analyst",
    }
    assert dict(ApiKey.objects.values_list("prefix", "role")) == {"ann": "admin", "max": "analyst"}
    assert not ApiKey.objects.filter(expires_at__isnull=False).exists()

import pytest

from slm_platform.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"


def test_session_login_is_audited_and_opens_the_api(client, admin_membership):
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="auth.login")
    assert event.organization == admin_membership.organization
    assert event.actor_user == admin_membership.user
    assert client.get("/api/v1/tasks").status_code == 200
    assert client.get("/").status_code == 200


def test_failed_login_is_audited_without_the_password(client, admin_membership):
    response = client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.outcome == "denied"
    assert "wrong" not in str(event.data)


def test_passwords_are_hashed_with_argon2(admin_membership):
    assert admin_membership.user.password.startswith("argon2")


def test_session_api_writes_need_csrf(admin_membership):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(admin_membership.user)
    response = browser.post("/api/v1/api-keys", {"name": "x"}, content_type="application/json")
    assert response.status_code == 403

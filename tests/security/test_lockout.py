"""Login lockout through the real login form: repeated failures for one username from one
address lock that pair out (429, Retry-After, audited); a success clears the count."""

import time
from datetime import timedelta

import pytest
from django.test import Client, override_settings

from slm_platform.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"


def _login(browser: Client, password: str, username: str = "alice"):
    return browser.post("/accounts/login/", {"username": username, "password": password})


def test_five_failures_lock_the_username_and_address_out(admin_membership, client_ip):
    browser = Client(REMOTE_ADDR=client_ip)
    for _ in range(4):
        assert _login(browser, "wrong").status_code == 200
    response = _login(browser, "wrong")  # the fifth
    assert response.status_code == 429
    assert 14 * 60 < int(response["Retry-After"]) <= 15 * 60
    assert "try again in 15 minutes" in response.content.decode()

    # Now even the right password is refused, and the lockout does not restart.
    time.sleep(1.1)
    response = _login(browser, PASSWORD)
    assert response.status_code == 429
    assert int(response["Retry-After"]) < 15 * 60
    assert "_auth_user_id" not in browser.session

    lockouts = AuditEvent.objects.filter(action="auth.lockout")
    assert lockouts.count() == 1
    assert lockouts[0].outcome == "denied"
    assert lockouts[0].data["failures"] == 5
    assert lockouts[0].data["ip_address"] == client_ip
    assert lockouts[0].organization == admin_membership.organization

    # The lockout is per username and address: the same user elsewhere logs in.
    elsewhere = Client(REMOTE_ADDR="127.0.0.9")
    assert _login(elsewhere, PASSWORD).status_code == 302


def test_a_success_clears_the_failure_count(admin_membership, client_ip):
    browser = Client(REMOTE_ADDR=client_ip)
    for _ in range(4):
        _login(browser, "wrong")
    assert _login(browser, PASSWORD).status_code == 302
    browser.post("/accounts/logout/")
    for _ in range(4):
        assert _login(browser, "wrong").status_code == 200  # counting from zero again


@override_settings(AXES_COOLOFF_TIME=timedelta(seconds=2), AXES_FAILURE_LIMIT=2)
def test_the_lockout_ends_after_the_cool_off(admin_membership, client_ip):
    browser = Client(REMOTE_ADDR=client_ip)
    _login(browser, "wrong")
    assert _login(browser, "wrong").status_code == 429
    assert _login(browser, PASSWORD).status_code == 429
    time.sleep(2.2)
    assert _login(browser, PASSWORD).status_code == 302


def test_a_forwarded_for_header_cannot_dodge_the_lockout(admin_membership, client_ip):
    # No trusted proxy is configured: X-Forwarded-For is the client's own word.
    browser = Client(REMOTE_ADDR=client_ip)
    for attempt in range(5):
        browser.post("/accounts/login/", {"username": "alice", "password": "wrong"},
                      HTTP_X_FORWARDED_FOR=f"10.9.9.{attempt}")
    assert _login(browser, PASSWORD).status_code == 429


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_trusted_proxy_the_forwarded_address_counts(admin_membership, client_ip):
    proxy = Client(REMOTE_ADDR="127.0.0.2")
    for _ in range(5):
        proxy.post("/accounts/login/", {"username": "alice", "password": "wrong"},
                   HTTP_X_FORWARDED_FOR=f"203.0.113.7, {client_ip}")
    locked = proxy.post("/accounts/login/", {"username": "alice", "password": PASSWORD},
                        HTTP_X_FORWARDED_FOR=client_ip)
    assert locked.status_code == 429
    other_client = proxy.post("/accounts/login/", {"username": "alice", "password": PASSWORD},
                              HTTP_X_FORWARDED_FOR="127.0.0.3")
    assert other_client.status_code == 302


def test_the_admin_site_logs_in_through_the_platform_login(admin_membership):
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"


def test_passwords_are_stored_with_argon2_and_must_be_long(admin_membership):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    assert admin_membership.user.password.startswith("argon2$argon2id$")
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("Xk9#mq2!vR")

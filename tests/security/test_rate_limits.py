"""Rate limits per API key and per client address on predict, uploads and the login form:
429 with Retry-After and the platform's error shape, counted in the shared Redis."""

import io
import math
import time

import pytest
from django.test import Client, override_settings
from rest_framework.test import APIClient

from slm_platform.accounts.services import api_key_create
from tests.security.conftest import away_from_window_end, loopback_address

pytestmark = pytest.mark.django_db
PREDICT = "/api/v1/tasks/finance.transaction-category/predict"
BODY = {"inputs": ["UBER *TRIP HELP.UBER.COM"]}


def _key_client(membership, ip: str, key: str | None = None) -> APIClient:
    """A client from address `ip` with `key`, or with a new key of `membership`."""
    key = key or api_key_create(membership=membership, name="rate-limit test").key
    client = APIClient(REMOTE_ADDR=ip)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    client.key = key
    return client


def _assert_rate_limited(response, period_seconds: int = 60) -> None:
    assert response.status_code == 429, response.content
    retry_after = int(response["Retry-After"])
    expected = math.ceil(period_seconds - time.time() % period_seconds)
    assert abs(retry_after - expected) <= 1
    assert response.json() == {"error": {
        "code": "rate_limited", "message": f"too many requests: retry in {retry_after} s",
        "details": {"retry_after": retry_after}}}


@override_settings(RATE_LIMITS={"predict_key": "3/min", "predict_ip": "100/min"})
def test_each_api_key_has_its_own_predict_budget(admin_membership, client_ip):
    first, second = (_key_client(admin_membership, client_ip) for _ in range(2))
    away_from_window_end()
    # Within the limit the request reaches predict, which has no model here (409).
    for _ in range(3):
        assert first.post(PREDICT, BODY, format="json").status_code == 409
    _assert_rate_limited(first.post(PREDICT, BODY, format="json"))
    # Another key of the same organization, from the same address, is not held back.
    assert second.post(PREDICT, BODY, format="json").status_code == 409


@override_settings(RATE_LIMITS={"predict_key": "100/min", "predict_ip": "4/min"})
def test_the_address_limit_counts_across_keys(admin_membership, member_membership, client_ip):
    clients = [_key_client(admin_membership, client_ip),
               _key_client(member_membership, client_ip)]
    away_from_window_end()
    for attempt in range(4):
        assert clients[attempt % 2].post(PREDICT, BODY, format="json").status_code == 409
    _assert_rate_limited(clients[0].post(PREDICT, BODY, format="json"))
    _assert_rate_limited(clients[1].post(PREDICT, BODY, format="json"))
    # The same key from another address still has budget.
    other_address = _key_client(admin_membership, loopback_address(), key=clients[0].key)
    assert other_address.post(PREDICT, BODY, format="json").status_code == 409


@override_settings(RATE_LIMITS={"upload_key": "2/min", "upload_ip": "100/min"})
def test_job_and_dataset_uploads_are_limited_per_key(admin_membership, client_ip):
    client = _key_client(admin_membership, client_ip)
    away_from_window_end()

    def upload(path: str):
        upload_file = io.BytesIO(b"text\nUBER TRIP\n")
        upload_file.name = "rows.csv"
        return client.post(path, {"task": "finance.transaction-category",
                                  "file": upload_file}, format="multipart")

    # Uploads share one "upload" budget per key: two pass (whatever their outcome), the third
    # is refused before its body is read.
    assert upload("/api/v1/jobs").status_code != 429
    assert upload("/api/v1/datasets").status_code != 429
    _assert_rate_limited(upload("/api/v1/jobs"))
    # Listing is not an upload.
    assert client.get("/api/v1/jobs").status_code == 200


@override_settings(RATE_LIMITS={"login_ip": "3/min"})
def test_the_login_form_is_limited_per_address(admin_membership, client_ip):
    browser = Client(REMOTE_ADDR=client_ip)
    away_from_window_end()
    for username in ("nobody", "someone", "alice"):  # different usernames: no lockout
        assert browser.post("/accounts/login/", {"username": username,
                                                 "password": "wrong"}).status_code == 200
    response = browser.post("/accounts/login/", {"username": "alice",
                                                 "password": "a-long-test-password"})
    assert response.status_code == 429
    retry_after = int(response["Retry-After"])
    assert 0 < retry_after <= 60
    assert "Too many login attempts from this address" in response.content.decode()
    assert "_auth_user_id" not in browser.session


@override_settings(RATE_LIMITS={"predict_key": "2/min", "predict_ip": "100/min",
                                "upload_key": "1/min", "upload_ip": "100/min"})
def test_the_dashboard_counts_against_the_users_budget(admin_membership, client_ip):
    from slm_platform.core.security import rate_limit_reset

    user = admin_membership.user
    browser = Client(REMOTE_ADDR=client_ip)
    browser.force_login(user)
    away_from_window_end()
    for scope in ("predict", "upload"):  # user ids repeat across tests' databases
        rate_limit_reset(scope=scope, kind="key", ident=f"user-{user.pk}")
    try_it = "/try/finance.transaction-category/predict"
    for _ in range(2):
        assert browser.post(try_it, {"text": "UBER TRIP"}).status_code == 200
    refused = browser.post(try_it, {"text": "UBER TRIP"})
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 60
    # The same user through the API with the session: one budget.
    assert browser.post(PREDICT, BODY, content_type="application/json").status_code == 429
    # Uploads have a budget of their own.
    assert browser.post("/jobs/upload", {}).status_code != 429
    assert browser.post("/jobs/upload", {}).status_code == 429


def test_default_limits_leave_ordinary_use_alone(admin_client):
    # The shipped rates are high enough for the test suite and the benchmarks.
    for _ in range(20):
        assert admin_client.post(PREDICT, BODY, format="json").status_code == 409

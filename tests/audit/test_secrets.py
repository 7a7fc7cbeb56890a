"""No secret reaches an audit row: API keys, webhook secrets, passwords and SECRET_KEY stay out
of every event written while keys are issued and revoked, secrets rotated, users log in."""

import json

import pytest
from django.conf import settings
from django.test import Client

from slm_platform.accounts.models import ApiKey
from slm_platform.audit.models import AuditEvent
from slm_platform.audit.redaction import REDACTED, data_redact
from slm_platform.audit.services import Actor, audit_record
from slm_platform.jobs.models import OrganizationWebhook

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"
URL_PASSWORD = "hook-pa55word-8c1e"


def _row_text(event: AuditEvent) -> str:
    return " ".join([event.actor_label, event.action, event.object_type, event.object_id,
                     event.outcome, json.dumps(event.data, ensure_ascii=False)])


def test_no_secret_value_appears_in_any_audit_row(settings, admin_client, admin_membership,
                                                  organization):
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    secrets = {admin_client.issued_key.key, settings.SECRET_KEY, PASSWORD, URL_PASSWORD}

    created = admin_client.post("/api/v1/api-keys", {"name": "ci"}, format="json").json()
    secrets.add(created["key"])
    assert admin_client.delete(f"/api/v1/api-keys/{created['id']}").status_code == 200
    for _ in range(2):
        rotated = admin_client.post("/api/v1/webhook/rotate-secret").json()
        secrets.add(rotated["secret"])
    secrets.add(OrganizationWebhook.objects.get(organization=organization).secret)
    configured = admin_client.put(
        "/api/v1/webhook", {"url": f"http://hooks:{URL_PASSWORD}@127.0.0.1:9/done"},
        format="json")
    assert configured.status_code == 200
    browser = Client()
    assert browser.post("/accounts/login/", {"username": "alice", "password": PASSWORD}
                        ).status_code == 302
    Client().post("/accounts/login/", {"username": "alice", "password": "wrong-" + PASSWORD})
    secrets.add("wrong-" + PASSWORD)
    secrets |= set(ApiKey.objects.values_list("key_hash", flat=True))

    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"api_key.create", "api_key.revoke", "webhook.rotate_secret", "webhook.configure",
            "auth.login", "auth.login_failed"} <= actions
    for event in AuditEvent.objects.all():
        text = _row_text(event)
        for secret in secrets:
            assert secret not in text, (event.action, secret[:6])
    hook = AuditEvent.objects.get(action="webhook.configure")
    assert hook.data["url"] == f"http://hooks:{REDACTED}@127.0.0.1:9/done"


def test_secrets_a_caller_passes_by_mistake_are_redacted_before_hashing(organization):
    key = "slm_0a1b2c3d_" + "x" * 40
    event = audit_record(organization=organization, actor=Actor.system(), action="oops", data={
        "password": "hunter2-hunter2", "webhook_secret": "abc", "tokens": 3, "max_tokens": 9,
        "tokenizer": "bert-base", "note": f"called with {key} and Bearer abcdefgh12345678",
        "hook": ["whsec_" + "y" * 30, settings.SECRET_KEY],
    })
    stored = AuditEvent.objects.get(pk=event.pk).data
    assert stored == {
        "password": REDACTED, "webhook_secret": REDACTED, "tokens": 3, "max_tokens": 9,
        "tokenizer": "bert-base",
        "note": f"called with slm_0a1b2c3d_{REDACTED} and Bearer {REDACTED}",
        "hook": [f"whsec_{REDACTED}", REDACTED],
    }


@pytest.mark.parametrize("value", [
    {"url": "https://example.org/a:b@c"}, {"sha256": "ab" * 32}, {"prefix": "0a1b2c3d"},
    {"text": "a basic model, token count 4"}, {"secret_rotated_at": "2026-01-01"},
])
def test_ordinary_values_are_left_alone(value):
    assert data_redact(value) == value

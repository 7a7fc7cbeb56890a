"""Predict through REST → realtime queue → a real Celery worker running a real trained model."""

import hashlib
import json

import pytest

from slm_platform.audit.models import AuditEvent
from tasks_finance.transaction_category.labels import CATEGORIES

PREDICT = "/api/v1/tasks/finance.transaction-category/predict"
pytestmark = pytest.mark.django_db(transaction=True)


def test_predict_answers_from_the_worker_with_every_class_score(admin_client, trained_model):
    inputs = ["UBER *TRIP HELP.UBER.COM", "POS 4411 SHELL OIL 5744"]
    response = admin_client.post(PREDICT, {"inputs": inputs}, format="json")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["task"] == "finance.transaction-category"
    assert body["model_version"] == trained_model.name
    assert len(body["predictions"]) == 2
    for prediction in body["predictions"]:
        assert prediction["label"] in CATEGORIES
        assert set(prediction["scores"]) == set(CATEGORIES)
        assert sum(prediction["scores"].values()) == pytest.approx(1.0, abs=1e-3)
        assert prediction["score"] == max(prediction["scores"].values())


def test_predict_is_audited_with_a_hash_not_the_text(admin_client, trained_model):
    inputs = ["ACH DEPOSIT ACME CORP PAYROLL"]
    admin_client.post(PREDICT, {"inputs": inputs}, format="json")

    event = AuditEvent.objects.get(action="predict")
    assert event.organization_id == trained_model.organization_id
    assert event.actor_api_key_id == admin_client.issued_key.api_key.pk
    assert event.outcome == "success"
    assert event.latency_ms > 0
    assert event.data["task"] == "finance.transaction-category"
    assert event.data["model_version"] == trained_model.version
    assert event.data["inputs"] == 1
    digest = hashlib.sha256(json.dumps(inputs).encode()).hexdigest()
    assert event.data["inputs_sha256"] == digest
    assert "ACME" not in json.dumps(event.data)


def test_predict_with_a_named_version(admin_client, trained_model):
    response = admin_client.post(
        PREDICT, {"inputs": ["NETFLIX.COM"], "model_version": trained_model.pk}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["model_version_id"] == trained_model.pk


def test_unknown_model_version_is_404(admin_client, trained_model):
    response = admin_client.post(PREDICT, {"inputs": ["x"], "model_version": 999999},
                                 format="json")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "model_version_not_found"


def test_no_worker_gives_503_with_retry_after_at_once(admin_client, trained_model, settings):
    # A Redis database no worker announces itself in: the platform must not wait for a timeout.
    settings.REDIS_URL = settings.REDIS_URL.rsplit("/", 1)[0] + "/15"
    response = admin_client.post(PREDICT, {"inputs": ["UBER *TRIP"]}, format="json")

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "no_worker"
    assert int(response["Retry-After"]) > 0
    assert AuditEvent.objects.get(action="predict").outcome == "no_worker"


def test_worker_not_consuming_gives_503_after_the_timeout(admin_client, trained_model, settings):
    from slm_platform.celery import app

    settings.PREDICT_TIMEOUT_SECONDS = 1.5
    app.control.cancel_consumer("realtime", reply=True, timeout=5)
    try:
        response = admin_client.post(PREDICT, {"inputs": ["UBER *TRIP"]}, format="json")
    finally:
        app.control.add_consumer("realtime", reply=True, timeout=5)

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "timeout"
    assert "Retry-After" in response


def test_task_without_an_active_model_is_409(other_client):
    response = other_client.post(PREDICT, {"inputs": ["UBER *TRIP"]}, format="json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "no_active_model"


def test_refused_calls_are_audited_too(admin_client):
    admin_client.post(PREDICT, {"inputs": ["ok", 7]}, format="json")
    event = AuditEvent.objects.get(action="predict")
    assert event.outcome == "validation_error"
    assert event.data["inputs"] == 2
    assert event.data["inputs_sha256"] is None

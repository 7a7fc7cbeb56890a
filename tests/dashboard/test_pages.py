"""The dashboard's pages through Django's test client: who may see and do what (checked on the
server), the pictures drawn from a version's stored metrics, activation and roll-back, and
pages that keep their query count flat as versions pile up."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from slm_platform.audit.services import Actor
from slm_platform.registry import services
from slm_platform.registry.models import ModelVersion

TASK = "finance.transaction-category"
LABELS = ["groceries", "transport", "dining"]
pytestmark = pytest.mark.django_db


def _metrics(accuracy: float) -> dict:
    per_label = {label: {"precision": accuracy, "recall": accuracy, "f1": accuracy,
                         "support": 10} for label in LABELS}
    bins = [{"low": 0.5, "high": 0.6, "count": 4, "accuracy": 0.5, "confidence": 0.55},
            {"low": 0.9, "high": 1.0, "count": 26, "accuracy": 0.96, "confidence": 0.97}]
    return {"test": {"examples": 30, "accuracy": accuracy, "macro_f1": accuracy,
                     "per_label": per_label,
                     "confusion_matrix": {"labels": LABELS,
                                          "matrix": [[9, 1, 0], [0, 10, 0], [2, 0, 8]]},
                     "calibration": {"calibrated": {"ece": 0.031, "bins": bins}}},
            "training": {"history": [
                {"epoch": 1, "train_loss": 1.2, "validation_loss": 0.9},
                {"epoch": 2, "train_loss": 0.6, "validation_loss": 0.5}]}}


def _version(organization, accuracy: float = 0.9, *, active: bool = False) -> ModelVersion:
    version = services.model_version_create(
        organization=organization, task_slug=TASK, base_model="all-MiniLM-L6-v2",
        source="training", training_config={}, actor=Actor.system())
    services.model_version_mark_ready(version=version, artifact_path=f"models/{version.pk}",
                                      metrics=_metrics(accuracy), training_config={})
    if active:
        services.model_version_activate(version=version, actor=Actor.system())
    version.refresh_from_db()
    return version


def test_anonymous_visitors_are_sent_to_the_login(client):
    for path in ("/", "/tasks/", f"/tasks/{TASK}/", "/try/"):
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_overview_shows_queues_jobs_models_and_refreshes_itself(member, organization):
    version = _version(organization, active=True)
    page = member.get("/").content.decode()
    for queue in ("realtime queue", "bulk queue", "training queue"):
        assert queue in page
    assert version.name in page
    assert 'hx-trigger="every 5s"' in page
    fragment = member.get("/", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and version.name in fragment


def test_a_version_page_draws_its_confusion_matrix_calibration_and_loss(member, organization):
    version = _version(organization)
    page = member.get(f"/models/{version.pk}/").content.decode()
    assert "Confusion matrix" in page
    assert "true dining, predicted groceries: 2 (20% of dining)" in page
    assert page.count("<rect") >= 9 + 2  # nine cells and the calibration's count bars
    assert "Expected calibration error 0.031" in page
    assert "training loss" in page and "validation loss" in page
    assert "<script" not in page.split("</head>", 1)[1]  # no inline script in the body


def test_another_organizations_version_is_a_404(member, other_organization):
    version = _version(other_organization)
    assert member.get(f"/models/{version.pk}/").status_code == 404
    assert member.get("/tasks/no.such-task/").status_code == 404


def test_only_an_admin_activates_and_rolls_back(admin, member, organization):
    first = _version(organization, 0.8, active=True)
    second = _version(organization, 0.9)
    refused = member.post(f"/models/{second.pk}/activate")
    assert refused.status_code == 403
    response = admin.post(f"/models/{second.pk}/activate", follow=True)
    assert response.status_code == 200
    assert f"{second.name} is now active." in response.content.decode()
    second.refresh_from_db()
    assert second.status == "active"
    response = admin.post(f"/tasks/{TASK}/rollback", follow=True)
    assert f"Rolled back: {first.name} is active again." in response.content.decode()
    first.refresh_from_db()
    assert first.status == "active"


def test_nothing_to_roll_back_is_said_not_raised(admin, organization):
    _version(organization, active=True)
    response = admin.post(f"/tasks/{TASK}/rollback", follow=True)
    assert response.status_code == 200
    assert "no earlier active version" in response.content.decode()


def test_pages_keep_their_query_count_as_versions_pile_up(member, organization):
    _version(organization, active=True)
    counts = []
    for extra in (0, 20):
        for _ in range(extra):
            _version(organization)
        with CaptureQueriesContext(connection) as queries:
            for path in ("/", "/tasks/", f"/tasks/{TASK}/"):
                assert member.get(path).status_code == 200
        counts.append(len(queries))
    assert counts[1] == counts[0], counts

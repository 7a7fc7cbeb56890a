import pytest

from slm_platform.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _create(client, **body):
    return client.post("/api/v1/tasks", {"slug": "support-intents", "kind": "classification",
                                         **body}, format="json")


def test_a_custom_task_is_listed_like_a_built_in_one(admin_client, other_client):
    created = _create(admin_client, labels=["refund", "delivery"], description="Our desk")
    assert created.status_code == 201
    assert created.json()["labels_fixed"] is True
    tasks = {t["slug"]: t for t in admin_client.get("/api/v1/tasks").json()}
    assert tasks["support-intents"]["custom"] is True
    assert tasks["support-intents"]["labels"] == ["refund", "delivery"]
    assert "finance.transaction-category" in tasks
    assert "support-intents" not in {t["slug"] for t in other_client.get("/api/v1/tasks").json()}
    assert AuditEvent.objects.filter(action="task.create").count() == 1


def test_labels_may_come_later_from_the_first_dataset(admin_client):
    created = _create(admin_client)
    assert created.json()["labels"] == []
    assert created.json()["labels_fixed"] is False


def test_predict_on_a_custom_task_without_a_model_is_409(admin_client):
    _create(admin_client, labels=["a", "b"])
    response = admin_client.post("/api/v1/tasks/support-intents/predict", {"inputs": ["hi"]},
                                 format="json")
    assert response.status_code == 409


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"slug": "finance.transaction-category"}, 409, "slug"),
        ({"slug": "Bad Slug!"}, 400, "slug"),
        ({"kind": "chat"}, 400, "kind"),
        ({"labels": ["only-one"]}, 400, "labels"),
        ({"labels": ["a", "a"]}, 400, "labels"),
        ({"labels": "a,b"}, 400, "labels"),
    ],
)
def test_bad_custom_tasks_are_refused_naming_the_field(admin_client, body, status, field):
    response = _create(admin_client, **body)
    assert response.status_code == status, response.content
    details = response.json()["error"]["details"]
    assert details.get("field") == field or field in details.get("fields", {})


def test_the_same_slug_twice_is_409(admin_client):
    _create(admin_client, labels=["a", "b"])
    assert _create(admin_client, labels=["a", "b"]).status_code == 409

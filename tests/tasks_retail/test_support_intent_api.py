"""retail.support-intent through the API with a real worker: the organization's starter model
(tiny preset, trained by the training worker) answers predict and bulk jobs."""

import csv
import io

import pytest

from tasks_retail.support_intent.labels import INTENTS
from tests.conftest import wait_for_active_version
from tests.jobs.helpers import content, upload, wait_for_job

TASK = "retail.support-intent"
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def support_model(trained_model):
    return wait_for_active_version(trained_model.organization, TASK)


def test_predict_answers_with_an_intent_and_every_intents_score(admin_client, support_model):
    inputs = ["where is my order #A0347831? it was due on monday",
              "I want to speak to a real person please"]
    response = admin_client.post(f"/api/v1/tasks/{TASK}/predict", {"inputs": inputs},
                                 format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["model_version"] == support_model.name
    assert len(body["predictions"]) == 2
    for prediction in body["predictions"]:
        assert prediction["label"] in INTENTS
        assert set(prediction["scores"]) == set(INTENTS)
    assert support_model.metrics["test"]["examples"] == 600
    assert set(support_model.metrics["test_slices"]) == {"test_seen_slot_values",
                                                         "test_unseen_slot_values"}


def test_a_text_export_of_messages_is_predicted_one_message_per_line(admin_client,
                                                                      support_model):
    messages = ["pls cancel my order, wrong size", "", "my parcel never arrived",
                "can i pay with paypal?"]
    job = upload(admin_client, {"messages.txt": "\n".join(messages).encode()}, task=TASK)
    assert job.status_code == 202, job.content
    finished = wait_for_job(admin_client, job.json()["id"])
    assert finished["status"] == "succeeded"
    assert finished["progress"]["total"] == 3  # the blank line is no message
    results = admin_client.get(f"/api/v1/jobs/{finished['id']}/results?format=csv")
    rows = list(csv.DictReader(io.StringIO(content(results).decode("utf-8-sig"))))
    assert [row["text"] for row in rows] == [m for m in messages if m]
    assert all(row["predicted_label"] in INTENTS for row in rows)
    assert all(row["model_version"] == support_model.name for row in rows)

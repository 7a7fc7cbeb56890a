"""Fine-tuning from the user's own data through the API, answered by a real worker and the
real MiniLM encoder on a small dataset; compare, gate, activate, roll back."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from slm_platform.audit.models import AuditEvent
from slm_platform.registry.models import ModelVersion
from slm_platform.registry.storage import artifact_local_dir
from tests.polling import wait_for_status
from tests.workers import kill_pool_processes

pytestmark = pytest.mark.django_db(transaction=True)
PHRASES = {
    "refund": ["I want my money back for order {}", "refund order {} please",
               "please return the money for {}", "how do I get a refund on {}"],
    "delivery": ["where is my parcel {}", "my package {} has not arrived",
                 "track shipment {}", "delivery of {} is late"],
    "cancel": ["cancel order {}", "I no longer want order {}", "stop my order {}",
               "please cancel {} now"],
}
QUICK = {"epochs": 1, "max_length": 16, "batch_size": 16}


def intents_csv(per_phrase: int = 5) -> bytes:
    rows = ["text,label"]
    for label, phrases in PHRASES.items():
        rows += [f"{phrase.format(i * 7 + 3)},{label}" for phrase in phrases
                 for i in range(per_phrase)]
    return ("\n".join(rows) + "\n").encode()


def wait_for_run(client, run_id: int, *, until=("succeeded", "failed", "cancelled"),
                 timeout: float = 240) -> dict:
    return wait_for_status(client, f"/api/v1/training-runs/{run_id}", until=until,
                           timeout=timeout, interval=0.3)


@pytest.fixture
def dataset(admin_client, celery_worker):
    admin_client.post("/api/v1/tasks", {"slug": "support-intents", "kind": "classification"},
                      format="json")
    file = SimpleUploadedFile("intents.csv", intents_csv())
    response = admin_client.post("/api/v1/datasets", {"file": file, "task": "support-intents"},
                                 format="multipart")
    assert response.status_code == 201, response.content
    return response.json()


def start(client, dataset, **body):
    response = client.post("/api/v1/training-runs", {"task": "support-intents",
                                                     "dataset": dataset["id"], **body},
                           format="json")
    assert response.status_code == 201, response.content
    return response.json()


def test_fast_recipe_trains_evaluates_and_registers_with_lineage(admin_client, dataset):
    run = wait_for_run(admin_client, start(admin_client, dataset, recipe="fast")["id"])
    assert run["status"] == "succeeded", run["error"]
    assert run["split"]["source"] == "generated"
    assert sum(run["split"]["counts"].values()) == dataset["row_count"]
    version = admin_client.get(f"/api/v1/models/{run['model_version']['id']}").json()
    assert version["status"] == "ready"
    test = version["metrics"]["test"]
    assert {"accuracy", "macro_f1", "micro_f1", "per_label", "confusion_matrix",
            "calibration"} <= set(test)
    assert test["calibration"]["temperature"] > 0
    lineage = version["lineage"]
    assert lineage["dataset_sha256"] == dataset["content_sha256"]
    assert lineage["recipe"] == "fast" and lineage["seed"] == 13
    assert lineage["code_version"] and lineage["hardware"]["cpu_count"] >= 1


def test_full_recipe_reports_progress_and_serves_predictions(admin_client, dataset):
    run = wait_for_run(admin_client, start(admin_client, dataset, hyperparameters=QUICK)["id"])
    assert run["status"] == "succeeded", run["error"]
    assert run["progress"]["loss_curve"]
    assert run["progress"]["step"] == run["progress"]["total_steps"]
    version_id = run["model_version"]["id"]
    # The run exported the ONNX graph into the stored artifact before anything served it.
    serving = admin_client.get(f"/api/v1/models/{version_id}").json()["metrics"]["serving"]
    assert serving["engine"] == "onnx" and serving["precision"] == "fp32"  # too few to judge
    stored = artifact_local_dir(name=ModelVersion.objects.get(pk=version_id).artifact_path)
    assert (stored / "onnx" / "model.fp32.onnx").exists()
    response = admin_client.post("/api/v1/tasks/support-intents/predict",
                                 {"inputs": ["where is my parcel 12"],
                                  "model_version": version_id}, format="json")
    assert response.status_code == 200, response.content
    assert set(response.json()["predictions"][0]["scores"]) == set(PHRASES)


def start_long_run_and_wait_for_steps(client, dataset) -> dict:
    """A run far too long to finish during the test, once it has taken two steps."""
    run = start(client, dataset, hyperparameters={"epochs": 50, "max_length": 16,
                                                  "batch_size": 4, "patience": 50})
    deadline = time.monotonic() + 120
    while client.get(f"/api/v1/training-runs/{run['id']}").json()["progress"].get(
            "step", 0) < 2:
        assert time.monotonic() < deadline
        time.sleep(0.2)
    return run


def test_cancel_mid_run_leaves_nothing_registered(admin_client, dataset):
    run = start_long_run_and_wait_for_steps(admin_client, dataset)
    assert admin_client.post(f"/api/v1/training-runs/{run['id']}/cancel").status_code == 200
    finished = wait_for_run(admin_client, run["id"], timeout=60)
    assert finished["status"] == "cancelled"
    version = ModelVersion.objects.get(pk=run["model_version"]["id"])
    assert version.status == "cancelled" and version.artifact_path == ""
    again = admin_client.post(f"/api/v1/training-runs/{run['id']}/cancel")
    assert again.status_code == 409


def test_a_killed_training_process_fails_its_run(admin_client, dataset, celery_worker):
    run = start_long_run_and_wait_for_steps(admin_client, dataset)
    kill_pool_processes(celery_worker)
    finished = wait_for_run(admin_client, run["id"], timeout=60)
    assert finished["status"] == "failed"
    assert "training process stopped at step" in finished["error"]
    version = ModelVersion.objects.get(pk=run["model_version"]["id"])
    assert version.status == "failed" and version.artifact_path == ""


def test_compare_gate_activate_and_roll_back(admin_client, dataset):
    fast = wait_for_run(admin_client, start(admin_client, dataset, recipe="fast")["id"])
    full = wait_for_run(admin_client, start(admin_client, dataset, hyperparameters=QUICK)["id"])
    fast_id, full_id = fast["model_version"]["id"], full["model_version"]["id"]
    assert admin_client.post(f"/api/v1/models/{fast_id}/activate").status_code == 200

    comparison = admin_client.get(f"/api/v1/models/{full_id}/compare?against=active").json()
    assert comparison["baseline"]["id"] == fast_id
    assert set(comparison["per_label"]) == set(PHRASES)
    macro = comparison["metrics"]["macro_f1"]
    worst = min(row["delta"] for row in comparison["per_label"].values())

    gated = admin_client.post(f"/api/v1/models/{full_id}/activate",
                              {"gate": {"max_label_f1_drop": 0.0}}, format="json")
    if macro["delta"] < 0 or worst < 0:
        assert gated.status_code == 409
        assert gated.json()["error"]["code"] == "gate_refused"
        gated = admin_client.post(f"/api/v1/models/{full_id}/activate")
    assert gated.status_code == 200
    assert gated.json()["status"] == "active"

    rolled = admin_client.post("/api/v1/tasks/support-intents/rollback")
    assert rolled.status_code == 200
    assert rolled.json()["id"] == fast_id
    history = admin_client.get("/api/v1/tasks/support-intents/activations").json()["results"]
    assert [h["kind"] for h in history] == ["rollback", "activate", "activate"]
    assert AuditEvent.objects.filter(action="model.rollback").count() == 1


def test_compare_with_a_version_tested_elsewhere_evaluates_it_on_a_worker(
        admin_client, celery_worker, trained_model):
    from tasks_finance.transaction_category.starter_data import generate_examples

    rows = "\n".join(f'"{text}",{label}' for text, label in generate_examples(150, seed=99))
    file = SimpleUploadedFile("mine.csv", f"text,label\n{rows}\n".encode())
    dataset = admin_client.post("/api/v1/datasets", {"file": file,
                                                     "task": "finance.transaction-category"},
                                format="multipart").json()
    run = admin_client.post("/api/v1/training-runs", {"task": "finance.transaction-category",
                                                      "dataset": dataset["id"],
                                                      "recipe": "fast"}, format="json").json()
    run = wait_for_run(admin_client, run["id"])
    assert run["status"] == "succeeded", run["error"]

    comparison = admin_client.get(f"/api/v1/models/{run['model_version']['id']}/compare"
                                  "?against=active")
    assert comparison.status_code == 200, comparison.content
    assert comparison.json()["baseline"]["id"] == trained_model.pk
    trained_model.refresh_from_db()
    assert comparison.json()["test_set"] in trained_model.evaluations


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"recipe": "slow"}, "recipe"),
        ({"hyperparameters": {"epochs": 0}}, "hyperparameters.epochs"),
        ({"hyperparameters": {"epochs": "ten"}}, "hyperparameters.epochs"),
        ({"hyperparameters": {"dropout": 0.1}}, "hyperparameters"),
    ],
)
def test_bad_training_requests_name_the_field(admin_client, dataset, body, field):
    response = admin_client.post("/api/v1/training-runs", {"task": "support-intents",
                                                           "dataset": dataset["id"], **body},
                                 format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["details"].get("field") == field or field in error["details"].get("fields", {})


def test_unknown_dataset_is_404(admin_client, dataset):
    response = admin_client.post("/api/v1/training-runs", {"task": "support-intents",
                                                           "dataset": 99999}, format="json")
    assert response.status_code == 404


def test_multi_label_task_end_to_end(admin_client, celery_worker):
    admin_client.post("/api/v1/tasks", {"slug": "review-aspects", "kind": "multi_label"},
                      format="json")
    rows = ["text,label"]
    for i in range(12):
        rows += [f"delivery was late again {i},delivery", f"price too high {i},price",
                 f"late and expensive {i},delivery|price"]
    file = SimpleUploadedFile("aspects.csv", ("\n".join(rows) + "\n").encode())
    dataset = admin_client.post("/api/v1/datasets", {"file": file, "task": "review-aspects"},
                                format="multipart").json()
    assert dataset["labels"] == ["delivery", "price"]
    fast = admin_client.post("/api/v1/training-runs", {"task": "review-aspects",
                                                       "dataset": dataset["id"],
                                                       "recipe": "fast"}, format="json")
    assert fast.status_code == 400
    run = admin_client.post("/api/v1/training-runs", {"task": "review-aspects",
                                                      "dataset": dataset["id"],
                                                      "hyperparameters": QUICK}, format="json")
    run = wait_for_run(admin_client, run.json()["id"])
    assert run["status"] == "succeeded", run["error"]
    version = admin_client.get(f"/api/v1/models/{run['model_version']['id']}").json()
    assert "hamming_loss" in version["metrics"]["test"]
    response = admin_client.post("/api/v1/tasks/review-aspects/predict",
                                 {"inputs": ["late and expensive"],
                                  "model_version": version["id"]}, format="json")
    assert response.status_code == 200, response.content
    assert isinstance(response.json()["predictions"][0]["labels"], list)


def _entity_jsonl() -> bytes:
    import json

    lines = []
    for i in range(40):
        company, city = ["Acme", "Globex", "Initech", "Umbrella"][i % 4], ["Paris", "Oslo"][i % 2]
        text = f"{company} paid invoice {i} in {city}"
        start = text.index(city)
        lines.append(json.dumps({"text": text, "entities": [
            {"start": 0, "end": len(company), "label": "ORG"},
            {"start": start, "end": start + len(city), "label": "CITY"}]}))
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("recipe", ["full", "spacy"])
def test_entity_task_end_to_end_with_either_backend(admin_client, celery_worker, recipe):
    admin_client.post("/api/v1/tasks", {"slug": "invoice-entities", "kind": "entities"},
                      format="json")
    file = SimpleUploadedFile("entities.jsonl", _entity_jsonl())
    dataset = admin_client.post("/api/v1/datasets", {"file": file, "task": "invoice-entities"},
                                format="multipart")
    assert dataset.status_code == 201, dataset.content
    assert dataset.json()["labels"] == ["CITY", "ORG"]
    run = admin_client.post("/api/v1/training-runs", {
        "task": "invoice-entities", "dataset": dataset.json()["id"], "recipe": recipe,
        "hyperparameters": {"epochs": 3, "batch_size": 8, "max_length": 24}}, format="json")
    assert run.status_code == 201, run.content
    run = wait_for_run(admin_client, run.json()["id"])
    assert run["status"] == "succeeded", run["error"]
    assert run["recipe"] == recipe
    version = admin_client.get(f"/api/v1/models/{run['model_version']['id']}").json()
    assert {"precision", "recall", "micro_f1", "per_label"} <= set(version["metrics"]["test"])
    response = admin_client.post("/api/v1/tasks/invoice-entities/predict",
                                 {"inputs": ["Globex paid invoice 7 in Oslo"],
                                  "model_version": version["id"]}, format="json")
    assert response.status_code == 200, response.content
    entities = response.json()["predictions"][0]["entities"]
    assert all({"start", "end", "label", "text"} <= set(e) for e in entities)
    _bulk_job_gives_entities_as_json(admin_client, version["id"])


def _bulk_job_gives_entities_as_json(client, version_id: int) -> None:
    import csv
    import io
    import json

    from tests.jobs.helpers import content, upload, wait_for_job

    job = upload(client, {"invoices.txt": b"Globex paid invoice 7 in Oslo\nAcme paid in Paris\n"},
                 task="invoice-entities", model_version=version_id)
    assert job.status_code == 202, job.content
    job = wait_for_job(client, job.json()["id"])
    assert job["status"] == "succeeded" and job["progress"]["done"] == 2
    rows = list(csv.DictReader(io.StringIO(
        content(client.get(f"/api/v1/jobs/{job['id']}/results")).decode("utf-8-sig"))))
    assert [row["text"] for row in rows] == ["Globex paid invoice 7 in Oslo", "Acme paid in Paris"]
    assert all(isinstance(json.loads(row["entities"]), list) for row in rows)
    assert "predicted_label" not in rows[0]


def test_misaligned_entity_spans_are_refused_with_the_row(admin_client):
    admin_client.post("/api/v1/tasks", {"slug": "invoice-entities", "kind": "entities"},
                      format="json")
    bad = b'{"text": "Acme paid in Paris", "entities": [{"start": 0, "end": 3, "label": "ORG"}]}\n'
    file = SimpleUploadedFile("bad.jsonl", bad)
    response = admin_client.post("/api/v1/datasets", {"file": file, "task": "invoice-entities"},
                                 format="multipart")
    assert response.status_code == 400
    assert response.json()["error"]["details"]["rows"] == [1]


def test_hyperparameter_choices_are_checked(admin_client, dataset):
    response = admin_client.post("/api/v1/training-runs", {
        "task": "support-intents", "dataset": dataset["id"],
        "hyperparameters": {"pooling": "max"}}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["details"]["field"] == "hyperparameters.pooling"

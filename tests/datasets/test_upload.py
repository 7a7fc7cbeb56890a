"""Dataset upload through the API: parse, quality report, versioning, and every bad input."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from slm_platform.audit.models import AuditEvent
from slm_platform.datasets.models import DatasetVersion

pytestmark = pytest.mark.django_db
URL = "/api/v1/datasets"


def csv_bytes(rows, header="text,label") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def intents_csv(per_label: int = 6) -> bytes:
    rows = []
    for label, phrases in {"refund": "I want my money back for order {}",
                           "delivery": "Where is my parcel number {}",
                           "cancel": "Please cancel order {} now"}.items():
        rows += [f"{phrases.format(i)},{label}" for i in range(per_label)]
    return csv_bytes(rows)


def upload(client, data: bytes, *, task="support-intents", name="intents.csv", **fields):
    file = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post(URL, {"file": file, "task": task, **fields}, format="multipart")


@pytest.fixture
def open_task(admin_client):
    admin_client.post("/api/v1/tasks", {"slug": "support-intents", "kind": "classification"},
                      format="json")


def test_upload_returns_a_version_with_its_quality_report(admin_client, open_task):
    response = upload(admin_client, intents_csv())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["row_count"] == 18
    assert body["labels"] == ["cancel", "delivery", "refund"]
    assert body["quality"]["label_distribution"] == {"refund": 6, "delivery": 6, "cancel": 6}
    assert len(body["content_sha256"]) == 64
    assert AuditEvent.objects.filter(action="dataset.upload").count() == 1
    task = {t["slug"]: t for t in admin_client.get("/api/v1/tasks").json()}["support-intents"]
    assert task["labels"] == ["cancel", "delivery", "refund"] and task["labels_fixed"]


def test_the_same_file_again_is_the_same_version(admin_client, open_task):
    first = upload(admin_client, intents_csv()).json()
    again = upload(admin_client, intents_csv())
    assert again.status_code == 200
    assert again.json()["id"] == first["id"]
    changed = upload(admin_client, intents_csv(per_label=7))
    assert changed.status_code == 201
    assert changed.json()["version"] == 2


def test_warnings_are_listed_but_do_not_block(admin_client, open_task):
    data = intents_csv() + b"Please cancel order 1 now,cancel\n" + b"rare one,other\n"
    report = upload(admin_client, data).json()["quality"]
    codes = {finding["code"] for finding in report["warnings"]}
    assert {"exact_duplicate", "rare_label"} <= codes


def test_blocking_problems_reject_the_upload_with_row_numbers(admin_client, open_task):
    data = intents_csv() + b",refund\n"
    response = upload(admin_client, data)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "dataset_rejected"
    assert error["details"]["rows"] == [20]
    assert DatasetVersion.objects.count() == 0


def test_one_label_only_is_refused(admin_client, open_task):
    response = upload(admin_client, csv_bytes([f"text {i},refund" for i in range(10)]))
    assert response.status_code == 400
    assert "single_label" in str(response.json()["error"]["details"]["quality"]["blocking"])


def test_labels_a_fixed_task_does_not_know_are_refused(admin_client):
    data = csv_bytes(["UBER *TRIP,transport", "NETFLIX.COM,streaming-services"])
    response = upload(admin_client, data, task="finance.transaction-category")
    assert response.status_code == 400
    assert "streaming-services" in response.json()["error"]["message"]


def test_missing_column_names_the_file_and_column(admin_client, open_task):
    response = upload(admin_client, csv_bytes(["a,b"], header="message,intent"))
    assert response.status_code == 400
    details = response.json()["error"]["details"]
    assert details["file"] == "intents.csv"
    assert details["column"] == "text"


def test_configurable_columns_and_split(admin_client, open_task):
    rows = [f"where is parcel {i},delivery,{'test' if i % 4 == 0 else 'train'}" for i in range(12)]
    rows += [f"refund order {i},refund,{'test' if i % 4 == 0 else 'train'}" for i in range(12)]
    data = csv_bytes(rows, header="message,intent,part")
    response = upload(admin_client, data, text_column="message", label_column="intent",
                      split_column="part")
    assert response.status_code == 201, response.content
    assert response.json()["has_split"] is True
    assert response.json()["quality"]["split_counts"] == {"train": 18, "test": 6}


def test_non_utf8_is_refused_naming_the_file(admin_client, open_task):
    data = "text,label\ncafé au lait,refund\nthé,delivery\n".encode("cp1252")
    response = upload(admin_client, data, name="latin.csv")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["details"]["file"] == "latin.csv"
    assert "UTF-8" in error["message"]


def test_xlsx_and_jsonl_are_read_by_content(admin_client, open_task):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["text", "label"])
    for i in range(6):
        sheet.append([f"refund please {i}", "refund"])
        sheet.append([f"where is it {i}", "delivery"])
    buffer = io.BytesIO()
    book.save(buffer)
    assert upload(admin_client, buffer.getvalue(), name="export.dat").status_code == 201
    # The first upload fixed the open task's labels to refund and delivery.
    jsonl = "\n".join(json.dumps({"text": f"where now {i}", "label": "delivery"})
                      for i in range(6)).encode()
    response = upload(admin_client, jsonl + b"\n" + b'{"text": "refund x", "label": "refund"}',
                      name="more.jsonl")
    assert response.status_code == 201
    assert response.json()["file_format"] == "jsonl"


def test_a_file_over_the_limit_is_413(admin_client, open_task, settings):
    settings.DATASET_MAX_BYTES = 100
    response = upload(admin_client, intents_csv())
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_unknown_task_and_missing_file(admin_client):
    assert upload(admin_client, intents_csv(), task="nope").status_code == 404
    response = admin_client.post(URL, {"task": "support-intents"}, format="multipart")
    assert response.status_code == 400
    assert "file" in response.json()["error"]["details"]["fields"]


def test_datasets_are_scoped_to_the_organization(admin_client, other_client, open_task):
    version = upload(admin_client, intents_csv()).json()
    assert other_client.get(f"{URL}/{version['id']}").status_code == 404
    assert other_client.get(URL).json()["results"] == []
    assert admin_client.get(f"{URL}/{version['id']}").status_code == 200

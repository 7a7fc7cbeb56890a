"""Bulk jobs through the API, answered by a real worker with a real (tiny) trained model."""

import csv
import io
import json

import openpyxl
import pytest

from slm_platform.audit.models import AuditEvent
from slm_platform.jobs.models import Job, JobItem
from tests.jobs.helpers import (
    content,
    transactions_csv,
    upload,
    wait_for_job,
    zip_of,
)

pytestmark = pytest.mark.django_db(transaction=True)


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content(response).decode("utf-8-sig"))))


def test_csv_job_runs_to_results_joined_to_the_original_rows(admin_client, trained_model):
    response = upload(admin_client, {"card.csv": transactions_csv(1200)},
                      text_column="description")
    assert response.status_code == 202, response.content
    job = wait_for_job(admin_client, response.json()["id"])
    assert job["status"] == "succeeded", job
    assert job["progress"]["total"] == job["progress"]["done"] == 1200
    assert job["progress"]["items_per_second"] > 0
    assert job["model_version"]["id"] == trained_model.pk
    assert job["files"][0]["kind"] == "delimited" and job["files"][0]["items"] == 1200

    rows = csv_rows(admin_client.get(f"/api/v1/jobs/{job['id']}/results?format=csv"))
    assert [row["id"] for row in rows] == [str(n) for n in range(1200)]
    assert list(rows[0])[:3] == ["id", "description", "amount"]
    assert rows[5]["amount"] == "-6.25"  # a negative number is data, not a formula
    labels = set(trained_model.metrics.get("labels") or []) or None
    assert all(row["predicted_label"] and float(row["predicted_score"]) > 0 for row in rows)
    if labels:
        assert {row["predicted_label"] for row in rows} <= labels
    assert {row["model_version"] for row in rows} == {trained_model.name}
    # Each item keeps its five best label scores (of 15), the predicted label's the highest.
    item = admin_client.get(f"/api/v1/jobs/{job['id']}/items").json()["results"][0]
    scores = item["result"]["scores"]
    assert len(scores) == 5 and max(scores.values()) == scores[item["label"]] == item["score"]
    assert AuditEvent.objects.filter(action="job.create", object_id=str(job["id"])).exists()
    assert AuditEvent.objects.filter(action="job.finish", object_id=str(job["id"])).exists()


def test_every_format_in_one_zip_and_every_export(admin_client, trained_model):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["text", "branch"])
    sheet.append(["SHELL OIL 5744 HOUSTON TX", "north"])
    sheet.append(["@SUM(1+1)*cmd|' /C calc'!A0", "south"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    archive = zip_of({
        "a.xlsx": buffer.getvalue(),
        "b.jsonl": b'{"text": "=HYPERLINK(\\"http://evil\\")", "ref": 7}\n',
        "notes.txt": b"STARBUCKS STORE 1234\nUBER *TRIP HELP.UBER.COM\n",
    })
    response = upload(admin_client, {"month.zip": archive})
    assert response.status_code == 202, response.content
    job = wait_for_job(admin_client, response.json()["id"])
    assert job["status"] == "succeeded", admin_client.get(
        f"/api/v1/jobs/{job['id']}/items?status=failed").json()
    assert sorted(f["kind"] for f in job["files"]) == ["jsonl", "text", "xlsx"]
    assert job["progress"]["done"] == 5

    rows = csv_rows(admin_client.get(f"/api/v1/jobs/{job['id']}/results?format=csv"))
    assert [row["text"] for row in rows][:3] == [
        "SHELL OIL 5744 HOUSTON TX", "'@SUM(1+1)*cmd|' /C calc'!A0", "'=HYPERLINK(\"http://evil\")"]
    assert rows[0]["branch"] == "north" and rows[2]["ref"] == "7"

    lines = content(admin_client.get(f"/api/v1/jobs/{job['id']}/results?format=jsonl"))
    records = [json.loads(line) for line in lines.decode().splitlines()]
    assert len(records) == 5 and records[2]["text"].startswith("=HYPERLINK")
    assert records[0]["prediction"]["label"] == rows[0]["predicted_label"]

    response = admin_client.get(f"/api/v1/jobs/{job['id']}/results?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(content(response))).active
    cells = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert cells[0][:2] == ["text", "branch"]
    assert cells[2][0] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert cells[3][0] == "'=HYPERLINK(\"http://evil\")"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_empty_and_over_long_rows_fail_alone(admin_client, trained_model):
    data = (b"text,ref\nSHELL OIL 5744,1\n,2\n" + b"x" * 600 + b",3\nNETFLIX.COM,4\n")
    job = wait_for_job(admin_client, upload(admin_client, {"t.csv": data}).json()["id"])
    assert job["status"] == "partially_failed"
    assert (job["progress"]["done"], job["progress"]["failed"]) == (2, 2)
    failed = admin_client.get(f"/api/v1/jobs/{job['id']}/items?status=failed").json()["results"]
    assert [item["fields"]["ref"] for item in failed] == ["2", "3"]
    assert "empty" in failed[0]["error"] and "512" in failed[1]["error"]
    rows = csv_rows(admin_client.get(f"/api/v1/jobs/{job['id']}/results"))
    assert [row["status"] for row in rows] == ["done", "failed", "failed", "done"]


def test_idempotency_key_returns_the_same_job(admin_client, trained_model):
    data = {"a.csv": transactions_csv(20)}
    first = upload(admin_client, data, text_column="description",
                   headers={"Idempotency-Key": "upload-42"})
    again = upload(admin_client, data, text_column="description",
                   headers={"Idempotency-Key": "upload-42"})
    assert (first.status_code, again.status_code) == (202, 200)
    assert first.json()["id"] == again.json()["id"]
    other = upload(admin_client, {"a.csv": transactions_csv(21)}, text_column="description",
                   headers={"Idempotency-Key": "upload-42"})
    assert other.status_code == 409
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert Job.objects.count() == 1


def test_a_job_keeps_its_version_when_another_is_activated(admin_client, trained_model):
    job = upload(admin_client, {"a.csv": transactions_csv(50)}, text_column="description")
    job = wait_for_job(admin_client, job.json()["id"])
    versions = set(JobItem.objects.filter(job_id=job["id"]).values_list("model_version_id",
                                                                        flat=True))
    assert versions == {trained_model.pk}


def test_another_organizations_job_is_404(admin_client, other_client, trained_model):
    job = upload(admin_client, {"a.csv": transactions_csv(5)}, text_column="description").json()
    for path in ("", "/results", "/items"):
        assert other_client.get(f"/api/v1/jobs/{job['id']}{path}").status_code == 404
    assert other_client.post(f"/api/v1/jobs/{job['id']}/cancel").status_code == 404
    assert other_client.get("/api/v1/jobs").json()["results"] == []

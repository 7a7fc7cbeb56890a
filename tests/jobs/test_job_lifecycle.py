"""Cancel, retry, webhooks and a worker killed mid-job, with real worker processes."""

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from slm_platform.jobs.models import Job, JobChunk, JobFile, JobItem, WebhookDelivery
from slm_platform.registry.models import ModelVersion, VersionStatus
from tests.jobs.helpers import content, transactions_csv, upload, wait_for_job
from tests.workers import kill_pool_processes

pytestmark = pytest.mark.django_db(transaction=True)


class Receiver:
    """A webhook receiver on this machine: answers the first `failures` calls with 500."""

    def __init__(self, failures: int):
        self.calls: list[tuple] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.calls.append((self.headers, body))  # case-insensitive
                self.send_response(500 if len(outer.calls) <= failures else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait(self, calls: int, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while len(self.calls) < calls and time.monotonic() < deadline:
            time.sleep(0.05)


def test_webhook_is_signed_retried_and_logged(admin_client, trained_model, settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    secret = admin_client.post("/api/v1/webhook/rotate-secret").json()["secret"]
    receiver = Receiver(failures=1)
    try:
        job = upload(admin_client, {"a.csv": transactions_csv(10)}, text_column="description",
                     callback_url=receiver.url).json()
        wait_for_job(admin_client, job["id"])
        receiver.wait(calls=2)
    finally:
        receiver.server.shutdown()
    assert len(receiver.calls) == 2
    headers, body = receiver.calls[-1]
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-SLM-Signature"] == expected
    payload = json.loads(body)
    assert payload["job"]["id"] == job["id"] and payload["job"]["status"] == "succeeded"
    deliveries = list(WebhookDelivery.objects.filter(job_id=job["id"]).order_by("attempt"))
    assert [(d.attempt, d.status_code) for d in deliveries] == [(1, 500), (2, 200)]


def test_callback_to_a_host_not_allowed_is_refused(admin_client, trained_model, settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["hooks.example.com"]
    response = upload(admin_client, {"a.csv": transactions_csv(3)}, text_column="description",
                      callback_url="http://169.254.169.254/latest/meta-data")
    assert response.status_code == 400
    assert response.json()["error"]["details"]["field"] == "callback_url"
    assert Job.objects.count() == 0


def test_cancel_stops_dispatching_and_counts_add_up(admin_client, trained_model, settings):
    settings.JOB_CHUNK_SIZE = 100
    job = upload(admin_client, {"a.csv": transactions_csv(30_000)}, text_column="description")
    job_id = job.json()["id"]
    deadline = time.monotonic() + 60
    while Job.objects.get(pk=job_id).done == 0:
        assert time.monotonic() < deadline, "nothing was predicted"
        time.sleep(0.02)
    response = admin_client.post(f"/api/v1/jobs/{job_id}/cancel")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    time.sleep(2)  # chunks already on a worker may finish; nothing new starts
    job = admin_client.get(f"/api/v1/jobs/{job_id}").json()
    progress = job["progress"]
    stored = JobItem.objects.filter(job_id=job_id)
    assert progress["done"] == stored.filter(status="done").count()
    assert progress["done"] + progress["failed"] + progress["pending"] == progress["total"]
    assert progress["done"] < 30_000
    assert admin_client.post(f"/api/v1/jobs/{job_id}/cancel").status_code == 409


def test_failed_predictions_can_be_retried(admin_client, trained_model):
    broken = ModelVersion.objects.create(
        organization=trained_model.organization, task_slug=trained_model.task_slug,
        version=trained_model.version + 1, status=VersionStatus.READY, source="fine-tune",
        base_model=trained_model.base_model, artifact_path="missing-artifact")
    job = upload(admin_client, {"a.csv": transactions_csv(40)}, text_column="description",
                 model_version=broken.pk).json()
    job = wait_for_job(admin_client, job["id"])
    assert job["status"] == "failed" and job["progress"]["failed"] == 40
    ModelVersion.objects.filter(pk=broken.pk).update(artifact_path=trained_model.artifact_path)
    response = admin_client.post(f"/api/v1/jobs/{job['id']}/retry")
    assert response.status_code == 202, response.content
    job = wait_for_job(admin_client, job["id"])
    assert job["status"] == "succeeded"
    assert (job["progress"]["done"], job["progress"]["failed"]) == (40, 0)


def _wait_until(condition, message: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, message
        time.sleep(0.005)


def _assert_every_row_once(client, job_id: int, rows: int) -> None:
    job = wait_for_job(client, job_id, timeout=180)
    assert job["status"] == "succeeded", job
    assert job["progress"]["done"] == rows and job["progress"]["total"] == rows
    assert JobItem.objects.filter(job_id=job_id).count() == rows
    results = content(client.get(f"/api/v1/jobs/{job_id}/results?format=jsonl"))
    seqs = [json.loads(line)["seq"] for line in results.decode().splitlines()]
    assert seqs == list(range(rows))


def test_worker_killed_mid_job_loses_and_repeats_nothing(admin_client, trained_model,
                                                          celery_worker, settings):
    """kill -9 every pool process while chunks run, the file already read: the chunks come
    back (acks_late, reject_on_worker_lost) and every item is predicted exactly once."""
    settings.JOB_CHUNK_SIZE = 1000
    rows = 40_000
    job_id = upload(admin_client, {"a.csv": transactions_csv(rows)},
                    text_column="description").json()["id"]
    _wait_until(lambda: JobFile.objects.filter(job_id=job_id, status="read").exists()
                and JobChunk.objects.filter(job_id=job_id, attempts=1, done=False).exists(),
                "no chunk started after the file was read")
    kill_pool_processes(celery_worker)
    _assert_every_row_once(admin_client, job_id, rows)
    assert JobChunk.objects.filter(job_id=job_id, attempts__gte=2).exists()


def test_worker_killed_while_reading_starts_the_file_again(admin_client, trained_model,
                                                          celery_worker, settings):
    """kill -9 while the file is still being read and its first chunks are predicted: the
    redelivered parse task discards the half-read file (and what was predicted of it) and
    reads it again; every row is predicted once in the results and the counts add up."""
    settings.JOB_CHUNK_SIZE = 500
    rows = 60_000
    job_id = upload(admin_client, {"a.csv": transactions_csv(rows)},
                    text_column="description").json()["id"]
    _wait_until(lambda: JobFile.objects.filter(job_id=job_id, status="pending").exists()
                and JobChunk.objects.filter(job_id=job_id, done=True).exists(),
                "no chunk finished while the file was read")
    kill_pool_processes(celery_worker)
    _assert_every_row_once(admin_client, job_id, rows)

"""A job's parse step when its task is lost or runs twice: the periodic check sends a lost
parse task again and the job finishes; one that keeps stopping fails the job with a message,
and a retry reads the files again; two runs of one job never interleave their writes."""

import logging
import threading
import time
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from slm_platform.audit.services import Actor
from slm_platform.jobs.ingest import job_ingest
from slm_platform.jobs.models import Job, JobChunk, JobFile, JobItem
from slm_platform.jobs.recovery import PARSE_MAX_ATTEMPTS, parses_recover
from slm_platform.jobs.services import JobRequest, Upload, job_create
from slm_platform.registry.models import ModelVersion, VersionStatus
from tests.jobs.helpers import TASK, transactions_csv, wait_for_job

pytestmark = pytest.mark.django_db(transaction=True)
# The suite worker's own periodic check leaves jobs silent for less than this alone, so the
# calls to parses_recover() here (with a tenth of it) are not raced by it.
WORKER_STALE_SECONDS = django_settings.JOB_CHUNK_STALE_SECONDS


def _job_without_its_parse_task(organization, tmp_path, rows: int, version=None) -> Job:
    """A job stored as an upload stores it, whose parse task never reached a worker."""
    path = tmp_path / "upload.csv"
    path.write_bytes(transactions_csv(rows))
    request = JobRequest(task_slug=TASK, text_column="description",
                         model_version_id=version.pk if version else None)
    return job_create(organization=organization, request=request,
                      uploads=[Upload(name="a.csv", path=path)], actor=Actor.system(),
                      enqueue_job=False).job


def _silent_for(job: Job, seconds: float) -> None:
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(seconds=seconds))


def test_a_lost_parse_task_is_sent_again_and_the_job_finishes(admin_client, trained_model,
                                                              tmp_path, settings):
    settings.JOB_CHUNK_STALE_SECONDS = WORKER_STALE_SECONDS // 10
    job = _job_without_its_parse_task(trained_model.organization, tmp_path, rows=300)
    _silent_for(job, WORKER_STALE_SECONDS // 100)
    assert parses_recover() == 0  # it may still be queued behind other jobs
    _silent_for(job, WORKER_STALE_SECONDS // 2)
    assert parses_recover() == 1
    assert parses_recover() == 0  # sent: silent again only after another stale period
    finished = wait_for_job(admin_client, job.pk)
    assert finished["status"] == "succeeded" and finished["progress"]["done"] == 300
    assert Job.objects.get(pk=job.pk).parse_attempts == 1


def test_a_parse_that_keeps_stopping_fails_the_job_and_a_retry_reads_the_files(
        admin_client, trained_model, tmp_path, settings):
    settings.JOB_CHUNK_STALE_SECONDS = WORKER_STALE_SECONDS // 10
    job = _job_without_its_parse_task(trained_model.organization, tmp_path, rows=200)
    Job.objects.filter(pk=job.pk).update(status="running", parse_attempts=PARSE_MAX_ATTEMPTS,
                                         parse_seen_at=timezone.now() - timedelta(
                                             seconds=WORKER_STALE_SECONDS // 2))
    assert parses_recover() == 0
    failed = admin_client.get(f"/api/v1/jobs/{job.pk}").json()
    assert failed["status"] == "failed"
    assert f"stopped {PARSE_MAX_ATTEMPTS} times" in failed["error"] and "retry" in failed["error"]

    response = admin_client.post(f"/api/v1/jobs/{job.pk}/retry")
    assert response.status_code == 202, response.content
    finished = wait_for_job(admin_client, job.pk)
    assert finished["status"] == "succeeded" and finished["progress"]["done"] == 200
    assert finished["error"] == ""


def test_two_runs_of_one_parse_never_interleave(organization, tmp_path, settings, caplog):
    """A second run claims the job while the first is half-way through its file: the first
    stops at its next write, the second reads the file from its start, and every row is
    stored once. (dispatch=False: this is about reading; no chunk is sent.)"""
    settings.JOB_CHUNK_SIZE = 200
    rows = 40_000
    version = ModelVersion.objects.create(
        organization=organization, task_slug=TASK, version=1, status=VersionStatus.READY,
        source="fine-tune", base_model="none", artifact_path="not-needed-to-read")
    job = _job_without_its_parse_task(organization, tmp_path, rows=rows, version=version)
    failures = []

    def first_run() -> None:
        try:
            job_ingest(job_id=job.pk, dispatch=False)
        except Exception as exc:  # reported below: the first run must stop quietly
            failures.append(exc)
        finally:
            connection.close()

    caplog.set_level(logging.INFO, logger="slm_platform.jobs.ingest")
    first = threading.Thread(target=first_run)
    first.start()
    deadline = time.monotonic() + 60
    while not JobItem.objects.filter(job=job).exists():
        assert time.monotonic() < deadline and first.is_alive(), "the first run stored nothing"
        time.sleep(0.01)
    job_ingest(job_id=job.pk, dispatch=False)
    first.join(timeout=60)

    assert not failures and not first.is_alive()
    assert "a later run of its parse task took over" in caplog.text
    stored = Job.objects.get(pk=job.pk)
    assert (stored.total, stored.parse_attempts, stored.status) == (rows, 2, "running")
    assert list(JobItem.objects.filter(job=job).order_by("seq")
                .values_list("seq", flat=True)) == list(range(rows))
    assert JobFile.objects.get(job=job).items == rows
    chunks = list(JobChunk.objects.filter(job=job).order_by("first_seq")
                  .values_list("first_seq", "last_seq"))
    assert [first for first, _ in chunks] == list(range(0, rows, 200))
    assert all(last == first + 199 for first, last in chunks)

"""A chunk whose task was lost (a broker restarted without its data) is sent again, and the
job finishes instead of staying `running` forever."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.db.models import F
from django.utils import timezone

from slm_platform.jobs.chunks import chunks_recover
from slm_platform.jobs.models import Job, JobChunk, JobItem
from tests.jobs.helpers import transactions_csv, upload, wait_for_job

pytestmark = pytest.mark.django_db(transaction=True)
# The test worker's own threshold (it reads the same environment): its periodic check leaves
# chunks younger than this alone, so the tests that call chunks_recover() are not raced by it.
WORKER_STALE_SECONDS = django_settings.JOB_CHUNK_STALE_SECONDS


def _lose_a_chunk(job_id: int, *, sent_seconds_ago: float) -> JobChunk:
    """Put a finished job back to where one chunk had been sent and its task then vanished."""
    chunk = JobChunk.objects.filter(job_id=job_id).order_by("index").last()
    items = JobItem.objects.filter(job_id=job_id, seq__gte=chunk.first_seq,
                                   seq__lte=chunk.last_seq)
    lost = items.count()
    items.update(status="pending", label="", score=None, result=None, model_version=None)
    JobChunk.objects.filter(pk=chunk.pk).update(
        done=False, dispatched=True,
        dispatched_at=timezone.now() - timedelta(seconds=sent_seconds_ago))
    Job.objects.filter(pk=job_id).update(status="running", finished_at=None,
                                         done=F("done") - lost)
    return chunk


def test_a_chunk_whose_task_was_lost_is_sent_again_and_the_job_finishes(
        admin_client, trained_model, settings):
    settings.JOB_CHUNK_SIZE = 100
    settings.JOB_CHUNK_STALE_SECONDS = WORKER_STALE_SECONDS // 10  # this process's check only
    job_id = upload(admin_client, {"a.csv": transactions_csv(450)},
                    text_column="description").json()["id"]
    assert wait_for_job(admin_client, job_id)["status"] == "succeeded"
    chunk = _lose_a_chunk(job_id, sent_seconds_ago=WORKER_STALE_SECONDS // 2)

    assert chunks_recover() == 1
    job = wait_for_job(admin_client, job_id)
    assert job["status"] == "succeeded"
    assert (job["progress"]["done"], job["progress"]["total"]) == (450, 450)
    assert not JobItem.objects.filter(job_id=job_id, status="pending").exists()
    assert JobChunk.objects.get(pk=chunk.pk).attempts == 2
    assert chunks_recover() == 0  # nothing left to send


def test_the_bulk_worker_checks_for_lost_chunks_by_itself(admin_client, trained_model):
    """No call here: the worker asks for the check every JOB_RECOVERY_INTERVAL_SECONDS (2 s in
    the test worker) and the job finishes."""
    job_id = upload(admin_client, {"a.csv": transactions_csv(30)},
                    text_column="description").json()["id"]
    assert wait_for_job(admin_client, job_id)["status"] == "succeeded"
    _lose_a_chunk(job_id, sent_seconds_ago=24 * 3600)
    job = wait_for_job(admin_client, job_id, timeout=60)
    assert job["status"] == "succeeded" and job["progress"]["done"] == 30


def test_a_chunk_sent_recently_or_of_a_cancelled_job_is_left_alone(admin_client,
                                                                    trained_model, settings):
    settings.JOB_CHUNK_STALE_SECONDS = WORKER_STALE_SECONDS // 10
    job_id = upload(admin_client, {"a.csv": transactions_csv(20)},
                    text_column="description").json()["id"]
    assert wait_for_job(admin_client, job_id)["status"] == "succeeded"
    chunk = _lose_a_chunk(job_id, sent_seconds_ago=5)
    assert chunks_recover() == 0  # its task may still be queued behind other jobs
    JobChunk.objects.filter(pk=chunk.pk).update(
        dispatched_at=timezone.now() - timedelta(seconds=WORKER_STALE_SECONDS // 2))
    Job.objects.filter(pk=job_id).update(cancel_requested=True, status="cancelled")
    assert chunks_recover() == 0  # a cancelled job's chunks stay unsent

"""Bulk-queue Celery tasks. acks_late + reject_on_worker_lost: a worker that dies mid-task
(kill -9, out of memory) puts the message back, and the services make a second run safe."""

from celery import shared_task

# Nothing waits on a bulk task's return value: no result is written to the backend.
RESILIENT = {"acks_late": True, "reject_on_worker_lost": True, "ignore_result": True}


@shared_task(name="bulk.ingest_job", time_limit=6 * 3600, **RESILIENT)
def ingest_job(job_id: int) -> None:
    from slm_platform.jobs.ingest import job_fail, job_ingest

    try:
        job_ingest(job_id=job_id)
    except Exception as exc:
        job_fail(job_id=job_id, message=f"reading the files failed: {type(exc).__name__}")
        raise


@shared_task(name="bulk.predict_chunk", soft_time_limit=600, time_limit=660, **RESILIENT)
def predict_chunk(chunk_id: int) -> None:
    from slm_platform.jobs.chunks import chunk_predict, chunks_dispatch
    from slm_platform.jobs.models import JobChunk

    chunk_predict(chunk_id=chunk_id)
    job_id = JobChunk.objects.filter(pk=chunk_id).values_list("job_id", flat=True).first()
    if job_id is not None:
        chunks_dispatch(job_id=job_id)


@shared_task(name="bulk.dispatch_chunks", **RESILIENT)
def dispatch_chunks(job_id: int) -> None:
    from slm_platform.jobs.chunks import chunks_dispatch

    chunks_dispatch(job_id=job_id)


@shared_task(name="bulk.recover_jobs", ignore_result=True)
def recover_jobs() -> None:
    from slm_platform.jobs.recovery import jobs_recover

    jobs_recover()


@shared_task(name="bulk.deliver_webhook", bind=True, max_retries=None, **RESILIENT)
def deliver_webhook(self, job_id: int, attempt: int) -> None:
    from django.conf import settings

    from slm_platform.jobs.webhooks import webhook_deliver

    if webhook_deliver(job_id=job_id, attempt=attempt):
        return
    if attempt < settings.WEBHOOK_MAX_ATTEMPTS:
        delay = settings.WEBHOOK_BACKOFF_SECONDS * 2 ** (attempt - 1)
        deliver_webhook.apply_async(args=[job_id, attempt + 1], countdown=delay, queue="bulk")

"""The predict step of a job: chunks of items on the bulk queue, a few in flight at a time.

Exactly-once results: a chunk's predictions are written in one transaction with the chunk's
`done` flag, under the job's and then the chunk's row lock (the order every writer of a job
takes them in). A chunk redelivered after its worker died (the task is acks_late) finds the
flag unset and predicts again; one that already committed is a no-op; one whose file was
discarded meanwhile (ingest.py) finds its row gone. Counters move with F() expressions in
the same transaction, so they always add up.
"""

import json
import logging

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Max
from django.utils import timezone

from slm_platform.audit.services import Actor, audit_record
from slm_platform.jobs.models import ItemStatus, Job, JobChunk, JobFile, JobItem, JobStatus

logger = logging.getLogger(__name__)
# Label scores stored per item, the best first: a 150-label task would otherwise store 150
# numbers per row, most of the job's bytes, for scores nobody reads.
STORED_SCORES = 5


def chunks_dispatch(*, job_id: int) -> int:
    """Put chunks on the queue until JOB_CHUNKS_IN_FLIGHT are out; finish the job when none is
    left. Returns how many were sent."""
    from slm_platform.jobs.ingest import reading
    from slm_platform.jobs.services import enqueue

    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        if job.cancel_requested or job.finished:
            return 0
        chunks = JobChunk.objects.filter(job=job, done=False)
        in_flight = chunks.filter(dispatched=True).count()
        room = settings.JOB_CHUNKS_IN_FLIGHT - in_flight
        waiting = list(chunks.filter(dispatched=False).order_by("index")
                       .values_list("pk", "first_seq", "last_seq"))
        still_reading = reading(job)
        if not still_reading:
            _tail_split(job, waiting, room)
        chosen = [pk for pk, _, _ in waiting[:max(0, room)]]
        JobChunk.objects.filter(pk__in=chosen).update(dispatched=True,
                                                      dispatched_at=timezone.now())
        if not chosen and not in_flight and not still_reading:
            _job_finish(job)
        for chunk_id in chosen:
            transaction.on_commit(lambda chunk_id=chunk_id: enqueue("bulk.predict_chunk",
                                                                    chunk_id))
    return len(chosen)


def _tail_split(job: Job, waiting: list[tuple[int, int, int]], room: int) -> None:
    """Cut the chunks about to be sent to a piece of the work still waiting, once every file
    is read (guided scheduling). The last chunks of a job are then small, so the bulk
    processes finish together instead of one predicting a whole chunk while the others idle:
    with 2,048-item chunks on 2 cores that tail was about a second of a 100,000-row job.
    Each cut leaves its remainder as a new chunk at the back of the queue; `waiting` (pk,
    first_seq, last_seq, in dispatch order) is updated to match. The caller holds the job's
    row lock and no file is being read, so no other writer makes chunks now."""
    if room <= 0 or not waiting:
        return
    remaining = sum(last - first + 1 for _, first, last in waiting)
    smallest = max(1, job.chunk_size // 8)
    piece = max(smallest, -(-remaining // settings.JOB_CHUNKS_IN_FLIGHT))
    next_index = JobChunk.objects.filter(job=job).aggregate(last=Max("index"))["last"] + 1
    for position, (pk, first, last) in enumerate(waiting[:room]):
        if last - first + 1 < piece + smallest:
            continue
        JobChunk.objects.filter(pk=pk).update(last_seq=first + piece - 1)
        rest = JobChunk.objects.create(job=job, index=next_index, first_seq=first + piece,
                                       last_seq=last)
        next_index += 1
        waiting[position] = (pk, first, first + piece - 1)
        waiting.append((rest.pk, first + piece, last))


def chunks_recover() -> int:
    """Send again the chunks of running jobs that were sent more than JOB_CHUNK_STALE_SECONDS
    ago and are still not done: their task was lost (a broker restarted without its data, a
    message dropped), and without this the job would stay running forever. Safe to repeat: a
    chunk that is done by the time its second task runs is a no-op. Returns how many were sent."""
    from datetime import timedelta

    from slm_platform.jobs.services import enqueue

    now = timezone.now()
    stale = JobChunk.objects.filter(
        done=False, dispatched=True, job__status=JobStatus.RUNNING, job__cancel_requested=False,
        dispatched_at__lt=now - timedelta(seconds=settings.JOB_CHUNK_STALE_SECONDS))
    chosen = list(stale.order_by("pk").values_list("pk", "job_id")[:1000])
    JobChunk.objects.filter(pk__in=[pk for pk, _ in chosen]).update(dispatched_at=now)
    for chunk_id, job_id in chosen:
        logger.warning("chunk %s of job %s was sent long ago and is not done: sent again",
                       chunk_id, job_id)
        enqueue("bulk.predict_chunk", chunk_id)
    return len(chosen)


def job_run_here(*, job_id: int, on_progress=None) -> Job:
    """Run a job in this process, the same steps the bulk workers take (manage.py
    predict_file): read the files, predict chunk by chunk, settle the status."""
    from slm_platform.jobs.ingest import job_ingest

    job_ingest(job_id=job_id, dispatch=False)
    for chunk_id in JobChunk.objects.filter(job_id=job_id, done=False).order_by("index") \
            .values_list("pk", flat=True):
        if Job.objects.filter(pk=job_id, cancel_requested=True).exists():
            break
        chunk_predict(chunk_id=chunk_id)
        if on_progress is not None:
            on_progress(Job.objects.get(pk=job_id))
    chunks_dispatch(job_id=job_id)
    return Job.objects.get(pk=job_id)


def chunk_predict(*, chunk_id: int) -> None:
    from slm_platform.routing.chunks import chunk_predictions

    chunk = JobChunk.objects.select_related("job").filter(pk=chunk_id).first()
    if chunk is None or chunk.done or chunk.job.cancel_requested:
        return  # discarded with its file, committed by an earlier delivery, or cancelled
    job = chunk.job
    JobChunk.objects.filter(pk=chunk.pk).update(attempts=F("attempts") + 1)
    items = list(JobItem.objects.filter(job=job, seq__gte=chunk.first_seq,
                                        seq__lte=chunk.last_seq, status=ItemStatus.PENDING)
                 .values_list("pk", "text"))
    record_routes = None  # set when the task's cascade policy routed the chunk
    try:
        predictions, record_routes = chunk_predictions(job=job,
                                                       inputs=[text for _, text in items],
                                                       top_k=STORED_SCORES)
        error = None
    except Exception as exc:  # recorded on each item: a retry can try again
        logger.exception("chunk %s of job %s failed", chunk.index, job.pk)
        predictions, error = [None] * len(items), f"prediction failed: {type(exc).__name__}"
    # A routed prediction names the version that answered it (the large route's, say).
    rows = [_item_row(pk, prediction,
                      (prediction or {}).get("model_version_id") or job.model_version_id, error)
            for (pk, _), prediction in zip(items, predictions, strict=True)]
    _chunk_commit(chunk, rows, record_routes)


# The columns _items_write sets, in the order of _item_row's tuples (the item's id last).
_WRITTEN = ("status", "label", "score", "result", "error", "retryable", "model_version_id")
_COLUMNS = (*_WRITTEN, "id")
_RESULT = _COLUMNS.index("result")
_PG_TYPES = {"status": "text", "label": "text", "score": "float8", "result": "jsonb",
             "error": "text", "retryable": "bool", "model_version_id": "bigint", "id": "bigint"}


def _item_row(pk: int, prediction: dict | None, version_id: int, error: str | None) -> tuple:
    """The values _items_write stores for one item. Plain tuples, not model instances: a
    partly loaded instance fetches each field it lacks with a query of its own."""
    if prediction is None:
        return (ItemStatus.FAILED, "", None, None, error, True, version_id, pk)
    return (ItemStatus.DONE, str(prediction.get("label", ""))[:200], prediction.get("score"),
            prediction, "", False, version_id, pk)


def _chunk_commit(chunk: JobChunk, rows: list[tuple], also=None) -> None:
    """`also`: a further write that belongs to the chunk's results (its routes)."""
    done = sum(row[0] == ItemStatus.DONE for row in rows)
    with transaction.atomic():
        Job.objects.select_for_update().filter(pk=chunk.job_id).values_list("pk").first()
        locked = JobChunk.objects.select_for_update().filter(pk=chunk.pk).first()
        if locked is None or locked.done:
            return  # discarded with its file, or a redelivered copy committed first
        _items_write(rows)
        if also is not None:
            also()
        JobChunk.objects.filter(pk=chunk.pk).update(done=True)
        Job.objects.filter(pk=chunk.job_id).update(done=F("done") + done,
                                                   failed=F("failed") + len(rows) - done)


def _items_write(rows: list[tuple]) -> None:
    """Store a chunk's results. PostgreSQL: one UPDATE joined to the rows sent as a single
    JSON document (jsonb_to_recordset): one statement and one parameter for the chunk, where
    an UPDATE per item cost the database and the worker about twice the time. Elsewhere: one
    parameterised UPDATE per item with executemany, still several times faster than
    bulk_update's CASE expressions at chunk sizes."""
    table = connection.ops.quote_name(JobItem._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            document = json.dumps([dict(zip(_COLUMNS, row, strict=True)) for row in rows])
            types = ", ".join(f"{name} {kind}" for name, kind in _PG_TYPES.items())
            assignments = ", ".join(f"{name} = v.{name}" for name in _WRITTEN)
            cursor.execute(f"UPDATE {table} AS item SET {assignments} "
                           f"FROM jsonb_to_recordset(%s::jsonb) AS v({types}) "
                           "WHERE item.id = v.id", [document])
        else:
            assignments = ", ".join(f"{connection.ops.quote_name(name)} = %s"
                                    for name in _WRITTEN)
            cursor.executemany(f"UPDATE {table} SET {assignments} WHERE id = %s",
                               [_with_result_text(row) for row in rows])


def _with_result_text(row: tuple) -> tuple:
    """The row with its prediction as JSON text (JSONField's storage outside PostgreSQL)."""
    result = row[_RESULT]
    return (*row[:_RESULT], None if result is None else json.dumps(result), *row[_RESULT + 1:])


def _job_finish(job: Job) -> None:
    """Settle the final status (the caller holds the job's row lock) and send the webhook."""
    files_failed = JobFile.objects.filter(job=job, status=JobFile.Status.FAILED).count()
    if job.total == 0 or job.failed == job.total:
        status = JobStatus.FAILED
    elif job.failed or files_failed:
        status = JobStatus.PARTIALLY_FAILED
    else:
        status = JobStatus.SUCCEEDED
    if status == JobStatus.FAILED and not job.error:
        job.error = _failure_summary(job, files_failed)
    job.status = status
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "finished_at", "error"])
    audit_record(organization=job.organization, actor=Actor.system(), action="job.finish",
                 object_type="job", object_id=job.pk, outcome=status,
                 data={"total": job.total, "done": job.done, "failed": job.failed,
                       "files_failed": files_failed})
    from slm_platform.jobs.webhooks import webhook_url_for

    if webhook_url_for(job):
        from slm_platform.jobs.services import enqueue

        transaction.on_commit(lambda: enqueue("bulk.deliver_webhook", job.pk, 1))


def _failure_summary(job: Job, files_failed: int) -> str:
    failed_files = JobFile.objects.filter(job=job, status=JobFile.Status.FAILED)
    if files_failed:
        first = failed_files.first()
        where = f", {first.error_location}" if first.error_location else ""
        more = f" (and {files_failed - 1} more files)" if files_failed > 1 else ""
        return f"{first.name}{where}: {first.error}{more}"
    if job.total == 0:
        return "the upload held no text to predict"
    return "every item failed; see the items' errors"

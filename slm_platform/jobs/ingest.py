"""The parse step of a job: stream every file into items, then cut them into chunks.

Each file is read inside its own transaction, so a file that turns out unreadable half-way
(a bad byte at row 50,000, a corrupt page) leaves none of its items behind: the job records
the file's error, naming the row or page, and goes on with the other files.
"""

import itertools
import json
import logging
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from slm_platform.core.task_selectors import task_resolve
from slm_platform.ingest.bulk import DocumentError, SourceFile, iter_items
from slm_platform.jobs.limits import limits_from_settings
from slm_platform.jobs.models import (
    JOB_FINISHED,
    ItemStatus,
    Job,
    JobChunk,
    JobFile,
    JobItem,
    JobStatus,
)

logger = logging.getLogger(__name__)
INSERT_BATCH = 2000


class JobCancelled(Exception):
    pass


def batched(iterable, size: int):
    """itertools.batched (Python 3.12) for 3.11: tuples of `size`, the last one shorter."""
    iterator = iter(iterable)
    while batch := tuple(itertools.islice(iterator, size)):
        yield batch


def job_fail(*, job_id: int, message: str) -> None:
    """An unexpected error stopped the job: say so, rather than leave it running forever."""
    Job.objects.filter(pk=job_id).exclude(status__in=JOB_FINISHED).update(
        status=JobStatus.FAILED, error=message, finished_at=timezone.now())


def job_ingest(*, job_id: int, dispatch: bool = True) -> None:
    """Read the job's pending files into items; then queue its chunks (unless the caller runs
    them itself). Safe to run again after a crash: files already read are skipped and a
    half-read file was rolled back."""
    job = Job.objects.get(pk=job_id)
    if job.finished:
        return
    Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now())
    next_seq = (JobItem.objects.filter(job=job).aggregate(last=Max("seq"))["last"] or -1) + 1
    for job_file in JobFile.objects.filter(job=job, status=JobFile.Status.PENDING):
        try:
            next_seq = _file_ingest(job, job_file, next_seq)
        except JobCancelled:
            logger.info("job %s cancelled while reading %s", job.pk, job_file.name)
            break
    _chunks_create(job)
    if dispatch:
        from slm_platform.jobs.chunks import chunks_dispatch

        chunks_dispatch(job_id=job.pk)


def _file_ingest(job: Job, job_file: JobFile, first_seq: int) -> int:
    source = _source(job, job_file)
    limits = limits_from_settings(task_resolve(organization=job.organization_id,
                                               slug=job.task_slug))
    room = settings.JOB_MAX_ITEMS - JobItem.objects.filter(job=job).count()
    seq = first_seq
    try:
        with transaction.atomic():
            items = iter_items(source, text_column=job_file.text_column or None, unit=job.unit,
                               limits=limits)
            for batch in batched(items, INSERT_BATCH):
                if len(batch) > room:
                    raise DocumentError(f"the job's limit of {settings.JOB_MAX_ITEMS:,} items "
                                        "is reached", file=job_file.name,
                                        location=batch[room].position)
                room -= len(batch)
                _items_insert([_item_row(job, job_file, seq + i, item)
                               for i, item in enumerate(batch)])
                seq += len(batch)
                if Job.objects.filter(pk=job.pk, cancel_requested=True).exists():
                    raise JobCancelled
            failed = JobItem.objects.filter(job=job, file=job_file,
                                            status=ItemStatus.FAILED).count()
            _file_finish(job, job_file, items=seq - first_seq, failed=failed)
    except DocumentError as exc:
        JobFile.objects.filter(pk=job_file.pk).update(
            status=JobFile.Status.FAILED, error=exc.message, error_location=exc.location or "")
        return first_seq
    return seq


def _file_finish(job: Job, job_file: JobFile, *, items: int, failed: int) -> None:
    from django.db.models import F

    JobFile.objects.filter(pk=job_file.pk).update(status=JobFile.Status.READ, items=items)
    Job.objects.filter(pk=job.pk).update(total=F("total") + items, failed=F("failed") + failed)


def _source(job: Job, job_file: JobFile) -> SourceFile:
    root = Path(settings.JOB_UPLOAD_DIR) / job.upload_dir
    return SourceFile(name=job_file.name, path=root / job_file.path, kind=job_file.kind,
                      encoding=job_file.encoding or None, delimiter=job_file.delimiter or None,
                      columns=job_file.columns)


# The columns _items_insert fills, in the order of _item_row's tuples; the rest take their
# defaults (no label, score, result or model version before the item is predicted).
_INSERTED = ("job_id", "file_id", "seq", "position", "text", "fields", "status", "error",
             "retryable", "label")


def _item_row(job: Job, job_file: JobFile, seq: int, item) -> tuple:
    return (job.pk, job_file.pk, seq, item.position, item.text,
            None if item.fields is None else json.dumps(item.fields, ensure_ascii=False),
            ItemStatus.FAILED if item.error else ItemStatus.PENDING, item.error or "", False, "")


def _items_insert(rows: list[tuple]) -> None:
    """Store a batch of new items: COPY on PostgreSQL, one executemany INSERT elsewhere.
    Several times faster than bulk_create, whose per-object model and field machinery was
    most of a job's read time."""
    table = connection.ops.quote_name(JobItem._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(name) for name in _INSERTED)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(_INSERTED))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


def _chunks_create(job: Job) -> None:
    """Cut the pending items into runs of JOB_CHUNK_SIZE, once per job."""
    if JobChunk.objects.filter(job=job).exists():
        return
    seqs = JobItem.objects.filter(job=job, status=ItemStatus.PENDING).order_by("seq") \
        .values_list("seq", flat=True)
    chunks = []
    for index, run in enumerate(batched(seqs.iterator(chunk_size=10_000),
                                                  job.chunk_size)):
        chunks.append(JobChunk(job=job, index=index, first_seq=run[0], last_seq=run[-1]))
    JobChunk.objects.bulk_create(chunks, batch_size=1000)
    Job.objects.filter(pk=job.pk).update(predicting_since=timezone.now())

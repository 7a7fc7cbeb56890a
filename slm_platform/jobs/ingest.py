"""The parse step of a job: stream every file into items, cut into chunks as they are stored.

A file is read in segments of the job's chunk size. Each segment is stored in one transaction
together with its chunk, which goes to the bulk queue at once: prediction starts with the
first segment rather than after the last row, so reading and predicting overlap.

A file that turns out unreadable half-way (a bad byte at row 50,000, a corrupt page) still
leaves none of its items behind: its segments are deleted again, with their chunks, and any
of their items already predicted come off the job's counts, in one transaction that holds the
job's row lock, which every chunk commit takes first (a chunk being committed finishes first;
one not yet committed finds its row gone and stops). The job records the file's error,
naming the row or page, and goes on with the other files. A cancel or a crash mid-file
discards that file's segments the same way; a redelivered parse task then reads the file
again from its start.

Each run of the parse task claims the job first (a new token in `Job.parse_token`), and every
write it makes afterwards checks the token in the same transaction: two runs of one job (a
redelivered message, or one re-sent by recovery.py while the first was only slow) never
interleave their writes. The run that claimed last reads on; the older one finds its token
gone at its next write, which is rolled back, and stops.
"""

import json
import logging
import uuid
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Max, Min, Q
from django.utils import timezone

from slm_platform.core.task_selectors import task_resolve
from slm_platform.ingest.bulk import DocumentError, SourceFile, iter_items
from slm_platform.ingest.bulk.records import segments
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


class JobCancelled(Exception):
    pass


class ParseSuperseded(Exception):
    """A later run of the job's parse task claimed it: this run stops and writes nothing more."""


def job_fail(*, job_id: int, message: str) -> None:
    """An unexpected error stopped the job: say so, rather than leave it running forever."""
    Job.objects.filter(pk=job_id).exclude(status__in=JOB_FINISHED).update(
        status=JobStatus.FAILED, error=message, finished_at=timezone.now())


def job_ingest(*, job_id: int, dispatch: bool = True) -> None:
    """Read the job's pending files into items and chunks, queueing each chunk as it is
    stored (unless the caller runs them itself). Safe to run again after a crash: files
    already read are skipped and a half-read file is discarded and read again."""
    job = Job.objects.get(pk=job_id)
    if job.finished:
        return
    token = _parse_claim(job)
    try:
        _files_ingest(job, token, dispatch=dispatch)
    except ParseSuperseded:
        logger.info("job %s: a later run of its parse task took over; this one stops", job.pk)
        return
    if dispatch:
        from slm_platform.jobs.chunks import chunks_dispatch

        chunks_dispatch(job_id=job.pk)  # settles the job if every chunk is already done


def _parse_claim(job: Job) -> str:
    """Claim the job's parse step for this run: the token its writes carry from now on."""
    token, now = uuid.uuid4().hex, timezone.now()
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(parse_token=token, parse_seen_at=now,
                                             parse_attempts=F("parse_attempts") + 1)
        Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
            status=JobStatus.RUNNING, started_at=now)
    return token


def _claim_hold(job: Job, token: str, **fields) -> None:
    """In the caller's transaction: note that the parse is alive (and set `fields` on the job),
    or raise ParseSuperseded, rolling the transaction back, when a later run holds the claim."""
    if not Job.objects.filter(pk=job.pk, parse_token=token).update(
            parse_seen_at=timezone.now(), **fields):
        raise ParseSuperseded


def _files_ingest(job: Job, token: str, *, dispatch: bool) -> None:
    for job_file in JobFile.objects.filter(job=job, status=JobFile.Status.PENDING):
        _file_discard(job, job_file, token)  # segments left by a run that died mid-file
        try:
            _file_ingest(job, job_file, token, dispatch=dispatch)
        except JobCancelled:
            logger.info("job %s cancelled while reading %s", job.pk, job_file.name)
            _file_discard(job, job_file, token)
            return
    _claim_hold(job, token, read_at=timezone.now())


def reading(job: Job) -> bool:
    """Whether files of the job are still to be read (or being read)."""
    return JobFile.objects.filter(job=job, status=JobFile.Status.PENDING).exists()


def _file_ingest(job: Job, job_file: JobFile, token: str, *, dispatch: bool) -> None:
    from slm_platform.jobs.chunks import chunks_dispatch

    source = _source(job, job_file)
    limits = limits_from_settings(task_resolve(organization=job.organization_id,
                                               slug=job.task_slug))
    room = settings.JOB_MAX_ITEMS - JobItem.objects.filter(job=job).count()
    last_seq = JobItem.objects.filter(job=job).aggregate(last=Max("seq"))["last"]
    last_chunk = JobChunk.objects.filter(job=job).aggregate(last=Max("index"))["last"]
    first_seq = seq = (-1 if last_seq is None else last_seq) + 1
    chunk_index = (-1 if last_chunk is None else last_chunk) + 1
    try:
        items = iter_items(source, text_column=job_file.text_column or None, unit=job.unit,
                           limits=limits)
        for segment in segments(items, most=job.chunk_size,
                                most_bytes=settings.JOB_SEGMENT_MAX_BYTES):
            if len(segment) > room:
                raise DocumentError(f"the job's limit of {settings.JOB_MAX_ITEMS:,} items "
                                    "is reached", file=job_file.name,
                                    location=segment[room].position)
            room -= len(segment)
            if _segment_store(job, job_file, token, seq, segment, chunk_index):
                chunk_index += 1
                if dispatch:
                    chunks_dispatch(job_id=job.pk)
            seq += len(segment)
            if Job.objects.filter(pk=job.pk, cancel_requested=True).exists():
                raise JobCancelled
    except DocumentError as exc:
        with transaction.atomic():
            _file_discard(job, job_file, token)
            JobFile.objects.filter(pk=job_file.pk).update(
                status=JobFile.Status.FAILED, error=exc.message,
                error_location=exc.location or "")
        return
    with transaction.atomic():
        _claim_hold(job, token)
        JobFile.objects.filter(pk=job_file.pk).update(status=JobFile.Status.READ,
                                                      items=seq - first_seq)


def _segment_store(job: Job, job_file: JobFile, token: str, first_seq: int, segment: tuple,
                   chunk_index: int) -> bool:
    """Store a segment's items and, if any of them is to be predicted, its chunk, in one
    transaction that also checks this run's claim. Returns whether a chunk was made."""
    pending = [first_seq + i for i, item in enumerate(segment) if not item.error]
    try:
        with transaction.atomic():
            _items_insert([_item_row(job, job_file, first_seq + i, item)
                           for i, item in enumerate(segment)])
            _claim_hold(job, token, total=F("total") + len(segment),
                        failed=F("failed") + len(segment) - len(pending))
            if pending:
                JobChunk.objects.create(job=job, index=chunk_index, first_seq=pending[0],
                                        last_seq=pending[-1])
                Job.objects.filter(pk=job.pk, predicting_since__isnull=True).update(
                    predicting_since=timezone.now())
    except IntegrityError:
        # A later run that took the claim already stored items with these numbers.
        if not Job.objects.filter(pk=job.pk, parse_token=token).exists():
            raise ParseSuperseded from None
        raise
    return bool(pending)


def _file_discard(job: Job, job_file: JobFile, token: str) -> None:
    """Delete the file's items and chunks, taking their counts off the job. Holds the job's
    row lock first, as chunk commits and dispatches do: a chunk committing now finishes before
    the counts are taken, one committing later finds its row gone."""
    with transaction.atomic():
        holder = Job.objects.select_for_update().filter(pk=job.pk) \
            .values_list("parse_token", flat=True).first()
        if holder != token:
            raise ParseSuperseded
        items = JobItem.objects.filter(job=job, file=job_file)
        counts = items.aggregate(first=Min("seq"), last=Max("seq"), total=Count("pk"),
                                 done=Count("pk", filter=Q(status=ItemStatus.DONE)),
                                 failed=Count("pk", filter=Q(status=ItemStatus.FAILED)))
        if not counts["total"]:
            return
        JobChunk.objects.filter(job=job, first_seq__gte=counts["first"],
                                last_seq__lte=counts["last"]).delete()
        items.delete()
        Job.objects.filter(pk=job.pk).update(total=F("total") - counts["total"],
                                             done=F("done") - counts["done"],
                                             failed=F("failed") - counts["failed"])


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

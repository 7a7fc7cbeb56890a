"""Job writes: create from an upload, cancel, retry failed items."""

import hashlib
import json
import logging
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from slm_platform.audit.services import Actor, audit_record
from slm_platform.core.catalog import TaskKind, TaskSpec
from slm_platform.core.errors import (
    Conflict,
    InsufficientStorage,
    NotFound,
    ServiceUnavailable,
    ValidationFailed,
    disk_full,
)
from slm_platform.core.models import Organization
from slm_platform.ingest.bulk import DocumentError, SourceFile, check_text_column, open_sources
from slm_platform.jobs.limits import document_unit_for, limits_from_settings
from slm_platform.jobs.models import Job, JobChunk, JobFile, JobItem, JobStatus
from slm_platform.jobs.webhooks import callback_url_validate
from slm_platform.registry.models import ModelVersion
from slm_platform.serving.services import task_get, version_resolve

UNITS = ("line", "paragraph", "sentence")
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Upload:
    """One uploaded file as the web layer received it: its name and a local path to read."""

    name: str
    path: Path


@dataclass(frozen=True)
class JobRequest:
    task_slug: str
    text_column: str | None = None
    unit: str | None = None
    model_version_id: int | None = None
    callback_url: str | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True)
class CreateResult:
    job: Job
    created: bool  # False: an earlier upload with the same Idempotency-Key made this job


def job_create(*, organization: Organization, request: JobRequest, uploads: list[Upload],
               actor: Actor, enqueue_job: bool = True) -> CreateResult:
    """Check the upload (task, version, every file's type and text column), store the files and
    queue the job (or, with enqueue_job=False, leave it to the caller to run, as
    `manage.py predict_file` does). Bad input raises before anything is stored; a retried
    upload with the same Idempotency-Key returns the first job."""
    if not uploads:
        raise ValidationFailed("no file was uploaded", details={"field": "files"})
    if enqueue_job:
        broker_check()
    # Only a keyed upload needs telling apart from its retry: hashing every upload would read
    # each file once more for nothing.
    fingerprint = _fingerprint(request, uploads) if request.idempotency_key else ""
    if request.idempotency_key:
        earlier = _job_for_key(organization, request.idempotency_key, fingerprint)
        if earlier is not None:
            return CreateResult(job=earlier, created=False)
    spec = task_get(organization=organization, slug=request.task_slug)
    if spec.kind == TaskKind.CHAT:
        raise ValidationFailed(f"{spec.slug} is a chat task; bulk jobs predict the other kinds",
                               details={"field": "task"})
    version = version_resolve(organization=organization, spec=spec,
                              version_id=request.model_version_id)
    unit = _unit_validate(request.unit, spec)
    callback_url = callback_url_validate(request.callback_url) if request.callback_url else ""
    upload_dir = Path(uuid.uuid4().hex)
    root = settings.JOB_UPLOAD_DIR / upload_dir
    try:
        sources = _sources_prepare(uploads, root, request.text_column)
        return _job_save(organization=organization, spec=spec, version=version, request=request,
                         unit=unit, callback_url=callback_url, fingerprint=fingerprint,
                         upload_dir=upload_dir, sources=sources, actor=actor,
                         enqueue_job=enqueue_job)
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise


def _job_for_key(organization, key: str, fingerprint: str) -> Job | None:
    job = Job.objects.filter(organization=organization, idempotency_key=key).first()
    if job is not None and job.request_sha256 != fingerprint:
        raise Conflict("this Idempotency-Key was used for a different upload",
                       code="idempotency_key_reused", details={"header": "Idempotency-Key"})
    return job


def _fingerprint(request: JobRequest, uploads: list[Upload]) -> str:
    digest = hashlib.sha256()
    digest.update(json.dumps([request.task_slug, request.text_column, request.unit,
                              request.model_version_id, request.callback_url]).encode())
    for upload in uploads:
        digest.update(upload.name.encode() + b"\0")
        with upload.path.open("rb") as stream:
            for block in iter(lambda: stream.read(1024 * 1024), b""):
                digest.update(block)
    return digest.hexdigest()


def _unit_validate(unit: str | None, spec: TaskSpec) -> str:
    if not unit:
        return document_unit_for(spec)
    if unit not in UNITS:
        raise ValidationFailed(f"unit must be one of {', '.join(UNITS)}", details={"field": "unit"})
    return unit


def _sources_prepare(uploads: list[Upload], root: Path,
                     text_column: str | None) -> list[tuple[SourceFile, str | None]]:
    """Move each upload into the job's directory, expand archives and check every file."""
    limits = limits_from_settings()
    prepared = []
    for number, upload in enumerate(uploads):
        folder = root / str(number)
        folder.mkdir(parents=True)
        stored = folder / "upload"
        try:
            shutil.move(upload.path, stored)
            sources = open_sources(stored, name=upload.name, workdir=folder / "files",
                                   limits=limits)
            for source in sources:
                column = check_text_column(source, text_column) if source.columns is not None \
                    else None
                prepared.append((source, column))
        except DocumentError as exc:
            raise ValidationFailed(str(exc), code="unreadable_file",
                                   details={"field": "files"} | exc.as_details()) from None
        except OSError as exc:
            if disk_full(exc):  # the caller removes the job's directory
                raise InsufficientStorage.for_file(upload.name, field="files") from exc
            raise
    if len(prepared) > settings.JOB_MAX_FILES:
        raise ValidationFailed(f"the upload holds {len(prepared)} files; a job takes at most "
                               f"{settings.JOB_MAX_FILES}", details={"field": "files"})
    return prepared


@transaction.atomic
def _job_save(*, organization, spec, version: ModelVersion, request: JobRequest, unit: str,
              callback_url: str, fingerprint: str, upload_dir: Path, sources, actor: Actor,
              enqueue_job: bool) -> CreateResult:
    root = settings.JOB_UPLOAD_DIR / upload_dir
    columns = sorted({column for _, column in sources if column})
    try:
        with transaction.atomic():
            job = Job.objects.create(
                organization=organization, task_slug=spec.slug, model_version=version,
                text_column=",".join(columns), unit=unit, callback_url=callback_url,
                idempotency_key=request.idempotency_key or None, request_sha256=fingerprint,
                upload_dir=str(upload_dir), created_by=actor.user,
                chunk_size=settings.JOB_CHUNK_SIZE,
            )
    except IntegrityError:
        # A concurrent upload with the same Idempotency-Key won the race: answer with its job.
        earlier = _job_for_key(organization, request.idempotency_key, fingerprint)
        shutil.rmtree(root, ignore_errors=True)
        return CreateResult(job=earlier, created=False)
    JobFile.objects.bulk_create([
        JobFile(job=job, name=source.name, kind=source.kind,
                path=str(source.path.relative_to(root)), size_bytes=source.path.stat().st_size,
                encoding=source.encoding or "", delimiter=source.delimiter or "",
                columns=source.columns, text_column=column or "")
        for source, column in sources
    ])
    audit_record(organization=organization, actor=actor, action="job.create",
                 object_type="job", object_id=job.pk,
                 data={"task": spec.slug, "model_version": version.version,
                       "files": [source.name for source, _ in sources]})
    if enqueue_job:
        transaction.on_commit(lambda: enqueue("bulk.ingest_job", job.pk))
    return CreateResult(job=job, created=True)


def _chunks_holding(job: Job, seqs: list[int]) -> list[int]:
    """Ids of the chunks whose seq range holds any of `seqs` (sorted): one sweep over both."""
    chosen, position = [], 0
    for chunk in JobChunk.objects.filter(job=job).order_by("first_seq"):
        while position < len(seqs) and seqs[position] < chunk.first_seq:
            position += 1
        if position < len(seqs) and seqs[position] <= chunk.last_seq:
            chosen.append(chunk.pk)
    return chosen


def enqueue(name: str, *args) -> bool:
    """Send a bulk task; False when the broker cannot be reached. Callers send after their
    transaction committed, so raising would only lose the message; instead the periodic
    check (recovery.py) sends a job's lost parse or chunk tasks again, or its next chunks."""
    from kombu.exceptions import OperationalError

    from slm_platform.celery import app

    try:
        app.send_task(name, args=list(args), queue="bulk")
    except OperationalError as exc:
        logger.warning("%s%s not sent, the broker is unreachable (%s); the recovery check "
                       "sends it later", name, tuple(args), exc)
        return False
    return True


def broker_check() -> None:
    """503 with Retry-After, before anything is stored, when the queue broker cannot be
    reached: a job accepted now could not be queued until it is back."""
    from kombu.exceptions import OperationalError

    from slm_platform.celery import app

    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=0)  # one attempt: refused is at once
    except OperationalError as exc:
        raise ServiceUnavailable("the queue broker is unreachable; retry shortly",
                                 code="broker_unavailable",
                                 retry_after=settings.RETRY_AFTER_SECONDS) from exc


@transaction.atomic
def job_cancel(*, organization: Organization, job_id: int, actor: Actor) -> Job:
    """Stop dispatching: chunks already on a worker finish, the rest stay pending."""
    job = Job.objects.select_for_update().filter(organization=organization, pk=job_id).first()
    if job is None:
        raise NotFound(f"job {job_id} not found", details={"id": job_id})
    if job.finished:
        raise Conflict(f"job {job_id} is already {job.status}", code="job_finished")
    job.cancel_requested = True
    job.status = JobStatus.CANCELLED
    job.finished_at = timezone.now()
    job.save(update_fields=["cancel_requested", "status", "finished_at"])
    audit_record(organization=organization, actor=actor, action="job.cancel",
                 object_type="job", object_id=job.pk)
    return job


@transaction.atomic
def job_retry(*, organization: Organization, job_id: int, actor: Actor) -> int:
    """Queue the items whose prediction failed again; input errors (empty or over-long text)
    would fail the same way and stay as they are. Files a failed job never finished reading
    (its parse stopped: recovery.py) are read again. Returns how many items were queued."""
    job = Job.objects.select_for_update().filter(organization=organization, pk=job_id).first()
    if job is None:
        raise NotFound(f"job {job_id} not found", details={"id": job_id})
    if not job.finished:
        raise Conflict(f"job {job_id} is still {job.status}", code="job_running")
    retried = JobItem.objects.filter(job=job, status="failed", retryable=True)
    seqs = list(retried.values_list("seq", flat=True))
    unread = job.status == JobStatus.FAILED and \
        JobFile.objects.filter(job=job, status=JobFile.Status.PENDING).exists()
    if not seqs and not unread:
        raise Conflict("no failed item can be retried", code="nothing_to_retry")
    if seqs:
        retried.update(status="pending", error="", retryable=False)
        JobChunk.objects.filter(pk__in=_chunks_holding(job, sorted(seqs))).update(
            done=False, dispatched=False)
    job.failed -= len(seqs)
    job.status = JobStatus.RUNNING
    job.cancel_requested = False
    job.finished_at = None
    job.error = ""
    job.parse_attempts = 0
    job.parse_seen_at = timezone.now()
    job.save(update_fields=["failed", "status", "cancel_requested", "finished_at", "error",
                            "parse_attempts", "parse_seen_at"])
    audit_record(organization=organization, actor=actor, action="job.retry",
                 object_type="job", object_id=job.pk,
                 data={"items": len(seqs), "files_unread": unread})
    task = "bulk.ingest_job" if unread else "bulk.dispatch_chunks"
    transaction.on_commit(lambda: enqueue(task, job.pk))
    return len(seqs)

"""The retention purge: per organization, delete what is older than its policy keeps.

Rows go in bounded batches, each in its own transaction, so a purge of a million-item job
never holds a million rows in memory or one lock for minutes; a run cut short is finished by
the next. Files go after the rows that name them are gone. Running jobs are never touched:
only finished ones (a job retried meanwhile is skipped at its next batch).
"""

import dataclasses
import datetime
import logging
import shutil
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from slm_platform.audit.services import Actor, audit_record
from slm_platform.chat.models import Conversation, Message
from slm_platform.datasets.models import DatasetVersion
from slm_platform.jobs.models import JOB_FINISHED, Job, JobItem
from slm_platform.retention.models import JobInputsPurged, RetentionPolicy
from slm_platform.review.models import Review

logger = logging.getLogger(__name__)


@dataclasses.dataclass
class PurgeCounts:
    """What one run deleted for one organization (or would delete, in a dry run)."""

    jobs_deleted: int = 0
    job_items_deleted: int = 0
    job_inputs_cleared: int = 0
    job_items_cleared: int = 0
    upload_dirs_removed: int = 0
    conversations_deleted: int = 0
    messages_deleted: int = 0
    dataset_versions_deleted: int = 0
    dataset_versions_kept: int = 0
    dataset_files_removed: int = 0


def retention_purge(*, dry_run: bool = False, now: datetime.datetime | None = None
                    ) -> dict[int, PurgeCounts]:
    """Purge every organization with a policy; one `retention.purge` audit event each."""
    now = now or timezone.now()
    done = {}
    for policy in RetentionPolicy.objects.select_related("organization").order_by("pk"):
        if policy.active:
            done[policy.organization_id] = organization_purge(policy=policy, now=now,
                                                              dry_run=dry_run)
    return done


def organization_purge(*, policy: RetentionPolicy, now: datetime.datetime,
                       dry_run: bool) -> PurgeCounts:
    counts = PurgeCounts()
    cutoff = {name: now - datetime.timedelta(days=days)
              for name, days in policy.as_dict().items() if days is not None}
    organization = policy.organization
    if "job_results_days" in cutoff:
        _jobs_delete(organization, cutoff["job_results_days"], counts, dry_run)
    if "job_inputs_days" in cutoff:
        _job_inputs_clear(organization, cutoff["job_inputs_days"], counts, dry_run,
                          deleted_before=cutoff.get("job_results_days"))
    if "conversations_days" in cutoff:
        _conversations_delete(organization, cutoff["conversations_days"], counts, dry_run)
    if "dataset_uploads_days" in cutoff:
        _dataset_versions_delete(organization, cutoff["dataset_uploads_days"], counts, dry_run)
    if not dry_run:
        audit_record(organization=organization, actor=Actor.system(), action="retention.purge",
                     object_type="retention_policy", object_id=policy.pk,
                     data={"policy": policy.as_dict(), **dataclasses.asdict(counts)})
    return counts


def _batch() -> int:
    return settings.RETENTION_PURGE_BATCH


def _finished_before(organization, cutoff):
    return Job.objects.filter(organization=organization, status__in=JOB_FINISHED).filter(
        Q(finished_at__lt=cutoff) | Q(finished_at__isnull=True, created_at__lt=cutoff))


def _ids(queryset) -> list[int]:
    return list(queryset.order_by("pk").values_list("pk", flat=True)[:_batch()])


def _still_finished(job_id: int) -> Job | None:
    """The job, locked, if it is still finished (a retry makes it running again)."""
    return Job.objects.select_for_update().filter(pk=job_id, status__in=JOB_FINISHED).first()


def _upload_dir_remove(upload_dir: str) -> bool:
    base = Path(settings.JOB_UPLOAD_DIR).resolve()
    root = (base / upload_dir).resolve() if upload_dir else base
    # Never the upload root itself, nor anything outside it.
    if root == base or base not in root.parents or not root.exists():
        return False
    shutil.rmtree(root, ignore_errors=True)
    return True


def _jobs_delete(organization, cutoff, counts: PurgeCounts, dry_run: bool) -> None:
    jobs = _finished_before(organization, cutoff)
    if dry_run:
        counts.jobs_deleted += jobs.count()
        counts.job_items_deleted += JobItem.objects.filter(job__in=jobs).count()
        return
    failed: set[int] = set()
    while batch := _ids(jobs.exclude(pk__in=failed)):
        for job_id in batch:
            if not _job_delete(job_id, counts):
                failed.add(job_id)


def _job_delete(job_id: int, counts: PurgeCounts) -> bool:
    """Delete the job's items a batch at a time, then the job and its upload directory."""
    while True:
        with transaction.atomic():
            job = _still_finished(job_id)
            if job is None:
                return False
            seqs = list(JobItem.objects.filter(job_id=job_id).order_by("seq")
                        .values_list("seq", flat=True)[:_batch()])
            if seqs:
                deleted, _ = JobItem.objects.filter(job_id=job_id, seq__lte=seqs[-1]).delete()
                counts.job_items_deleted += deleted
                continue
            upload_dir = job.upload_dir
            job.delete()
        counts.jobs_deleted += 1
        counts.upload_dirs_removed += _upload_dir_remove(upload_dir)
        return True


def _job_inputs_clear(organization, cutoff, counts: PurgeCounts, dry_run: bool,
                      deleted_before=None) -> None:
    jobs = _finished_before(organization, cutoff).exclude(
        Exists(JobInputsPurged.objects.filter(job=OuterRef("pk"))))
    if dry_run:
        if deleted_before is not None:  # gone by now in a real run: not counted twice
            jobs = jobs.exclude(pk__in=_finished_before(organization, deleted_before))
        counts.job_inputs_cleared += jobs.count()
        counts.job_items_cleared += JobItem.objects.filter(job__in=jobs).count()
        return
    failed: set[int] = set()
    while batch := _ids(jobs.exclude(pk__in=failed)):
        for job_id in batch:
            if not _job_inputs_clear_one(job_id, counts):
                failed.add(job_id)


def _job_inputs_clear_one(job_id: int, counts: PurgeCounts) -> bool:
    """Blank the items' texts and fields by ranges of `seq` (the (job, seq) index), remove the
    uploaded files, then mark the job done with."""
    start = 0
    while True:
        with transaction.atomic():
            job = _still_finished(job_id)
            if job is None:
                return False
            items = JobItem.objects.filter(job_id=job_id, seq__gte=start)
            upper = list(items.order_by("seq").values_list("seq", flat=True)[:_batch()])[-1:]
            if upper:
                counts.job_items_cleared += items.filter(seq__lte=upper[0]).update(
                    text="", fields=None)
                start = upper[0] + 1
                continue
            JobInputsPurged.objects.create(job=job)
            upload_dir = job.upload_dir
        counts.job_inputs_cleared += 1
        counts.upload_dirs_removed += _upload_dir_remove(upload_dir)
        return True


def _conversations_delete(organization, cutoff, counts: PurgeCounts, dry_run: bool) -> None:
    """Conversations begun before the cutoff with no message since."""
    stale = Conversation.objects.filter(assistant__organization=organization,
                                        created__lt=cutoff).exclude(
        Exists(Message.objects.filter(conversation=OuterRef("pk"), created__gte=cutoff)))
    if dry_run:
        counts.conversations_deleted += stale.count()
        counts.messages_deleted += Message.objects.filter(conversation__in=stale).count()
        return
    while batch := _ids(stale):
        with transaction.atomic():
            # Again, under the lock: a message may have come in since the batch was read.
            ids = list(stale.select_for_update(of=("self",)).filter(pk__in=batch)
                       .values_list("pk", flat=True))
            deleted, _ = Message.objects.filter(conversation_id__in=ids).delete()
            counts.messages_deleted += deleted
            Conversation.objects.filter(pk__in=ids).delete()
            counts.conversations_deleted += len(ids)


def _dataset_versions_delete(organization, cutoff, counts: PurgeCounts, dry_run: bool) -> None:
    """Old dataset versions, except those lineage needs: one a model version was trained on,
    a training run reads, or reviews went into, and each dataset's newest version."""
    newest = DatasetVersion.objects.filter(dataset=OuterRef("dataset")).order_by("-version")
    old = DatasetVersion.objects.filter(organization=organization, created_at__lt=cutoff) \
        .exclude(pk=Subquery(newest.values("pk")[:1]))
    referenced = (Q(model_versions__isnull=False) | Q(training_runs__isnull=False)
                  | Q(Exists(Review.objects.filter(used_in=OuterRef("pk")))))
    counts.dataset_versions_kept += old.filter(referenced).distinct().count()
    purgeable = old.exclude(pk__in=old.filter(referenced).values("pk"))
    if dry_run:
        counts.dataset_versions_deleted += purgeable.count()
        return
    while batch := _ids(purgeable):
        with transaction.atomic():
            versions = list(purgeable.select_for_update().filter(pk__in=batch))
            names = [name for version in versions
                     for name in (version.original_path, version.records_path) if name]
            DatasetVersion.objects.filter(pk__in=[version.pk for version in versions]).delete()
        counts.dataset_versions_deleted += len(versions)
        for name in names:
            try:
                default_storage.delete(name)
                counts.dataset_files_removed += 1
            except OSError:  # the row is gone; a file left behind is only disk space
                logger.warning("could not remove dataset file %s", name, exc_info=True)

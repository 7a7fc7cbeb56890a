"""The purge deletes what each organization's policy no longer keeps, and nothing else."""

import pytest
from django.conf import settings
from django.core.management import call_command

from slm_platform.audit.models import AuditEvent
from slm_platform.audit.selectors import audit_chain_verify
from slm_platform.chat.models import Conversation, Message
from slm_platform.datasets.models import DatasetVersion
from slm_platform.jobs.models import Job, JobFile, JobItem, JobStatus
from slm_platform.registry.models import ModelVersion
from slm_platform.retention.models import RetentionPolicy
from slm_platform.retention.purge import retention_purge
from tests.retention.factories import (
    aged_conversation,
    aged_dataset_version,
    aged_job,
    stored,
)

pytestmark = pytest.mark.django_db


def _policy(organization, **days) -> RetentionPolicy:
    return RetentionPolicy.objects.create(organization=organization, **days)


def _upload_dir(job):
    return settings.JOB_UPLOAD_DIR / job.upload_dir


def test_old_finished_jobs_go_with_their_files_recent_and_running_ones_stay(
        organization, other_organization, settings):
    settings.RETENTION_PURGE_BATCH = 3  # several batches per job, and more jobs than a batch
    _policy(organization, job_results_days=30)
    old = [aged_job(organization, days=40, items=10) for _ in range(4)]
    failed_old = aged_job(organization, days=31, status=JobStatus.FAILED)
    recent = aged_job(organization, days=10)
    running = aged_job(organization, days=90, status=JobStatus.RUNNING)
    others = aged_job(other_organization, days=400)

    counts = retention_purge()[organization.pk]

    assert counts.jobs_deleted == 5 and counts.job_items_deleted == 45
    assert counts.upload_dirs_removed == 5
    gone = [job.pk for job in [*old, failed_old]]
    assert not Job.objects.filter(pk__in=gone).exists()
    assert not JobItem.objects.filter(job_id__in=gone).exists()
    assert not JobFile.objects.filter(job_id__in=gone).exists()
    assert not any(_upload_dir(job).exists() for job in [*old, failed_old])
    for kept in (recent, running, others):
        assert JobItem.objects.filter(job=kept).count() == 5
        assert (_upload_dir(kept) / "rows.csv").exists()
    assert settings.JOB_UPLOAD_DIR.exists()


def test_old_inputs_are_cleared_but_jobs_and_predictions_stay(organization, settings):
    settings.RETENTION_PURGE_BATCH = 4
    _policy(organization, job_inputs_days=7)
    old, recent = aged_job(organization, days=8, items=10), aged_job(organization, days=2)
    running = aged_job(organization, days=30, status=JobStatus.RUNNING)

    counts = retention_purge()[organization.pk]

    assert (counts.job_inputs_cleared, counts.job_items_cleared) == (1, 10)
    items = list(JobItem.objects.filter(job=old))
    assert len(items) == 10
    assert all(item.text == "" and item.fields is None for item in items)
    assert all(item.label == "groceries" and item.score == 0.9 for item in items)
    assert not _upload_dir(old).exists()
    for kept in (recent, running):
        assert not JobItem.objects.filter(job=kept, text="").exists()
        assert _upload_dir(kept).exists()
    # A job done with is not read again.
    assert retention_purge()[organization.pk].job_inputs_cleared == 0


def test_idle_conversations_go_with_their_messages(organization, other_organization):
    _policy(organization, conversations_days=30)
    old = aged_conversation(organization, days=60)
    still_talking = aged_conversation(organization, days=60, last_message_days=1)
    recent = aged_conversation(organization, days=3)
    others = aged_conversation(other_organization, days=600)

    counts = retention_purge()[organization.pk]

    assert (counts.conversations_deleted, counts.messages_deleted) == (1, 3)
    assert not Conversation.objects.filter(pk=old.pk).exists()
    assert not Message.objects.filter(conversation_id=old.pk).exists()
    for kept in (still_talking, recent, others):
        assert Message.objects.filter(conversation=kept).count() == 3


def test_dataset_versions_lineage_needs_are_kept(organization):
    _policy(organization, dataset_uploads_days=90)
    trained_on, unused, newest = (aged_dataset_version(organization, days=200) for _ in range(3))
    recent_other = aged_dataset_version(organization, days=5, name="other")
    ModelVersion.objects.create(organization=organization, version=99, status="ready",
                                task_slug="finance.transaction-category",
                                base_model="all-MiniLM-L6-v2", dataset_version=trained_on)

    counts = retention_purge()[organization.pk]

    assert (counts.dataset_versions_deleted, counts.dataset_versions_kept) == (1, 1)
    assert counts.dataset_files_removed == 2
    assert not DatasetVersion.objects.filter(pk=unused.pk).exists() and not stored(unused)
    for kept in (trained_on, newest, recent_other):
        assert DatasetVersion.objects.filter(pk=kept.pk).exists() and stored(kept)


def test_each_run_records_its_counts_in_the_audit_chain(organization, other_organization):
    _policy(organization, job_results_days=30, conversations_days=30)
    _policy(other_organization)  # keeps everything: nothing to do, nothing recorded
    aged_job(organization, days=45, items=7)
    aged_conversation(organization, days=45, messages=2)

    retention_purge()
    retention_purge()

    events = list(AuditEvent.objects.filter(action="retention.purge").order_by("sequence"))
    assert [event.organization_id for event in events] == [organization.pk] * 2
    first, second = (event.data for event in events)
    assert (first["jobs_deleted"], first["job_items_deleted"]) == (1, 7)
    assert (first["conversations_deleted"], first["messages_deleted"]) == (1, 2)
    assert first["policy"]["job_results_days"] == 30
    assert second["jobs_deleted"] == 0 and events[0].actor_label == "system"
    assert audit_chain_verify(organization=organization).intact


def test_dry_run_counts_and_deletes_nothing(organization, capsys):
    _policy(organization, job_results_days=30, job_inputs_days=1, conversations_days=30,
            dataset_uploads_days=30)
    job = aged_job(organization, days=45, items=6)
    conversation = aged_conversation(organization, days=45)
    versions = [aged_dataset_version(organization, days=45) for _ in range(2)]

    call_command("retention_purge", "--dry-run")

    output = capsys.readouterr().out
    assert f"{organization.slug}: would delete jobs_deleted=1, job_items_deleted=6" in output
    assert "conversations_deleted=1, messages_deleted=3" in output
    assert "job_inputs_cleared=0, job_items_cleared=0" in output
    assert "dataset_versions_deleted=1" in output
    assert JobItem.objects.filter(job=job).exclude(text="").count() == 6
    assert _upload_dir(job).exists()
    assert Message.objects.filter(conversation=conversation).count() == 3
    assert all(stored(version) for version in versions)
    assert not AuditEvent.objects.filter(action="retention.purge").exists()

    call_command("retention_purge")
    assert not Job.objects.filter(pk=job.pk).exists()
    assert f"{organization.slug}: deleted jobs_deleted=1" in capsys.readouterr().out

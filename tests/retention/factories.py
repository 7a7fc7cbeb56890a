"""Rows aged on purpose: finished (or running) jobs with items and an upload directory on disk,
conversations with messages, dataset versions with their stored files."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from slm_platform.chat.models import Assistant, Conversation, Message
from slm_platform.datasets.models import Dataset, DatasetVersion
from slm_platform.jobs.models import ItemStatus, Job, JobFile, JobItem, JobStatus
from tests.review.factories import model_version


def days_ago(days: float):
    return timezone.now() - timedelta(days=days)


def aged_job(organization, *, days: float, items: int = 5, status=JobStatus.SUCCEEDED) -> Job:
    """A job created and finished `days` ago (a running one: only created), with its uploaded
    file on disk and `items` predicted items."""
    upload_dir = uuid.uuid4().hex
    root = settings.JOB_UPLOAD_DIR / upload_dir
    root.mkdir(parents=True)
    (root / "rows.csv").write_text("id,description\n" + "".join(
        f"{seq},patient {seq} called\n" for seq in range(items)))
    finished = status != JobStatus.RUNNING
    job = Job.objects.create(organization=organization, task_slug="finance.transaction-category",
                             model_version=model_version(organization), status=status,
                             total=items, done=items if finished else 0, upload_dir=upload_dir)
    Job.objects.filter(pk=job.pk).update(created_at=days_ago(days),
                                         finished_at=days_ago(days) if finished else None)
    job_file = JobFile.objects.create(job=job, name="rows.csv", kind="csv", path="rows.csv",
                                      items=items)
    JobItem.objects.bulk_create([
        JobItem(job=job, file=job_file, seq=seq, position=f"row {seq + 2}",
                text=f"patient {seq} called", fields={"id": str(seq)},
                status=ItemStatus.DONE if finished else ItemStatus.PENDING,
                label="groceries" if finished else "", score=0.9 if finished else None)
        for seq in range(items)])
    return job


def aged_conversation(organization, *, days: float, last_message_days: float | None = None,
                      messages: int = 3) -> Conversation:
    assistant = Assistant.objects.filter(organization=organization).first() or \
        Assistant.objects.create(organization=organization, slug="desk", name="Desk")
    conversation = Conversation.objects.create(assistant=assistant)
    Conversation.objects.filter(pk=conversation.pk).update(created=days_ago(days))
    for number in range(messages):
        message = Message.objects.create(conversation=conversation, role="user",
                                         text=f"my date of birth is 0{number}/01/1970")
        age = days if number < messages - 1 or last_message_days is None else last_message_days
        Message.objects.filter(pk=message.pk).update(created=days_ago(age))
    return conversation


def aged_dataset_version(organization, *, days: float, name: str = "labels"
                         ) -> DatasetVersion:
    dataset, _ = Dataset.objects.get_or_create(organization=organization, name=name,
                                               task_slug="finance.transaction-category")
    number = dataset.versions.count() + 1
    prefix = f"datasets/{organization.pk}/{dataset.pk}/v{number}"
    original = default_storage.save(f"{prefix}/original", ContentFile(b"text,label\na,b\n"))
    records = default_storage.save(f"{prefix}/records.jsonl", ContentFile(b'{"text":"a"}\n'))
    version = DatasetVersion.objects.create(
        organization=organization, dataset=dataset, version=number, filename="labels.csv",
        file_format="csv", size_bytes=15, content_sha256=f"{number:064d}",
        original_path=original, records_path=records, row_count=1)
    DatasetVersion.objects.filter(pk=version.pk).update(created_at=days_ago(days))
    return version


def stored(version: DatasetVersion) -> bool:
    return all(default_storage.exists(name)
               for name in (version.original_path, version.records_path))

"""Bulk jobs: uploaded files read into items, predicted in chunks on the bulk queue."""

from django.conf import settings
from django.db import models

from slm_platform.core.models import OrganizationOwned


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"
    PARTIALLY_FAILED = "partially_failed", "Partially failed"


JOB_FINISHED = (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED,
                JobStatus.PARTIALLY_FAILED)


class Job(OrganizationOwned):
    """One bulk request. Every item is predicted by `model_version`, pinned when the job is
    created, so activating another version mid-job never mixes two models in one result."""

    task_slug = models.CharField(max_length=100, db_index=True)
    model_version = models.ForeignKey("registry.ModelVersion", on_delete=models.PROTECT,
                                      related_name="jobs")
    status = models.CharField(max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    text_column = models.CharField(max_length=200, blank=True)
    unit = models.CharField(max_length=16, blank=True,
                            help_text="How text documents are split into items")
    cancel_requested = models.BooleanField(default=False)
    # Items per chunk task, fixed when the job is created (JOB_CHUNK_SIZE then).
    chunk_size = models.PositiveIntegerField(default=512)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    callback_url = models.URLField(max_length=500, blank=True)
    idempotency_key = models.CharField(max_length=200, null=True, blank=True)
    # With an Idempotency-Key: what the upload was (files' hashes and options), to tell a
    # retried upload from a new one under the same key.
    request_sha256 = models.CharField(max_length=64, blank=True)
    # The directory (under JOB_UPLOAD_DIR) holding the job's uploaded files.
    upload_dir = models.CharField(max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # The first chunk was stored (prediction can start) / the last file was read: the two
    # overlap, since chunks go out while their file is still being read.
    predicting_since = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The parse step's claim (ingest.py): the run that claimed it last reads the files, and an
    # older run still going finds the token changed at its next write and stops. When the
    # parse task was last sent or last stored a segment: a job silent for longer than
    # JOB_CHUNK_STALE_SECONDS lost its parse task and is sent it again (recovery.py).
    parse_token = models.CharField(max_length=32, blank=True)
    parse_seen_at = models.DateTimeField(null=True, blank=True)
    parse_attempts = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "idempotency_key"],
                                    name="unique_job_idempotency_key"),
        ]

    @property
    def finished(self) -> bool:
        return self.status in JOB_FINISHED

    def __str__(self) -> str:
        return f"job {self.pk} of {self.task_slug} ({self.status})"


class JobFile(models.Model):
    """One readable file of a job (a ZIP contributes one row per entry)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        READ = "read", "Read"
        FAILED = "failed", "Failed"

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=500)
    kind = models.CharField(max_length=16)
    path = models.CharField(max_length=500, help_text="Inside the job's upload directory")
    size_bytes = models.BigIntegerField(default=0)
    encoding = models.CharField(max_length=32, blank=True)
    delimiter = models.CharField(max_length=4, blank=True)
    columns = models.JSONField(null=True, blank=True)
    text_column = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    items = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    error_location = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["id"]


class ItemStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class JobItem(models.Model):
    """One text to predict; `seq` orders the results as the rows came in."""

    # No index of its own: the unique (job, seq) index serves every lookup by job, and each
    # index costs every stored and every predicted item an index entry.
    # No database constraints on the item's references either: PostgreSQL checks each one row
    # by row when items are stored and predicted (measured: 0.7 s of a 100,000-row COPY's
    # 1.2 s for job + file). Items are written only by the job's own steps, after their job,
    # file and version rows exist, and deletes still cascade (Django's on_delete).
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="items", db_index=False,
                            db_constraint=False)
    file = models.ForeignKey(JobFile, on_delete=models.CASCADE, related_name="+",
                             db_constraint=False)
    seq = models.PositiveIntegerField()
    position = models.CharField(max_length=100)
    text = models.TextField()
    fields = models.JSONField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=ItemStatus.choices,
                              default=ItemStatus.PENDING)
    # Input problems (empty or over-long text) are final; prediction failures can be retried.
    error = models.TextField(blank=True)
    retryable = models.BooleanField(default=False)
    label = models.CharField(max_length=200, blank=True)
    score = models.FloatField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)
    model_version = models.ForeignKey("registry.ModelVersion", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+",
                                      db_constraint=False)

    class Meta:
        ordering = ["seq"]
        constraints = [models.UniqueConstraint(fields=["job", "seq"], name="unique_job_item_seq")]
        indexes = [models.Index(fields=["job", "status"], name="job_item_status")]


class JobChunk(models.Model):
    """A run of items predicted as one Celery task. Its row is the idempotency lock: results
    are written in the same transaction that marks the chunk done, so a redelivered chunk
    (after a worker died) either finds it done or redoes it from scratch."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    first_seq = models.PositiveIntegerField()
    last_seq = models.PositiveIntegerField()
    dispatched = models.BooleanField(default=False)
    # When its task was last sent: a chunk still not done long after is sent again (chunks.py).
    dispatched_at = models.DateTimeField(null=True, blank=True)
    done = models.BooleanField(default=False)
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["index"]
        constraints = [models.UniqueConstraint(fields=["job", "index"], name="unique_job_chunk")]


class OrganizationWebhook(OrganizationOwned):
    """An organization's default completion callback and the secret its bodies are signed with."""

    url = models.URLField(max_length=500, blank=True)
    secret = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)
    rotated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization"],
                                               name="one_webhook_per_organization")]


class WebhookDelivery(models.Model):
    """Every attempt to call a job's webhook, successful or not."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="webhook_deliveries")
    url = models.URLField(max_length=500)
    attempt = models.PositiveIntegerField()
    status_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    duration_ms = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

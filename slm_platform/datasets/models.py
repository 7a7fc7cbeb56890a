"""Labelled datasets: a named dataset per task, with immutable, content-hashed versions."""

from django.conf import settings
from django.db import models

from slm_platform.core.models import OrganizationOwned


class Dataset(OrganizationOwned):
    task_slug = models.CharField(max_length=100, db_index=True)
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "task_slug", "name"],
                                    name="unique_dataset_name_per_task")
        ]

    def __str__(self) -> str:
        return f"{self.task_slug}/{self.name}"


class DatasetVersion(OrganizationOwned):
    """One uploaded file, parsed and checked. Never changed after creation."""

    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    filename = models.CharField(max_length=255)
    file_format = models.CharField(max_length=16)
    encoding = models.CharField(max_length=32, blank=True)
    size_bytes = models.BigIntegerField()
    content_sha256 = models.CharField(max_length=64, db_index=True)
    # Storage names: the original upload and the parsed records (JSON lines).
    original_path = models.CharField(max_length=400)
    records_path = models.CharField(max_length=400)
    row_count = models.PositiveIntegerField()
    labels = models.JSONField(default=list)
    has_split = models.BooleanField(default=False)
    options = models.JSONField(default=dict, help_text="Columns and parsing options used.")
    quality = models.JSONField(default=dict, help_text="The data-quality report.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "version"], name="unique_dataset_version")
        ]

    @property
    def task_slug(self) -> str:
        return self.dataset.task_slug

    @property
    def name(self) -> str:
        return f"{self.dataset.name}@v{self.version}"

    def __str__(self) -> str:
        return self.name

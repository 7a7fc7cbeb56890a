"""Model versions: one trained artifact of a task per row, one active per task and organization."""

from django.db import models
from django.db.models import Q

from slm_platform.core.models import OrganizationOwned


class VersionStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    TRAINING = "training", "Training"
    READY = "ready", "Ready"
    ACTIVE = "active", "Active"
    ARCHIVED = "archived", "Archived"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class ModelVersion(OrganizationOwned):
    task_slug = models.CharField(max_length=100, db_index=True)
    version = models.PositiveIntegerField()
    status = models.CharField(
        max_length=16, choices=VersionStatus.choices, default=VersionStatus.TRAINING
    )
    source = models.CharField(max_length=32, default="starter",
                              help_text="How it was made: starter, fine-tune, ...")
    base_model = models.CharField(max_length=100)
    # A directory name inside the default storage (local disk now, a shared store later).
    artifact_path = models.CharField(max_length=300, blank=True)
    training_config = models.JSONField(default=dict, blank=True)
    dataset_version = models.ForeignKey("datasets.DatasetVersion", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="model_versions")
    recipe = models.CharField(max_length=32, blank=True)
    # Where it came from: dataset version + hash, base model, recipe, hyperparameters, seed,
    # code version, duration, hardware. Written once, when training ends.
    lineage = models.JSONField(default=dict, blank=True)
    # Test reports of this version on other versions' test sets, keyed by test-set fingerprint,
    # so champion/challenger comparisons are computed once.
    evaluations = models.JSONField(default=dict, blank=True)
    metrics = models.JSONField(default=dict, blank=True)
    # A compressed version: the version it was made from, and the method, options, what the
    # method did and the compression report (both versions measured in one run).
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="derived")
    compression = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    trained_at = models.DateTimeField(null=True, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["task_slug", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "task_slug", "version"], name="unique_version_per_task"
            ),
            models.UniqueConstraint(
                fields=["organization", "task_slug"], condition=Q(status="active"),
                name="one_active_version_per_task",
            ),
        ]

    @property
    def name(self) -> str:
        return f"{self.task_slug}@v{self.version}"

    def __str__(self) -> str:
        return f"{self.name} ({self.status})"


class ActivationRecord(OrganizationOwned):
    """Which version became active for a task, when, by whom: the immutable history that
    rollback reads. Rows are only ever added."""

    task_slug = models.CharField(max_length=100, db_index=True)
    model_version = models.ForeignKey(ModelVersion, on_delete=models.PROTECT, related_name="+")
    previous_version = models.ForeignKey(ModelVersion, null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, default="activate")  # activate or rollback
    actor_label = models.CharField(max_length=200)
    activated_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-activated_at", "-id"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("activation history is append-only")
        super().save(*args, **kwargs)

"""Training runs: one fine-tune of a task on a dataset version, queued on the training queue."""

from django.conf import settings
from django.db import models

from slm_platform.core.models import OrganizationOwned


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


FINISHED = (RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.CANCELLED)


class TrainingRun(OrganizationOwned):
    task_slug = models.CharField(max_length=100, db_index=True)
    dataset_version = models.ForeignKey("datasets.DatasetVersion", on_delete=models.PROTECT,
                                        related_name="training_runs")
    model_version = models.OneToOneField("registry.ModelVersion", null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="training_run")
    recipe = models.CharField(max_length=32)
    hyperparameters = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED)
    cancel_requested = models.BooleanField(default=False)
    # epoch, step, total_steps, loss curve, eta_seconds: written by the worker as it goes.
    progress = models.JSONField(default=dict, blank=True)
    split = models.JSONField(default=dict, blank=True)
    log = models.TextField(blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    def __str__(self) -> str:
        return f"run {self.pk} of {self.task_slug} ({self.status})"

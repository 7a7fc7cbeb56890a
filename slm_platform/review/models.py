"""The review queue: low-confidence predictions of bulk jobs, confirmed or corrected by a person,
and the corrections gathered into labelled dataset versions for the next training run."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from slm_platform.core.models import OrganizationOwned

DEFAULT_THRESHOLD = 0.6


class ReviewThreshold(OrganizationOwned):
    """Items of a single-label classification task scored below `threshold` are reviewed; a task
    without a row uses DEFAULT_THRESHOLD."""

    task_slug = models.CharField(max_length=100)
    threshold = models.FloatField(validators=[MinValueValidator(0.0), MaxValueValidator(1.0)])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "task_slug"],
                                    name="unique_review_threshold_per_task"),
            models.CheckConstraint(condition=Q(threshold__gte=0) & Q(threshold__lte=1),
                                   name="review_threshold_between_0_and_1"),
        ]

    def __str__(self) -> str:
        return f"{self.task_slug} < {self.threshold}"


class ReviewAction(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    CORRECTED = "corrected", "Corrected"
    SKIPPED = "skipped", "Skipped"


LABELLED = (ReviewAction.CONFIRMED, ReviewAction.CORRECTED)


class Review(OrganizationOwned):
    """A person's verdict on one job item; at most one per item (a re-review replaces it).
    `used_in` is the dataset version it went into, None while it is still to be used."""

    # The one-to-one's unique index also serves the queue's NOT EXISTS per item. No cascade
    # and no database constraint: job items are deleted in bulk (a failed file's, a purged
    # job's), and a cascade would make Django load every item first; a review whose item is
    # gone is left behind and never read (reviews are read joined to their item).
    job_item = models.OneToOneField("jobs.JobItem", on_delete=models.DO_NOTHING,
                                    db_constraint=False, related_name="review")
    task_slug = models.CharField(max_length=100)
    predicted_label = models.CharField(max_length=200)
    label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=16, choices=ReviewAction.choices)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    used_in = models.ForeignKey("datasets.DatasetVersion", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "task_slug", "action"],
                                name="review_task_action")]

    def __str__(self) -> str:
        return f"review of item {self.job_item_id}: {self.action} {self.label}"

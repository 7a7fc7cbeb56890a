"""Review reads, scoped to the organization: thresholds, the queue of a task and its counts."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from slm_platform.core.catalog import TaskKind, TaskSpec
from slm_platform.core.models import Organization
from slm_platform.core.task_selectors import task_resolve, tasks_for_organization
from slm_platform.jobs.models import ItemStatus, JobItem
from slm_platform.review.models import DEFAULT_THRESHOLD, LABELLED, Review, ReviewThreshold


@dataclass(frozen=True)
class ReviewCounts:
    pending: int  # in the queue: under the threshold, not reviewed
    reviewed: int  # reviews of the task, skips included
    ready: int  # confirmed or corrected and not yet in a dataset version


def reviewable_task(*, organization: Organization, slug: str) -> TaskSpec | None:
    """The task if its predictions can be reviewed (single-label classification), else None."""
    spec = task_resolve(organization=organization, slug=slug)
    return spec if spec is not None and spec.kind == TaskKind.CLASSIFICATION else None


def reviewable_tasks(*, organization: Organization) -> list[TaskSpec]:
    return [spec for spec in tasks_for_organization(organization=organization)
            if spec.kind == TaskKind.CLASSIFICATION]


def review_threshold(*, organization: Organization, task_slug: str) -> float:
    stored = ReviewThreshold.objects.filter(organization=organization, task_slug=task_slug) \
        .values_list("threshold", flat=True).first()
    return DEFAULT_THRESHOLD if stored is None else stored


def review_thresholds(*, organization: Organization) -> dict[str, float]:
    """The thresholds an organization has set, by task (the others are DEFAULT_THRESHOLD)."""
    return dict(ReviewThreshold.objects.filter(organization=organization)
                .values_list("task_slug", "threshold"))


def review_queue(*, organization: Organization, task_slug: str,
                 threshold: float | None = None) -> QuerySet[JobItem]:
    """Done items of the organization's jobs of the task scored below the threshold (or routed
    to a person by the task's cascade policy) and not reviewed yet, lowest score first. Lazy:
    take a slice or .first(), never the whole list."""
    if threshold is None:
        threshold = review_threshold(organization=organization, task_slug=task_slug)
    reviewed = Review.objects.filter(job_item=OuterRef("pk"))
    return (JobItem.objects
            .filter(job__organization=organization, job__task_slug=task_slug,
                    status=ItemStatus.DONE)
            .filter(Q(score__lt=threshold) | Q(result__route="human"))
            .filter(~Exists(reviewed))
            .order_by("score", "pk"))


def reviews_for_task(*, organization: Organization, task_slug: str) -> QuerySet[Review]:
    # Joined to the item's job: a review whose item was deleted with its job is not counted.
    return Review.objects.filter(organization=organization, task_slug=task_slug,
                                 job_item__job__organization=organization)


def reviews_ready(*, organization: Organization, task_slug: str) -> QuerySet[Review]:
    """Confirmed and corrected reviews not yet in a dataset version."""
    return reviews_for_task(organization=organization, task_slug=task_slug) \
        .filter(action__in=LABELLED, used_in__isnull=True)


def review_counts(*, organization: Organization, task_slug: str,
                  threshold: float | None = None) -> ReviewCounts:
    return ReviewCounts(
        pending=review_queue(organization=organization, task_slug=task_slug,
                             threshold=threshold).count(),
        reviewed=reviews_for_task(organization=organization, task_slug=task_slug).count(),
        ready=reviews_ready(organization=organization, task_slug=task_slug).count(),
    )

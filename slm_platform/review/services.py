"""Review writes: thresholds, a reviewer's verdict on an item, and reviewed items turned into a
labelled dataset version. Each audits in its own transaction."""

import csv
import io

from django.db import transaction
from django.utils import timezone

from slm_platform.audit.services import Actor, audit_record
from slm_platform.core.errors import Conflict, NotFound, ValidationFailed
from slm_platform.core.models import Organization
from slm_platform.datasets.models import DatasetVersion
from slm_platform.datasets.services import ParseOptions, dataset_upload
from slm_platform.jobs.models import ItemStatus, JobItem
from slm_platform.review.models import Review, ReviewAction, ReviewThreshold
from slm_platform.review.selectors import reviewable_task, reviews_ready


def _reviewable_task(organization: Organization, task_slug: str):
    spec = reviewable_task(organization=organization, slug=task_slug)
    if spec is None:
        raise NotFound(f"no single-label classification task {task_slug!r}",
                       code="task_not_found", details={"field": "task"})
    return spec


@transaction.atomic
def threshold_set(*, organization: Organization, task_slug: str, threshold: float,
                  actor: Actor) -> ReviewThreshold:
    """Set the score under which the task's bulk predictions are queued for review."""
    _reviewable_task(organization, task_slug)
    if not 0 <= threshold <= 1:
        raise ValidationFailed("The threshold is a score from 0 to 1.",
                               details={"field": "threshold", "value": threshold})
    row, _ = ReviewThreshold.objects.update_or_create(
        organization=organization, task_slug=task_slug, defaults={"threshold": threshold})
    audit_record(organization=organization, actor=actor, action="review.threshold",
                 object_type="review_threshold", object_id=row.pk,
                 data={"task": task_slug, "threshold": threshold})
    return row


def _verdict(spec, item: JobItem, action: str, label: str | None) -> tuple[str, str]:
    """(action, label) as stored: a confirmation keeps the prediction, a correction names one of
    the task's labels (to the predicted one it is a confirmation), a skip has no label."""
    if action == ReviewAction.SKIPPED:
        return action, ""
    if action == ReviewAction.CONFIRMED:
        return action, item.label
    if action != ReviewAction.CORRECTED:
        raise ValidationFailed(f"unknown review action {action!r}",
                               details={"field": "action"})
    if label not in spec.labels:
        raise ValidationFailed(f"{label!r} is not a label of {spec.slug}",
                               details={"field": "label", "labels": list(spec.labels)})
    return (ReviewAction.CONFIRMED if label == item.label else action), label


@transaction.atomic
def review_record(*, organization: Organization, item_id: int, action: str,
                  label: str | None = None, actor: Actor) -> Review:
    """Record a reviewer's confirmation, correction or skip of a job item of the organization.
    A second review of the item replaces the first (and is used in the next dataset again)."""
    item = (JobItem.objects.select_related("job")
            .filter(pk=item_id, job__organization=organization).first())
    if item is None:
        raise NotFound(f"no job item {item_id}", code="item_not_found")
    if item.status != ItemStatus.DONE:
        raise ValidationFailed(f"job item {item_id} has no prediction to review")
    spec = _reviewable_task(organization, item.job.task_slug)
    action, label = _verdict(spec, item, action, label)
    review, created = Review.objects.update_or_create(job_item=item, defaults={
        "organization": organization, "task_slug": spec.slug, "predicted_label": item.label,
        "label": label, "action": action, "reviewer": actor.user, "used_in": None,
        "created_at": timezone.now()})
    audit_record(organization=organization, actor=actor, action="review.record",
                 object_type="job_item", object_id=item.pk,
                 data={"task": spec.slug, "action": action, "predicted": item.label,
                       "label": label, "replaced": not created})
    return review


def _reviews_csv(reviews: list[Review]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["text", "label"])
    writer.writerows((review.job_item.text, review.label) for review in reviews)
    return buffer.getvalue().encode()


@transaction.atomic
def reviews_to_dataset(*, organization: Organization, task_slug: str,
                       actor: Actor) -> DatasetVersion:
    """The confirmed and corrected reviews not used yet, uploaded as the next version of the
    dataset "review-<task>-<date>" (through the upload service and its quality checks), and
    marked as used in it. Conflict when there is nothing new."""
    spec = _reviewable_task(organization, task_slug)
    reviews = list(reviews_ready(organization=organization, task_slug=spec.slug)
                   .select_for_update(of=("self",)).select_related("job_item").order_by("pk"))
    if not reviews:
        raise Conflict(f"no reviewed items of {spec.slug} that are not in a dataset yet",
                       code="nothing_to_use")
    name = f"review-{spec.slug}-{timezone.localdate():%Y-%m-%d}"
    version = dataset_upload(organization=organization, task_slug=spec.slug, name=name,
                             filename=f"{name}.csv", data=_reviews_csv(reviews),
                             options=ParseOptions(), actor=actor).version
    Review.objects.filter(pk__in=[review.pk for review in reviews]).update(used_in=version)
    audit_record(organization=organization, actor=actor, action="review.dataset",
                 object_type="dataset_version", object_id=version.pk,
                 data={"task": spec.slug, "reviews": len(reviews), "dataset": version.name})
    return version

"""Job reads, always scoped to the caller's organization."""

from django.db.models import QuerySet

from slm_platform.core.models import Organization
from slm_platform.jobs.models import Job, JobItem


def jobs_for_organization(*, organization: Organization, task_slug: str | None = None,
                          status: str | None = None) -> QuerySet[Job]:
    jobs = Job.objects.filter(organization=organization).select_related("model_version")
    if task_slug:
        jobs = jobs.filter(task_slug=task_slug)
    if status:
        jobs = jobs.filter(status=status)
    return jobs


def job_get(*, organization: Organization, job_id: int) -> Job | None:
    return jobs_for_organization(organization=organization).filter(pk=job_id).first()


def job_items(*, job: Job, status: str | None = None, label: str | None = None,
              min_score: float | None = None, max_score: float | None = None
              ) -> QuerySet[JobItem]:
    items = JobItem.objects.filter(job=job).select_related("file")
    if status:
        items = items.filter(status=status)
    if label:
        items = items.filter(label=label)
    if min_score is not None:
        items = items.filter(score__gte=min_score)
    if max_score is not None:
        items = items.filter(score__lte=max_score)
    return items.order_by("seq")


def job_progress(job: Job) -> dict:
    """Counts, throughput (items/s since prediction began) and the time left at that pace."""
    from django.utils import timezone

    processed = job.done + job.failed
    pending = max(0, job.total - processed)
    rate = None
    if job.predicting_since is not None:
        end = job.finished_at or timezone.now()
        seconds = (end - job.predicting_since).total_seconds()
        rate = round(processed / seconds, 1) if seconds > 0 and processed else None
    eta = None
    if not job.finished and rate:
        eta = round(pending / rate, 1)
    percent = round(100 * processed / job.total, 1) if job.total else (
        100.0 if job.finished else 0.0)
    return {"total": job.total, "done": job.done, "failed": job.failed, "pending": pending,
            "percent": percent, "items_per_second": rate, "eta_seconds": eta}

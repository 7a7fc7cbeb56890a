"""What the dashboard's overview shows, read in a few queries: queue depths, live workers, running
jobs and their pace, recent failures and the active model of every task."""

import redis
from django.conf import settings
from django.db.models import Count, Q

from slm_platform.audit.models import AuditEvent
from slm_platform.celery import QUEUES
from slm_platform.core.connections import redis_client
from slm_platform.core.models import Organization
from slm_platform.core.task_selectors import tasks_for_organization
from slm_platform.jobs.models import Job, JobStatus
from slm_platform.jobs.selectors import job_progress
from slm_platform.registry.models import ModelVersion
from slm_platform.registry.selectors import active_versions_by_task
from slm_platform.serving.heartbeat import workers_alive

RECENT_ERRORS = 10


def queue_depths() -> dict[str, int | None]:
    """Messages waiting per Celery queue (the broker's list length); None when the broker
    cannot be reached."""
    try:
        client = redis_client(settings.CELERY_BROKER_URL, socket_timeout=1)
        pipeline = client.pipeline()
        for queue in QUEUES:
            pipeline.llen(queue)
        return dict(zip(QUEUES, pipeline.execute(), strict=True))
    except redis.RedisError:
        return dict.fromkeys(QUEUES)


def overview(*, organization: Organization) -> dict:
    running = list(Job.objects.filter(organization=organization,
                                      status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
                   .order_by("-created_at")[:20])
    progress = {job.pk: job_progress(job) for job in running}
    errors = (AuditEvent.objects.filter(organization=organization)
              .exclude(outcome="success").order_by("-created_at")[:RECENT_ERRORS])
    active = active_versions_by_task(organization=organization)
    counts = dict(ModelVersion.objects.filter(organization=organization)
                  .values_list("task_slug").annotate(n=Count("pk")))
    training = set(ModelVersion.objects.filter(organization=organization, status="training")
                   .values_list("task_slug", flat=True))
    tasks = [{"spec": spec, "active": active.get(spec.slug), "versions": counts.get(spec.slug, 0),
              "training": spec.slug in training}
             for spec in tasks_for_organization(organization=organization)]
    job_counts = Job.objects.filter(organization=organization).aggregate(
        running=Count("pk", filter=Q(status=JobStatus.RUNNING)),
        queued=Count("pk", filter=Q(status=JobStatus.QUEUED)))
    return {
        "queues": [{"name": name, "depth": depth, "workers": workers_alive(queue=name)}
                   for name, depth in queue_depths().items()],
        "jobs": [{"job": job, "progress": progress[job.pk]} for job in running],
        "job_counts": job_counts,
        "items_per_second": round(sum(p["items_per_second"] or 0 for p in progress.values()), 1),
        "errors": list(errors),
        "tasks": tasks,
    }

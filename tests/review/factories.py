"""Rows of predicted bulk-job items, written directly (no worker): a model version, a job and
its file, and done items with the label, score and top scores a chunk would store."""

from slm_platform.jobs.models import ItemStatus, Job, JobFile, JobItem, JobStatus
from slm_platform.registry.models import ModelVersion

TASK = "finance.transaction-category"


def model_version(organization, task_slug: str = TASK) -> ModelVersion:
    latest = ModelVersion.objects.filter(organization=organization, task_slug=task_slug).count()
    return ModelVersion.objects.create(organization=organization, task_slug=task_slug,
                                       version=latest + 1, status="ready",
                                       base_model="all-MiniLM-L6-v2")


def predicted_job(organization, rows: list[tuple[str, str, float]], *, task_slug: str = TASK,
                  status: str = ItemStatus.DONE) -> list[JobItem]:
    """A finished job of `task_slug` with one item per (text, label, score) row; each item's
    stored scores hold its label first, then two others."""
    job = Job.objects.create(organization=organization, task_slug=task_slug,
                             model_version=model_version(organization, task_slug),
                             status=JobStatus.SUCCEEDED, total=len(rows), done=len(rows),
                             upload_dir="test")
    job_file = JobFile.objects.create(job=job, name="rows.csv", kind="csv", path="rows.csv",
                                      items=len(rows))
    items = []
    for seq, (text, label, score) in enumerate(rows):
        others = [other for other in ("groceries", "dining", "fuel", "travel") if other != label]
        rest = round((1 - score) / 2, 4)
        scores = {label: score, others[0]: rest, others[1]: round(rest / 2, 4)}
        items.append(JobItem(job=job, file=job_file, seq=seq, position=f"row {seq + 2}",
                             text=text, status=status, label=label, score=score,
                             result={"label": label, "score": score, "scores": scores}))
    return JobItem.objects.bulk_create(items)

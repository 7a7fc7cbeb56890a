"""The dashboard's bulk-job pages: upload (many files or a ZIP, drag and drop, a column picker
for tables), the job list, and a job with live progress, its files, a filtered and paginated
results table, downloads, cancel and retry. The job services do the work (jobs.services)."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from slm_platform.core.errors import ApplicationError
from slm_platform.core.task_selectors import tasks_for_organization
from slm_platform.dashboard.access import capability_required
from slm_platform.jobs.models import JobFile, JobStatus
from slm_platform.jobs.results import FORMATS
from slm_platform.jobs.selectors import job_get, job_items, job_progress, jobs_for_organization
from slm_platform.jobs.services import JobRequest, job_cancel, job_create, job_retry
from slm_platform.jobs.uploads import uploads_on_disk

JOBS_PER_PAGE = 25
ITEMS_PER_PAGE = 50
UNITS = ("line", "paragraph", "sentence")


def _page(request, items, size: int):
    return Paginator(items, size).get_page(request.GET.get("page"))


def _jobs_context(request, *, errors: dict | None = None, values: dict | None = None) -> dict:
    status = request.GET.get("status") or ""
    jobs = jobs_for_organization(organization=request.organization, status=status or None) \
        .annotate(file_count=Count("files")).order_by("-created_at")
    page = _page(request, jobs, JOBS_PER_PAGE)
    return {"page": page, "rows": [{"job": job, "progress": job_progress(job)} for job in page],
            "status": status, "statuses": JobStatus.choices, "units": UNITS,
            "specs": tasks_for_organization(organization=request.organization),
            "errors": errors or {}, "values": values or {},
            "max_upload_mb": settings.JOB_MAX_UPLOAD_BYTES // 2**20}


@capability_required("jobs")
def jobs_page(request):
    return render(request, "dashboard/jobs/list.html", _jobs_context(request))


@require_POST
@capability_required("jobs")
def job_upload(request):
    files = request.FILES.getlist("files")
    values = {name: request.POST.get(name, "").strip()
              for name in ("task", "text_column", "unit")}
    errors = {}
    if not files:
        errors["files"] = ("Choose one or more files (CSV, TSV, XLSX, JSONL, TXT, PDF, DOCX or "
                           "a ZIP).")
    if not values["task"]:
        errors["task"] = "Choose a task."
    if values["unit"] and values["unit"] not in UNITS:
        errors["unit"] = f"Split text by {', '.join(UNITS)}."
    if not errors:
        try:
            job = _create(request, files, values)
            messages.success(request, f"Job #{job.pk} is queued.")
            return redirect("dashboard:job", job_id=job.pk)
        except ApplicationError as exc:
            field = exc.details.get("field") or ("files" if exc.details.get("file") else None)
            errors[field if field in ("task", "text_column", "unit") else "files"] = exc.message
    context = _jobs_context(request, errors=errors, values=values)
    return render(request, "dashboard/jobs/list.html", context, status=400)


def _create(request, files, values: dict):
    """The job, from the uploaded files written to the job upload folder (removed after: the
    job service keeps its own copies)."""
    with uploads_on_disk(files) as uploads:
        job_request = JobRequest(task_slug=values["task"],
                                 text_column=values["text_column"] or None,
                                 unit=values["unit"] or None, model_version_id=None,
                                 callback_url=None, idempotency_key=None)
        return job_create(organization=request.organization, request=job_request,
                          uploads=uploads, actor=request.actor).job


def _job(request, job_id: int):
    job = job_get(organization=request.organization, job_id=job_id)
    if job is None:
        raise Http404(f"no job {job_id}")
    return job


def _filters(request) -> tuple[dict, dict]:
    """(the item filters for job_items, the values to show back in the form); a bad number
    is ignored and said so."""
    shown = {name: request.GET.get(name, "").strip()
             for name in ("status", "label", "min_score", "max_score")}
    filters: dict = {"status": shown["status"] or None, "label": shown["label"] or None}
    for name in ("min_score", "max_score"):
        try:
            filters[name] = float(shown[name]) if shown[name] else None
        except ValueError:
            filters[name] = None
            shown[f"{name}_error"] = "not a number: ignored"
    return filters, shown


@capability_required("jobs")
def job_page(request, job_id: int):
    job = _job(request, job_id)
    context = {"job": job, "progress": job_progress(job)}
    if request.htmx and request.GET.get("part") == "progress":
        response = render(request, "dashboard/jobs/_progress.html", context)
        if job.finished:  # the results below are complete now: show them
            response["HX-Refresh"] = "true"
        return response
    filters, shown = _filters(request)
    items = _page(request, job_items(job=job, **filters), ITEMS_PER_PAGE)
    query = "&".join(f"{name}={value}" for name, value in shown.items()
                     if value and not name.endswith("_error"))
    context |= {"files": JobFile.objects.filter(job=job).order_by("pk"), "items": items,
                "filters": shown, "query": query, "formats": FORMATS,
                "labels": sorted(set(job.model_version.metrics.get("test", {})
                                     .get("per_label", {}))),
                "statuses": ("done", "failed", "pending")}
    return render(request, "dashboard/jobs/detail.html", context)


@require_POST
@capability_required("jobs")
def job_cancel_view(request, job_id: int):
    try:
        job_cancel(organization=request.organization, job_id=job_id, actor=request.actor)
        messages.success(request, f"Job #{job_id} is cancelled; chunks already running finish.")
    except ApplicationError as exc:
        if exc.status_code == 404:
            raise Http404(exc.message) from None
        messages.error(request, exc.message)
    return redirect("dashboard:job", job_id=job_id)


@require_POST
@capability_required("jobs")
def job_retry_view(request, job_id: int):
    try:
        queued = job_retry(organization=request.organization, job_id=job_id,
                           actor=request.actor)
        messages.success(request, f"{queued} failed item{'s' if queued != 1 else ''} queued "
                                  "again.")
    except ApplicationError as exc:
        if exc.status_code == 404:
            raise Http404(exc.message) from None
        messages.error(request, exc.message)
    return redirect("dashboard:job", job_id=job_id)

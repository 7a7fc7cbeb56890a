"""The dashboard's review queue: per task, the bulk predictions scored under the task's
threshold, shown one at a time for a reviewer to confirm, correct or skip (keys in review.js;
the buttons are plain forms without JavaScript), and the reviewed items made into a dataset
version (`datasets` capability); the threshold is set with `activate`. The review services do
the work (review.services)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from slm_platform.core.errors import ApplicationError
from slm_platform.dashboard.access import capability_required
from slm_platform.review.models import DEFAULT_THRESHOLD
from slm_platform.review.selectors import (
    review_counts,
    review_queue,
    review_threshold,
    review_thresholds,
    reviewable_task,
    reviewable_tasks,
)
from slm_platform.review.services import review_record, reviews_to_dataset, threshold_set

# The alternatives a digit key picks (1–9).
MOST_ALTERNATIVES = 9
SESSION_KEY = "review-progress"


def _task(request, slug: str):
    spec = reviewable_task(organization=request.organization, slug=slug)
    if spec is None:
        raise Http404(f"no classification task {slug}")
    return spec


def _overview_context(request, errors: dict | None = None, values: dict | None = None) -> dict:
    thresholds = review_thresholds(organization=request.organization)
    rows = []
    for spec in reviewable_tasks(organization=request.organization):
        threshold = thresholds.get(spec.slug, DEFAULT_THRESHOLD)
        counts = review_counts(organization=request.organization, task_slug=spec.slug,
                               threshold=threshold)
        rows.append({"spec": spec, "threshold": threshold, "counts": counts,
                     "value": (values or {}).get(spec.slug, threshold),
                     "error": (errors or {}).get(spec.slug)})
    return {"rows": rows, "default": DEFAULT_THRESHOLD}


@capability_required("review")
def review_page(request):
    return render(request, "dashboard/review/list.html", _overview_context(request))


@require_POST
@capability_required("activate")
def review_threshold_set(request, slug: str):
    spec = _task(request, slug)
    raw = request.POST.get("threshold", "").strip()
    try:
        threshold = float(raw)
    except ValueError:
        error = "Enter a score from 0 to 1, e.g. 0.6."
    else:
        try:
            threshold_set(organization=request.organization, task_slug=spec.slug,
                          threshold=threshold, actor=request.actor)
            messages.success(request, f"{spec.slug}: items scored under {threshold:g} are "
                                      "reviewed.")
            return redirect("dashboard:review")
        except ApplicationError as exc:
            error = exc.message
    context = _overview_context(request, errors={spec.slug: error}, values={spec.slug: raw})
    return render(request, "dashboard/review/list.html", context, status=400)


def _session_reviewed(request, slug: str) -> int:
    return request.session.get(SESSION_KEY, {}).get(slug, 0)


def _count_in_session(request, slug: str) -> None:
    progress = request.session.get(SESSION_KEY, {})
    progress[slug] = progress.get(slug, 0) + 1
    request.session[SESSION_KEY] = progress


def alternatives(item) -> list[dict]:
    """The item's other stored label scores, best first, numbered for the digit keys."""
    scores = (item.result or {}).get("scores") or {}
    ranked = sorted(((label, score) for label, score in scores.items() if label != item.label),
                    key=lambda pair: -pair[1])
    return [{"key": number, "label": label, "score": score}
            for number, (label, score) in enumerate(ranked[:MOST_ALTERNATIVES], start=1)]


def _queue_context(request, spec, *, error: str | None = None) -> dict:
    threshold = review_threshold(organization=request.organization, task_slug=spec.slug)
    counts = review_counts(organization=request.organization, task_slug=spec.slug,
                           threshold=threshold)
    item = review_queue(organization=request.organization, task_slug=spec.slug,
                        threshold=threshold).first()
    in_session = _session_reviewed(request, spec.slug)
    return {"spec": spec, "threshold": threshold, "counts": counts, "item": item,
            "alternatives": alternatives(item) if item else [], "error": error,
            "in_session": in_session, "session_total": in_session + counts.pending}


@capability_required("review")
def review_task_page(request, slug: str):
    spec = _task(request, slug)
    template = "dashboard/review/_item.html" if request.htmx else "dashboard/review/task.html"
    return render(request, template, _queue_context(request, spec))


@require_POST
@capability_required("review")
def review_item(request, slug: str, item_id: int):
    spec = _task(request, slug)
    error = None
    try:
        review_record(organization=request.organization, item_id=item_id,
                      action=request.POST.get("action", ""), label=request.POST.get("label"),
                      actor=request.actor)
        _count_in_session(request, spec.slug)
    except ApplicationError as exc:
        if exc.status_code == 404:
            raise Http404(exc.message) from None
        error = exc.message
    if request.htmx:  # the next item (or this one with the error) in place of this one
        return render(request, "dashboard/review/_item.html",
                      _queue_context(request, spec, error=error))
    if error:
        return render(request, "dashboard/review/task.html",
                      _queue_context(request, spec, error=error), status=400)
    return redirect("dashboard:review-task", slug=spec.slug)


@require_POST
@capability_required("datasets")
def review_dataset(request, slug: str):
    spec = _task(request, slug)
    try:
        version = reviews_to_dataset(organization=request.organization, task_slug=spec.slug,
                                     actor=request.actor)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("dashboard:review-task", slug=spec.slug)
    messages.success(request, f"Created {version.name}: {version.row_count} reviewed rows.")
    return redirect("dashboard:dataset", dataset_version_id=version.pk)

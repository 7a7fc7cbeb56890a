"""The dashboard's pages: overview, tasks and model versions (metrics, pictures, activation and
roll-back through the registry's gate), and "try it". Views parse input, check permission
(access.py), call one service or selector and render; htmx requests get the page's fragment."""

import json

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from slm_platform.core.errors import ApplicationError
from slm_platform.core.task_selectors import task_resolve, tasks_for_organization
from slm_platform.dashboard import charts
from slm_platform.dashboard.access import can, capability_required, member_required
from slm_platform.dashboard.selectors import overview
from slm_platform.dashboard.views_cascade import cascade_context
from slm_platform.registry import compression
from slm_platform.registry import services as registry_services
from slm_platform.registry.comparison import compare
from slm_platform.registry.selectors import (
    activation_history,
    active_version,
    compression_frontier,
    model_version_get,
    model_versions_for_organization,
)
from slm_platform.serving.services import predict

DEFAULT_GATE_F1_DROP = 0.02


# Where the overview sends a role that may not read models: its own first page.
HOME_PAGES = (("review", "dashboard:review"), ("handoffs", "dashboard:chat-inbox"),
              ("audit.read", "dashboard:audit"))


@member_required
def overview_page(request):
    if not can(request, "models.read"):
        home = next((page for needed, page in HOME_PAGES if can(request, needed)),
                    "dashboard:settings")
        return redirect(home)
    context = overview(organization=request.organization)
    template = "dashboard/_overview.html" if request.htmx else "dashboard/overview.html"
    return render(request, template, context)


@capability_required("models.read")
def tasks_page(request):
    return render(request, "dashboard/tasks.html",
                  overview(organization=request.organization))


def _task(request, slug: str):
    spec = task_resolve(organization=request.organization, slug=slug)
    if spec is None:
        raise Http404(f"no task {slug}")
    return spec


def _version(request, version_id: int):
    version = model_version_get(organization=request.organization, version_id=version_id)
    if version is None:
        raise Http404(f"no model version {version_id}")
    return version


@capability_required("models.read")
def task_page(request, slug: str):
    spec = _task(request, slug)
    versions = model_versions_for_organization(organization=request.organization,
                                               task_slug=slug).order_by("-version")[:50]
    return render(request, "dashboard/task.html", {
        "spec": spec, "versions": versions,
        "active": active_version(organization=request.organization, task_slug=slug),
        "history": activation_history(organization=request.organization,
                                      task_slug=slug)[:10],
        **cascade_context(request, spec),
    })


def version_pictures(version) -> dict:
    """The version page's charts, from its stored metrics."""
    test = version.metrics.get("test") or {}
    pictures: dict = {}
    confusion = test.get("confusion_matrix")
    if confusion and len(confusion.get("labels", [])) <= 60:
        pictures["heatmap"] = charts.confusion_heatmap(confusion["labels"], confusion["matrix"])
    calibration = (test.get("calibration") or {}).get("calibrated") or {}
    if calibration.get("bins"):
        pictures["reliability"] = charts.reliability_chart(calibration["bins"])
        pictures["ece"] = calibration.get("ece")
    history = (version.metrics.get("training") or {}).get("history") or []
    if history:
        series = {"training loss": [(row["epoch"], row["train_loss"]) for row in history]}
        if any(row.get("validation_loss") for row in history):
            series["validation loss"] = [(row["epoch"], row["validation_loss"])
                                         for row in history]
        pictures["loss"] = charts.line_chart(series, x_label="epoch", y_label="loss")
    return pictures


@capability_required("models.read")
def version_page(request, version_id: int):
    version = _version(request, version_id)
    test = version.metrics.get("test") or {}
    per_label = sorted((test.get("per_label") or {}).items())
    others = model_versions_for_organization(organization=request.organization,
                                             task_slug=version.task_slug) \
        .exclude(pk=version.pk).filter(artifact_path__gt="").order_by("-version")[:50]
    frontier = compression_frontier(organization=request.organization,
                                    task_slug=version.task_slug)
    return render(request, "dashboard/version.html", {
        "version": version, "spec": task_resolve(organization=request.organization,
                                                 slug=version.task_slug),
        "test": test, "per_label": per_label, "pictures": version_pictures(version),
        "slices": version.metrics.get("test_slices") or {}, "others": others,
        "gate_default": DEFAULT_GATE_F1_DROP,
        "frontier": frontier, "frontier_chart": frontier_chart(frontier, current=version.pk),
        "methods": compression.compression_methods(),
        "compressible": version.status in compression.COMPRESSIBLE_STATUSES
        and bool(version.artifact_path) and spec_kind(request, version) != "entities",
        **compression_tables(version),
    })


def spec_kind(request, version) -> str | None:
    spec = task_resolve(organization=request.organization, slug=version.task_slug)
    return spec.kind if spec is not None else None


# (label, key in the measured figures, format, how the change is shown)
_REPORT_ROWS = [
    ("Size on disk (MB)", "size_bytes", lambda v: f"{v / 1e6:.1f}", "ratio"),
    ("Parameters (M)", "parameters", lambda v: f"{v / 1e6:.2f}", "ratio"),
    ("Latency, batch 1 (ms)", "latency_ms", lambda v: f"{v:.2f}", "speedup"),
    ("Throughput, batch 32 (rows/s)", "throughput_rows_per_s", lambda v: f"{v:.0f}", "ratio"),
    ("Peak memory (MB)", "peak_rss_mb", lambda v: f"{v:.0f}", "ratio"),
]


def compression_tables(version) -> dict:
    """The version page's compression report: source and compressed side by side."""
    run = version.metrics.get("compression") or {}
    source, compressed = run.get("source"), run.get("compressed")
    if not source or not compressed:
        return {"compression_report": None}
    rows = [{"name": "Engine", "source": f"{source.get('engine')} {source.get('precision')}",
             "compressed": f"{compressed.get('engine')} {compressed.get('precision')}",
             "change": ""}]
    for name, key, shown, change in _REPORT_ROWS:
        old, new = source.get(key), compressed.get(key)
        if not old or new is None:
            continue
        ratio = old / new if change == "speedup" else new / old
        rows.append({"name": name, "source": shown(old), "compressed": shown(new),
                     "change": f"{'×' if change != 'speedup' else ''}{ratio:.2f}"
                               f"{' faster' if change == 'speedup' else ''}"})
    for name, key in (("Accuracy (%)", "accuracy"), ("Macro-F1 (%)", "macro_f1")):
        old = (source.get("quality") or {}).get(key)
        new = (compressed.get("quality") or {}).get(key)
        if old is not None and new is not None:
            rows.append({"name": name, "source": f"{100 * old:.2f}",
                         "compressed": f"{100 * new:.2f}",
                         "change": f"{100 * (new - old):+.2f} points"})
    old_labels = (source.get("quality") or {}).get("per_label") or {}
    new_labels = (compressed.get("quality") or {}).get("per_label") or {}
    deltas = sorted(((label, new_labels[label]["f1"] - row["f1"])
                     for label, row in old_labels.items() if label in new_labels),
                    key=lambda item: item[1])
    return {"compression_report": run.get("report") or {}, "compression_rows": rows,
            "compression_label_drops": [item for item in deltas[:5] if item[1] < 0],
            "compression_details": json.dumps((version.compression or {}).get("details"),
                                              indent=2)}


def frontier_chart(points: list[dict], *, current: int):
    """Accuracy (%) against latency at batch 1, dot area by size on disk; None with fewer
    than two measured versions."""
    drawn = [p for p in points if p["accuracy"] is not None and p["latency_ms"]]
    if len(drawn) < 2:
        return None
    return charts.scatter_chart(
        [{"x": p["latency_ms"], "y": 100 * p["accuracy"], "size": p["size_bytes"] or 1,
          "label": f"v{p['version']} {p['method']}", "highlight": p["id"] == current,
          "title": f"{p['name']} ({p['method']}): accuracy {100 * p['accuracy']:.2f} %, "
                   f"{p['latency_ms']:.1f} ms at batch 1, "
                   f"{(p['size_bytes'] or 0) / 1e6:.1f} MB"} for p in drawn],
        x_label="latency at batch 1 (ms)", y_label="accuracy (%)")


@require_POST
@capability_required("activate")
def version_compress(request, version_id: int):
    version = _version(request, version_id)
    try:
        options = json.loads(request.POST.get("options") or "{}")
    except json.JSONDecodeError as exc:
        messages.error(request, f"Options must be a JSON object: {exc.msg}.")
        return redirect("dashboard:version", version_id=version.pk)
    try:
        method, options = compression.compress_request_clean(
            method=request.POST.get("method"), options=options)
        compressed = compression.model_version_compress(version=version, method=method,
                                                        options=options, actor=request.actor)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("dashboard:version", version_id=version.pk)
    messages.success(request, f"{compressed.name} is queued: {method} of {version.name}.")
    return redirect("dashboard:version", version_id=compressed.pk)


@capability_required("models.read")
def compare_page(request, version_id: int):
    version = _version(request, version_id)
    try:
        other = _version(request, int(request.GET.get("with", "")))
    except ValueError:
        raise Http404("choose a version to compare with") from None
    if other.task_slug != version.task_slug:
        raise Http404("versions of different tasks cannot be compared")
    try:
        comparison = compare(candidate=version, baseline=other).as_dict()
        error = None
    except ApplicationError as exc:
        comparison, error = None, exc.message
    return render(request, "dashboard/compare.html", {
        "version": version, "other": other, "comparison": comparison, "error": error,
        "pictures": [version_pictures(version), version_pictures(other)],
    })


@require_POST
@capability_required("activate")
def version_activate(request, version_id: int):
    version = _version(request, version_id)
    try:
        if request.POST.get("gate"):
            drop = float(request.POST.get("max_label_f1_drop") or DEFAULT_GATE_F1_DROP)
            registry_services.activation_gate_enforce(version=version, max_label_f1_drop=drop)
        registry_services.model_version_activate(version=version, actor=request.actor)
        messages.success(request, f"{version.name} is now active.")
    except ValueError:
        messages.error(request, "The gate's largest F1 drop must be a number.")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("dashboard:version", version_id=version.pk)


@require_POST
@capability_required("activate")
def task_rollback(request, slug: str):
    _task(request, slug)
    try:
        version = registry_services.model_version_rollback(
            organization=request.organization, task_slug=slug, actor=request.actor)
        messages.success(request, f"Rolled back: {version.name} is active again.")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("dashboard:task", slug=slug)


@capability_required("predict")
def try_page(request, slug: str | None = None):
    specs = tasks_for_organization(organization=request.organization)
    slug = slug or request.GET.get("task")
    spec = _task(request, slug) if slug else (specs[0] if specs else None)
    return render(request, "dashboard/try.html", {"specs": specs, "spec": spec})


@require_POST
@capability_required("predict")
def try_predict(request, slug: str):
    spec = _task(request, slug)
    text = request.POST.get("text", "")
    context = {"spec": spec, "text": text}
    try:
        result = predict(organization=request.organization, task_slug=slug,
                         actor=request.actor, inputs=[text])
        prediction = result.predictions[0]
        context |= {"prediction": prediction, "version": result.model_version,
                    "bars": _score_bars(prediction),
                    "pieces": _highlighted(text, prediction.get("entities") or [])}
    except ApplicationError as exc:
        context["error"] = exc.message
    return render(request, "dashboard/_prediction.html", context)


def _score_bars(prediction: dict) -> list[dict]:
    scores = prediction.get("scores") or {}
    return [{"label": label, "score": score, "percent": round(100 * score, 1)}
            for label, score in sorted(scores.items(), key=lambda item: -item[1])[:10]]


def _highlighted(text: str, entities: list[dict]) -> list[dict]:
    """The text cut into plain pieces and entity pieces (with their label), for marking up."""
    pieces, cursor = [], 0
    for entity in sorted(entities, key=lambda e: e["start"]):
        if entity["start"] < cursor:
            continue
        pieces.append({"text": text[cursor:entity["start"]]})
        pieces.append({"text": text[entity["start"]:entity["end"]], "label": entity["label"],
                       "source": entity.get("source", "model")})
        cursor = entity["end"]
    pieces.append({"text": text[cursor:]})
    return [piece for piece in pieces if piece["text"]]

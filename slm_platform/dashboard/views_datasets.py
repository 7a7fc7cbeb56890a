"""The dashboard's "Datasets & training" pages: upload a dataset and read its data-quality
report, start a training run on one of its versions, and watch the run (htmx polling) until it
registers a model version. The services of slm_platform.datasets and slm_platform.training do
the work, as for the API; these views parse forms and put service errors next to their field."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from slm_platform.core.catalog import TaskKind
from slm_platform.core.errors import ApplicationError
from slm_platform.core.task_selectors import task_resolve, tasks_for_organization
from slm_platform.dashboard import charts
from slm_platform.dashboard.access import capability_required
from slm_platform.datasets.selectors import dataset_version_get, dataset_versions_for_organization
from slm_platform.datasets.services import ParseOptions, dataset_upload
from slm_platform.training.hyperparameters import RECIPES
from slm_platform.training.models import RunStatus
from slm_platform.training.selectors import training_run_get, training_runs_for_organization
from slm_platform.training.services import (
    TRAINABLE_NOW,
    training_run_cancel,
    training_run_create,
)

# The recipes offered per task kind (training_run_create refuses the others).
RECIPES_FOR_KIND = {TaskKind.CLASSIFICATION: ("full", "fast"), TaskKind.MULTI_LABEL: ("full",),
                    TaskKind.ENTITIES: ("full", "spacy")}
LISTED = 100
MAX_CHART_POINTS = 50


class DatasetUploadForm(forms.Form):
    """The fields of POST /api/v1/datasets."""

    file = forms.FileField()
    task = forms.ChoiceField()
    name = forms.CharField(max_length=200, required=False)
    text_column = forms.CharField(max_length=200, required=False)
    label_column = forms.CharField(max_length=200, required=False)
    split_column = forms.CharField(max_length=200, required=False)
    label_separator = forms.CharField(max_length=5, required=False, strip=False)

    def __init__(self, *args, tasks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].choices = [(spec.slug, spec.slug) for spec in tasks]

    def options(self) -> ParseOptions:
        data = self.cleaned_data
        return ParseOptions(text_column=data["text_column"] or "text",
                            label_column=data["label_column"] or "label",
                            split_column=data["split_column"] or None,
                            label_separator=data["label_separator"] or "|")


class TrainingStartForm(forms.Form):
    """The fields of POST /api/v1/training-runs; the hyperparameters most often set have a
    field each, the others go in `more` as a JSON object."""

    recipe = forms.ChoiceField(choices=[(recipe, recipe) for recipe in RECIPES])
    epochs = forms.IntegerField(required=False)
    learning_rate = forms.FloatField(required=False)
    batch_size = forms.IntegerField(required=False)
    max_length = forms.IntegerField(required=False)
    seed = forms.IntegerField(required=False)
    more = forms.JSONField(required=False, label="More hyperparameters (JSON)")
    TYPED = ("epochs", "learning_rate", "batch_size", "max_length", "seed")

    def clean_more(self):
        more = self.cleaned_data["more"]
        if more not in (None, "") and not isinstance(more, dict):
            raise forms.ValidationError('Write a JSON object, e.g. {"patience": 5}.')
        return more or {}

    def hyperparameters(self) -> dict:
        typed = {name: self.cleaned_data[name] for name in self.TYPED
                 if self.cleaned_data[name] is not None}
        return self.cleaned_data["more"] | typed


def _error_field(exc: ApplicationError, form: forms.Form, fallback: str | None) -> str | None:
    """The form field a service error is about: its `field` detail (hyperparameters.x is x's
    field or else `more`), a column named in the form, or `fallback`."""
    field = exc.details.get("field", "")
    if field.startswith("hyperparameters"):
        name = field.partition(".")[2]
        return name if name in form.fields else "more"
    if field in form.fields:
        return field
    column = exc.details.get("column")
    named = [name for name in ("text_column", "label_column", "split_column")
             if name in form.fields and column and (form.data.get(name) or "") == column]
    return named[0] if named else fallback


def _trainable_tasks(organization) -> list:
    return [spec for spec in tasks_for_organization(organization=organization)
            if spec.kind in TRAINABLE_NOW]


@capability_required("datasets")
def datasets_page(request):
    tasks = _trainable_tasks(request.organization)
    form = DatasetUploadForm(request.POST or None, request.FILES or None, tasks=tasks)
    context = {"tasks": tasks, "form": form, "rejected": None,
               "max_mb": f"{settings.DATASET_MAX_BYTES / 1e6:.0f}"}
    if request.method == "POST":
        version = _upload(request, form, context)
        if version is not None:
            return redirect("dashboard:dataset", dataset_version_id=version.pk)
    context["versions"] = dataset_versions_for_organization(
        organization=request.organization)[:LISTED]
    status = 400 if form.errors else 200
    return render(request, "dashboard/datasets/list.html", context, status=status)


def _upload(request, form: DatasetUploadForm, context: dict):
    if not form.is_valid():
        return None
    upload = form.cleaned_data["file"]
    if upload.size > settings.DATASET_MAX_BYTES:
        form.add_error("file", f"{upload.name} is {upload.size / 1e6:.1f} MB; datasets may be "
                               f"at most {settings.DATASET_MAX_BYTES / 1e6:.0f} MB.")
        return None
    try:
        result = dataset_upload(
            organization=request.organization, task_slug=form.cleaned_data["task"],
            name=form.cleaned_data["name"] or upload.name, filename=upload.name,
            data=upload.read(), options=form.options(), actor=request.actor)
    except ApplicationError as exc:
        form.add_error(_error_field(exc, form, "file"), exc.message)
        context["rejected"] = exc.details.get("quality")
        return None
    version = result.version
    if result.created:
        messages.success(request, f"Uploaded {version.name}: {version.row_count} rows.")
    else:
        messages.success(request, f"This file is already {version.name}; nothing new stored.")
    return version


def _dataset_version(request, version_id: int):
    version = dataset_version_get(organization=request.organization, version_id=version_id)
    if version is None:
        raise Http404(f"no dataset version {version_id}")
    return version


def _dataset_context(request, version, form: TrainingStartForm) -> dict:
    spec = task_resolve(organization=request.organization, slug=version.task_slug)
    recipes = RECIPES_FOR_KIND.get(spec.kind, ()) if spec else ()
    runs = training_runs_for_organization(organization=request.organization) \
        .filter(dataset_version=version)[:20]
    return {"version": version, "spec": spec, "report": report_view(version.quality),
            "form": form, "recipes": recipes, "runs": runs}


def report_view(quality: dict) -> dict:
    """The stored quality report with each label's share of the largest, for its bars."""
    distribution = quality.get("label_distribution") or {}
    most = max(distribution.values(), default=0)
    bars = [{"label": label, "count": count, "max": most or 1}
            for label, count in distribution.items()]
    return {**quality, "bars": bars}


@capability_required("datasets")
def dataset_page(request, dataset_version_id: int):
    version = _dataset_version(request, dataset_version_id)
    form = TrainingStartForm(initial={"recipe": "full"})
    return render(request, "dashboard/datasets/dataset.html",
                  _dataset_context(request, version, form))


@require_POST
@capability_required("training")
def training_start(request, dataset_version_id: int):
    version = _dataset_version(request, dataset_version_id)
    form = TrainingStartForm(request.POST)
    if form.is_valid():
        try:
            run = training_run_create(
                organization=request.organization, task_slug=version.task_slug,
                dataset_version_id=version.pk, recipe=form.cleaned_data["recipe"],
                hyperparameters=form.hyperparameters(), actor=request.actor)
            messages.success(request, f"Training run {run.pk} is queued.")
            return redirect("dashboard:training-run", run_id=run.pk)
        except ApplicationError as exc:
            form.add_error(_error_field(exc, form, None), exc.message)
    return render(request, "dashboard/datasets/dataset.html",
                  _dataset_context(request, version, form), status=400)


@capability_required("training")
def training_page(request):
    runs = training_runs_for_organization(organization=request.organization)[:LISTED]
    return render(request, "dashboard/datasets/runs.html", {"runs": runs})


def _run(request, run_id: int):
    run = training_run_get(organization=request.organization, run_id=run_id)
    if run is None:
        raise Http404(f"no training run {run_id}")
    return run


def run_progress(run) -> dict:
    """What the run page shows of the worker's progress: phase, epoch/step, percent, ETA and
    the loss curve so far."""
    progress = run.progress or {}
    step, total = progress.get("step"), progress.get("total_steps")
    if run.status == RunStatus.SUCCEEDED:
        percent = 100
    else:
        percent = round(100 * step / total) if step and total else None
    curve = _thinned(progress.get("loss_curve") or [])
    chart = charts.line_chart({"training loss": [(s, loss) for s, loss in curve]},
                              x_label="step", y_label="loss") if len(curve) >= 2 else None
    eta = progress.get("eta_seconds") if run.status == RunStatus.RUNNING else None
    return {"phase": progress.get("phase"), "epoch": progress.get("epoch"), "step": step,
            "total_steps": total, "loss": progress.get("loss"), "percent": percent,
            "eta": duration(eta), "chart": chart, "took": _took(run)}


def _thinned(curve: list, most: int = MAX_CHART_POINTS) -> list:
    """At most `most` points of the curve, evenly spaced, the last one kept: the worker keeps
    up to 400, more than a chart can show as dots."""
    if len(curve) <= most:
        return curve
    stride = len(curve) / (most - 1)
    return [curve[int(index * stride)] for index in range(most - 1)] + [curve[-1]]


def _took(run) -> str | None:
    if not (run.started_at and run.finished_at):
        return None
    return duration((run.finished_at - run.started_at).total_seconds())


def duration(seconds: float | None) -> str | None:
    """'42 s', '3 min 5 s', '1 h 20 min'."""
    if seconds is None:
        return None
    minutes, whole_seconds = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min {whole_seconds} s" if minutes else f"{whole_seconds} s"


@capability_required("training")
def training_run_page(request, run_id: int):
    run = _run(request, run_id)
    context = {"run": run, "progress": run_progress(run)}
    if request.htmx:
        return render(request, "dashboard/datasets/_run_progress.html", context | {"oob": True})
    return render(request, "dashboard/datasets/run.html", context)


@require_POST
@capability_required("training")
def training_cancel(request, run_id: int):
    run = _run(request, run_id)
    try:
        training_run_cancel(organization=request.organization, run_id=run.pk,
                            actor=request.actor)
        messages.success(request, f"Training run {run.pk} is being cancelled.")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("dashboard:training-run", run_id=run.pk)

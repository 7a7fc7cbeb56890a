"""Training-run writes: create (and queue), cancel."""

from django.db import transaction
from django.utils import timezone

from slm_platform.audit.services import Actor, audit_record
from slm_platform.core.catalog import TaskKind
from slm_platform.core.errors import Conflict, NotFound, ValidationFailed
from slm_platform.core.models import Organization
from slm_platform.core.task_selectors import task_resolve
from slm_platform.datasets.selectors import dataset_version_get
from slm_platform.registry.models import ModelVersion, VersionStatus
from slm_platform.registry.services import model_version_create
from slm_platform.training.hyperparameters import hyperparameters_validate, recipe_validate
from slm_platform.training.models import RunStatus, TrainingRun
from slm_platform.training.recipes import base_model_for, recipe_config

# Kinds whose training the platform runs today; the others answer 400, never a half-run.
TRAINABLE_NOW = (TaskKind.CLASSIFICATION, TaskKind.MULTI_LABEL, TaskKind.ENTITIES)


@transaction.atomic
def training_run_create(
    *, organization: Organization, task_slug: str, dataset_version_id: int,
    recipe: str | None, hyperparameters: dict | None, actor: Actor, enqueue: bool = True,
) -> TrainingRun:
    """Register a run and its queued model version; the training queue picks it up (or, with
    enqueue=False, the caller runs it in-process, as `manage.py train` does)."""
    spec = task_resolve(organization=organization, slug=task_slug)
    if spec is None:
        raise NotFound(f"unknown task {task_slug!r}", code="task_not_found",
                       details={"field": "task"})
    if spec.kind not in TRAINABLE_NOW:
        raise ValidationFailed(f"training {spec.kind} tasks is not available yet",
                               code="kind_not_trainable", details={"field": "task"})
    dataset_version = dataset_version_get(organization=organization, version_id=dataset_version_id)
    if dataset_version is None or dataset_version.task_slug != spec.slug:
        raise NotFound(f"dataset version {dataset_version_id} not found for {spec.slug}",
                       code="dataset_not_found", details={"field": "dataset"})
    recipe = recipe_validate(recipe)
    if recipe == "fast" and spec.kind != TaskKind.CLASSIFICATION:
        raise ValidationFailed("the fast recipe trains single-label classifiers; use full",
                               details={"field": "recipe"})
    if recipe == "spacy" and spec.kind != TaskKind.ENTITIES:
        raise ValidationFailed("the spacy recipe trains entity extraction only",
                               details={"field": "recipe"})
    hyperparameters = hyperparameters_validate(hyperparameters)
    config = recipe_config(spec=spec, recipe=recipe, hyperparameters=hyperparameters)
    version = model_version_create(
        organization=organization, task_slug=spec.slug, base_model=base_model_for(spec),
        source="fine-tune", training_config={"recipe": recipe, "config": config}, actor=actor,
        status=VersionStatus.QUEUED, dataset_version=dataset_version, recipe=recipe,
    )
    run = TrainingRun.objects.create(
        organization=organization, task_slug=spec.slug, dataset_version=dataset_version,
        model_version=version, recipe=recipe, hyperparameters=hyperparameters,
        created_by=actor.user, progress={"phase": "queued"},
    )
    audit_record(organization=organization, actor=actor, action="training.start",
                 object_type="training_run", object_id=run.pk,
                 data={"task": spec.slug, "dataset_version": dataset_version.pk,
                       "recipe": recipe, "model_version": version.version})
    if enqueue:
        transaction.on_commit(lambda: _enqueue(run.pk))
    return run


def _enqueue(run_id: int) -> None:
    from slm_platform.celery import app

    app.send_task("training.run", args=[run_id], queue="training")


@transaction.atomic
def training_run_cancel(*, organization: Organization, run_id: int, actor: Actor) -> TrainingRun:
    """Ask a run to stop. A queued run stops at once; a running one at its next step."""
    run = TrainingRun.objects.select_for_update().filter(organization=organization,
                                                         pk=run_id).first()
    if run is None:
        raise NotFound(f"training run {run_id} not found", details={"id": run_id})
    if run.finished:
        raise Conflict(f"run {run_id} has already {run.status}", code="run_finished",
                       details={"status": run.status})
    run.cancel_requested = True
    fields = ["cancel_requested"]
    if run.status == RunStatus.QUEUED:
        run.status, run.finished_at = RunStatus.CANCELLED, timezone.now()
        fields += ["status", "finished_at"]
        ModelVersion.objects.filter(pk=run.model_version_id).update(
            status=VersionStatus.CANCELLED
        )
    run.save(update_fields=fields)
    audit_record(organization=organization, actor=actor, action="training.cancel",
                 object_type="training_run", object_id=run.pk, data={"task": run.task_slug})
    return run

"""Compress a model version into a new one: quantize, distil, prune or factorize it.

`model_version_compress` checks the request and queues the work on the training queue; the
worker (registry/compress_run.py) builds the new artifact, measures source and result in one
run and registers the result as a ready version with its compression report. The new version
is a candidate like any other: the activation gate and champion/challenger comparison apply.
"""

from pathlib import Path

from django.db import transaction

from slm_platform.audit.services import Actor, audit_record
from slm_platform.core.catalog import TaskKind
from slm_platform.core.errors import Conflict, ValidationFailed
from slm_platform.core.task_selectors import task_resolve
from slm_platform.ml.types import ARTIFACT_FILE
from slm_platform.registry.models import ModelVersion, VersionStatus
from slm_platform.registry.services import model_version_create
from slm_platform.registry.storage import artifact_local_dir

COMPRESSIBLE_STATUSES = (VersionStatus.READY, VersionStatus.ACTIVE, VersionStatus.ARCHIVED)
COMPRESS_TASK = "training.compress_model_version"


def compression_methods() -> tuple[str, ...]:
    from slm_platform.ml.compression import METHODS

    return tuple(METHODS)


def compress_request_clean(*, method: object, options: object) -> tuple[str, dict]:
    """The method name and its options with defaults filled in; 400 naming the field."""
    from slm_platform.ml.compression import options_clean

    methods = compression_methods()
    if not isinstance(method, str) or method not in methods:
        raise ValidationFailed(f"method must be one of {', '.join(methods)}",
                               details={"field": "method", "allowed": list(methods)})
    if options is None:
        options = {}
    if not isinstance(options, dict):
        raise ValidationFailed("options must be an object", details={"field": "options"})
    try:
        return method, options_clean(method, options)
    except ValueError as exc:
        raise ValidationFailed(f"options: {exc}", details={"field": "options"}) from exc


def _compressible_check(version: ModelVersion) -> None:
    if version.status not in COMPRESSIBLE_STATUSES or not version.artifact_path:
        raise Conflict(f"{version.name} is {version.status}; only a trained version can be "
                       "compressed", code="version_not_ready", details={"status": version.status})
    spec = task_resolve(organization=version.organization_id, slug=version.task_slug)
    kind = spec.kind if spec is not None else None
    artifact = Path(artifact_local_dir(name=version.artifact_path))
    if kind == TaskKind.ENTITIES or (artifact / ARTIFACT_FILE).exists():
        # Entity extractors, spaCy pipelines and frozen-encoder heads have no compression
        # methods yet: only fine-tuned sequence classifiers are exported and compressed.
        raise Conflict(f"{version.name} is not a fine-tuned sequence classifier; compression "
                       "works on the `full` recipe's classifiers", code="not_compressible",
                       details={"task_kind": kind, "recipe": version.recipe})


@transaction.atomic
def model_version_compress(*, version: ModelVersion, method: str, options: dict,
                           actor: Actor) -> ModelVersion:
    """Queue a compressed copy of `version` as the task's next version (status queued)."""
    _compressible_check(version)
    compressed = model_version_create(
        organization=version.organization, task_slug=version.task_slug,
        base_model=version.base_model, source="compression", status=VersionStatus.QUEUED,
        training_config=version.training_config, dataset_version=version.dataset_version,
        recipe=method, actor=actor,
    )
    compressed.parent = version
    compressed.compression = {"method": method, "options": options, "phase": "queued"}
    compressed.save(update_fields=["parent", "compression"])
    audit_record(organization=version.organization, actor=actor, action="model.compress",
                 object_type="model_version", object_id=compressed.pk,
                 data={"task": version.task_slug, "source_version": version.version,
                       "version": compressed.version, "method": method, "options": options})
    transaction.on_commit(lambda: _enqueue(compressed.pk))
    return compressed


def _enqueue(version_id: int) -> None:
    from slm_platform.celery import app

    app.send_task(COMPRESS_TASK, args=[version_id], queue="training")

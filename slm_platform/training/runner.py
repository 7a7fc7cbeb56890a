"""Run a training run (worker side): split, fit, calibrate, evaluate, store, register.

Nothing is registered until the artifact is fully stored: a failed or cancelled run leaves a
failed or cancelled version with no artifact, its log and error kept on the run.
"""

import json
import logging
import tempfile
import time
import traceback
import uuid
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from slm_platform.audit.services import Actor, audit_record
from slm_platform.core.catalog import TaskKind
from slm_platform.core.provenance import code_version, hardware
from slm_platform.core.task_selectors import task_resolve
from slm_platform.datasets.services import dataset_records, records_as_examples
from slm_platform.registry.models import ModelVersion, VersionStatus
from slm_platform.registry.storage import artifact_upload
from slm_platform.training.models import RunStatus, TrainingRun
from slm_platform.training.progress import RunProgress
from slm_platform.training.splits import split_records

logger = logging.getLogger(__name__)
# int8 serves only when it is judged on at least this many validation examples: on fewer, one
# changed answer moves accuracy by more than the half point int8 may lose.
MIN_PRECISION_EXAMPLES = 200


def execute_run(*, run_id: int, echo=None) -> TrainingRun:
    run = TrainingRun.objects.select_related("organization", "dataset_version__dataset",
                                             "model_version").get(pk=run_id)
    if run.status != RunStatus.QUEUED:
        return run  # finished, cancelled while queued, or redelivered while running elsewhere
    progress = RunProgress(run.pk, echo=echo)
    _mark_running(run)
    started = time.monotonic()
    try:
        with tempfile.TemporaryDirectory(prefix="slm-run-") as workdir:
            metrics, split = _fit_and_evaluate(run, Path(workdir), progress)
            progress.phase("storing")
            # A random suffix: ids can repeat (a database restored or reset under the same
            # model store) and an artifact, once written, is never overwritten.
            name = (f"models/{run.organization_id}/{run.task_slug}/"
                    f"v{run.model_version.version}-run{run.pk}-{uuid.uuid4().hex[:8]}")
            artifact = artifact_upload(local_dir=Path(workdir), name=name)
        _succeed(run, artifact, metrics, split, seconds=time.monotonic() - started)
    except Exception as exc:
        from slm_platform.ml.finetune import TrainingCancelled

        if isinstance(exc, TrainingCancelled):
            _finish(run, RunStatus.CANCELLED, VersionStatus.CANCELLED, "cancelled")
        else:
            logger.exception("training run %s failed", run.pk)
            _finish(run, RunStatus.FAILED, VersionStatus.FAILED, traceback.format_exc())
    run.refresh_from_db()
    return run


def _trainer(recipe: str, entities: bool):
    """The training function for a recipe; each takes (texts, targets, labels=..., ...)."""
    from slm_platform.ml.entities import train_token_classifier
    from slm_platform.ml.finetune import train_classifier
    from slm_platform.ml.frozen import train_frozen_encoder
    from slm_platform.ml.spacy_ner import train_spacy_ner

    if entities:
        trainer = train_spacy_ner if recipe == "spacy" else train_token_classifier
        return lambda texts, targets, labels, **kw: trainer(texts, targets, entity_types=labels,
                                                            **kw)
    if recipe == "fast":
        return lambda texts, targets, labels, on_progress, should_stop, **kw: (
            train_frozen_encoder(texts, targets, label_set=labels, **kw))
    return lambda texts, targets, labels, **kw: train_classifier(texts, targets, label_set=labels,
                                                                 **kw)


def _fit_and_evaluate(run: TrainingRun, workdir: Path, progress: RunProgress):
    from slm_platform.ml.artifacts import load_predictor
    from slm_platform.ml.finetune import write_metrics
    from slm_platform.ml.types import TrainConfig

    spec = task_resolve(organization=run.organization_id, slug=run.task_slug)
    entities = spec.kind == TaskKind.ENTITIES
    config = TrainConfig(**run.model_version.training_config["config"])
    progress.phase("splitting")
    records = dataset_records(version=run.dataset_version)
    split = split_records(records, seed=config.seed, fraction=config.validation_fraction)
    parts = {name: records_as_examples(rows, spec=spec, multi_label=config.multi_label)
             for name, rows in split.parts.items()}
    _log(run, f"split ({split.source}): " + ", ".join(f"{k} {len(v[0])}"
                                                      for k, v in parts.items()))
    found = ({span[2] for r in records for span in r["spans"]} if entities
             else {label for r in records for label in r["labels"]})
    progress.phase("training", recipe=run.recipe)
    result = _trainer(run.recipe, entities)(
        *parts["train"], sorted(set(spec.labels) | found), config=config, output_dir=workdir,
        validation=parts["validation"], on_progress=progress.on_step,
        should_stop=progress.should_stop,
    )
    progress.phase("evaluating")
    predictor = load_predictor(workdir)
    metrics = {"schema": 1, "test": predictor.evaluate(*parts["test"]),
               "validation": predictor.evaluate(*parts["validation"]),
               "training": result.as_dict(), "split": split.summary()}
    if run.recipe == "full" and config.train_on_validation:
        # The model also trained on the validation rows: their metrics are in-sample (and a
        # classifier then has no fitted temperature).
        metrics["validation"]["in_sample"] = True
    if not entities:
        progress.phase("preparing serving")
        serving = serving_prepare(workdir, *parts["validation"])
        if serving is not None:
            metrics["serving"] = serving
            _log(run, f"serving: {serving['engine']} {serving['precision']} "
                      f"({serving['reason']})")
    write_metrics(workdir, metrics)
    (workdir / "split.json").write_text(json.dumps(split.rows()))
    return metrics, split.summary()


def serving_prepare(workdir: Path, texts: list, targets: list) -> dict | None:
    """Export a fine-tuned classifier to ONNX inside its artifact, and choose the serving
    precision on the validation split (int8 where it keeps accuracy, else fp32): workers then
    load a ready engine instead of exporting on their first request. A classifier that cannot
    be exported is served by torch, so a failure here is logged, not fatal. None for artifact
    types that torch serves anyway (the `fast` recipe's frozen encoder)."""
    from slm_platform.ml.artifacts import is_sequence_classifier
    from slm_platform.ml.onnx_engine import ensure_onnx, select_precision

    if not is_sequence_classifier(workdir):
        return None
    try:
        ensure_onnx(workdir, "fp32")
        if len(texts) < MIN_PRECISION_EXAMPLES:
            return {"engine": "onnx", "precision": "fp32",
                    "reason": f"{len(texts)} validation examples, fewer than the "
                              f"{MIN_PRECISION_EXAMPLES} needed to judge int8"}
        record = select_precision(workdir, texts, targets)
    except Exception as exc:
        logger.warning("ONNX export of %s failed, torch will serve it", workdir, exc_info=True)
        return {"engine": "torch", "precision": "fp32",
                "reason": f"ONNX export failed: {type(exc).__name__}"}
    drop = record["accuracy"]["fp32"] - record["accuracy"]["int8"]
    return {"engine": "onnx", **record,
            "reason": f"int8 accuracy {-drop:+.2f} points against fp32 on validation"}


def _mark_running(run: TrainingRun) -> None:
    with transaction.atomic():
        TrainingRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING,
                                                     started_at=timezone.now())
        ModelVersion.objects.filter(pk=run.model_version_id).update(
            status=VersionStatus.TRAINING)


def _log(run: TrainingRun, line: str) -> None:
    run.log = f"{run.log}{timezone.now():%H:%M:%S} {line}\n"
    TrainingRun.objects.filter(pk=run.pk).update(log=run.log)


@transaction.atomic
def _succeed(run: TrainingRun, artifact: str, metrics: dict, split: dict, *, seconds: float):
    dataset = run.dataset_version
    lineage = {
        "dataset_version": dataset.pk, "dataset": dataset.name,
        "dataset_sha256": dataset.content_sha256, "base_model": run.model_version.base_model,
        "recipe": run.recipe, "hyperparameters": run.model_version.training_config["config"],
        "seed": run.model_version.training_config["config"]["seed"], "split": split,
        "code_version": code_version(), "hardware": hardware(),
        "duration_seconds": round(seconds, 1), "training_run": run.pk,
    }
    ModelVersion.objects.filter(pk=run.model_version_id).update(
        status=VersionStatus.READY, artifact_path=artifact, metrics=metrics, lineage=lineage,
        trained_at=timezone.now(),
    )
    TrainingRun.objects.filter(pk=run.pk).update(status=RunStatus.SUCCEEDED, split=split,
                                                 finished_at=timezone.now())
    audit_record(organization=run.organization, actor=Actor.system(), action="model.trained",
                 object_type="model_version", object_id=run.model_version_id,
                 data={"task": run.task_slug, "version": run.model_version.version,
                       "training_run": run.pk, "accuracy": metrics["test"]["accuracy"]})


@transaction.atomic
def run_fail_lost(*, run_id: int, reason: str) -> bool:
    """The process running `run_id` died (killed, out of memory, over its time limit): fail
    the run and its version rather than leave them "running" forever. The log so far stays."""
    run = TrainingRun.objects.select_related("organization").filter(
        pk=run_id, status__in=(RunStatus.QUEUED, RunStatus.RUNNING)).first()
    if run is None:
        return False
    step = (run.progress or {}).get("step")
    where = f" at step {step}" if step is not None else ""
    _finish(run, RunStatus.FAILED, VersionStatus.FAILED,
            f"the training process stopped{where}: {reason}. Nothing was registered; start "
            "a new run (with a smaller batch_size or max_length if memory ran out).")
    return True


@transaction.atomic
def _finish(run: TrainingRun, status: str, version_status: str, error: str) -> None:
    TrainingRun.objects.filter(pk=run.pk).update(status=status, error=error[-8000:],
                                                 finished_at=timezone.now())
    ModelVersion.objects.filter(pk=run.model_version_id).update(status=version_status,
                                                                error=error[-8000:])
    audit_record(organization=run.organization, actor=Actor.system(),
                 action=f"training.{status}", object_type="training_run", object_id=run.pk,
                 outcome=status, data={"task": run.task_slug})

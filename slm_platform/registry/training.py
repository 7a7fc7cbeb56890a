"""Training on the `training` queue (worker side): fit, evaluate on held-out data, store, register.

Runs in a Celery worker, so it may import the ML core (and so torch); the web process never
imports this module.
"""

import json
import logging
import tempfile
import traceback
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import transaction

from slm_platform.audit.services import Actor
from slm_platform.core.catalog import StarterData, TaskKind, TaskSpec, catalog
from slm_platform.registry import services
from slm_platform.registry.models import ModelVersion, VersionStatus
from slm_platform.registry.selectors import active_version
from slm_platform.registry.starter import starter_fingerprint
from slm_platform.registry.storage import artifact_exists, artifact_upload

logger = logging.getLogger(__name__)


def train_model_version(*, version_id: int) -> None:
    version = ModelVersion.objects.select_related("organization").filter(pk=version_id).first()
    if version is None or version.status != VersionStatus.TRAINING:
        return  # redelivered after it finished (acks_late), or deleted: nothing to do
    try:
        artifact_path, metrics = _train_starter(version)
    except Exception:
        logger.exception("training %s failed", version.name)
        services.model_version_mark_failed(version=version, error=traceback.format_exc())
        raise
    # One transaction: a predict call must never see the first version between "ready" and
    # "active" (neither training nor served: it would answer 409 no_active_model).
    with transaction.atomic():
        services.model_version_mark_ready(version=version, artifact_path=artifact_path,
                                          metrics=metrics, training_config=version.training_config)
        if active_version(organization=version.organization, task_slug=version.task_slug) is None:
            services.model_version_activate(version=version, actor=Actor.system())


def _train_starter(version: ModelVersion) -> tuple[str, dict]:
    spec = catalog.get(version.task_slug)
    if spec is None or spec.starter_data is None:
        raise ValueError(f"task {version.task_slug!r} has no starter data")
    config = version.training_config["config"]
    data = spec.starter_data()
    train = data.train[: config.get("train_limit") or len(data.train)]
    fingerprint = starter_fingerprint(spec=spec, config=config, train=train, test=data.test,
                                      validation=data.validation)
    name = f"starter/{spec.slug}/{version.training_config['preset']}-{fingerprint}"
    if not artifact_exists(name=name):
        _fit_and_upload(spec=spec, config=config, train=train, data=data, name=name)
    with default_storage.open(f"{name}/metrics.json") as handle:
        return name, json.loads(handle.read())


def _log_progress(name: str):
    """Log about every tenth of the run: step, epoch, loss and the time so far."""

    def log(progress: dict) -> None:
        every = max(1, progress["total_steps"] // 10)
        if progress["step"] % every == 0 or progress["step"] == progress["total_steps"]:
            logger.info("%s: step %d/%d (epoch %d), loss %.3f, %.0fs", name, progress["step"],
                        progress["total_steps"], progress["epoch"], progress["loss"],
                        progress["elapsed"])

    return log


def _fit_and_upload(*, spec: TaskSpec, config: dict, train: list, data: StarterData,
                    name: str) -> None:
    from slm_platform.ml.finetune import write_metrics
    from slm_platform.ml.types import TrainConfig

    train_config = TrainConfig(**{k: v for k, v in config.items()
                                  if k not in ("train_limit", "backend")})
    fit = _fit_entities if spec.kind == TaskKind.ENTITIES else _fit_classifier
    with tempfile.TemporaryDirectory(prefix="slm-train-") as workdir:
        result, evaluate, extra = fit(spec, train_config, train, Path(workdir), name,
                                      backend=config.get("backend", "minilm"),
                                      validation_rows=data.validation)
        test_report = evaluate(data.test)
        slices = {slice_name: evaluate(rows) for slice_name, rows in data.test_slices.items()}
        write_metrics(Path(workdir), {"test": test_report, "test_slices": slices,
                                      "training": result.as_dict()} | extra)
        artifact_upload(local_dir=Path(workdir), name=name)
    headline = test_report.get("accuracy", test_report.get("micro_f1"))
    logger.info("trained %s: held-out %s %.4f", name,
                "accuracy" if "accuracy" in test_report else "entity F1", headline)


def _fit_classifier(spec: TaskSpec, config, train: list, workdir: Path, name: str,
                    backend: str = "minilm", validation_rows: list | None = None):
    """Single- or multi-label (targets are label lists then): the validation split is the
    starter data's own (`validation_rows`) or a seeded stratified `validation_fraction` of
    `train`, as the fine-tune would carve it (starter.starter_classifier_split). The artifact
    is then prepared for serving as a trained version is (ONNX, and int8 where it keeps
    accuracy on that split), so workers load a ready, fast engine."""
    from slm_platform.ml.classifier import TextClassifier
    from slm_platform.ml.finetune import train_classifier
    from slm_platform.registry.starter import starter_classifier_split
    from slm_platform.training.runner import serving_prepare

    fitted, validation = starter_classifier_split(
        spec=spec, train=train, validation=validation_rows, fraction=config.validation_fraction,
        seed=config.seed, multi_label=config.multi_label)
    result = train_classifier(
        *fitted, label_set=spec.labels, config=config, output_dir=workdir, validation=validation,
        on_progress=_log_progress(name),
    )
    serving = serving_prepare(workdir, *validation)
    if serving is not None:
        logger.info("%s serves with %s %s (%s)", name, serving["engine"],
                    serving["precision"], serving["reason"])
    classifier = TextClassifier.load(workdir)

    def evaluate(rows: list) -> dict:
        return classifier.evaluate([spec.preprocess(text) for text, _ in rows],
                                   [label for _, label in rows])

    return result, evaluate, ({"serving": serving} if serving is not None else {})


def entity_validation_split(rows: list, *, seed: int) -> tuple[list, list]:
    """(validation, rest) of an entity task's starter rows: a seeded tenth, at least one."""
    import random

    rows = list(rows)
    random.Random(seed).shuffle(rows)
    held = max(1, len(rows) // 10)
    return rows[:held], rows[held:]


def _fit_entities(spec: TaskSpec, config, train: list, workdir: Path, name: str,
                  backend: str = "minilm", validation_rows: list | None = None):
    """Token classification (or spaCy's NER, `backend` "spacy") on (text, [(start, end, type),
    ...]) rows, texts as they are (spans index the raw text); the validation split is the
    starter data's own (`validation_rows`) or a seeded tenth of `train`."""
    from slm_platform.ml.artifacts import load_predictor
    from slm_platform.ml.entities import train_token_classifier
    from slm_platform.ml.spacy_ner import train_spacy_ner

    validation, fitted = ((validation_rows, train) if validation_rows is not None
                          else entity_validation_split(train, seed=config.seed))
    trainer = train_spacy_ner if backend == "spacy" else train_token_classifier
    result = trainer(
        [text for text, _ in fitted], [spans for _, spans in fitted],
        entity_types=list(spec.labels), config=config, output_dir=workdir,
        validation=([text for text, _ in validation], [spans for _, spans in validation]),
        on_progress=_log_progress(name),
    )
    extractor = load_predictor(workdir)

    def evaluate(rows: list) -> dict:
        return extractor.evaluate([text for text, _ in rows], [spans for _, spans in rows])

    return result, evaluate, {}

"""Worker side of compression: build the compressed artifact, measure it beside its source in
one run, and register it.

Runs in a training worker, so it imports the ML core (and torch); the web process never imports
this module. The data a method may learn from is the source version's own training and
validation rows (its stored split, or the starter data as the starter recipe cut it), plus
unlabelled in-domain texts: the organization's bulk-job items of the task, never its test rows.
The report compares both versions on the source's test set, measured by the same code in the same
run (size, parameters, latency at batch 1, throughput at batch 32, peak memory, accuracy,
macro-F1 and per-label F1).
"""

import json
import logging
import tempfile
import time
import traceback
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from slm_platform.audit.services import Actor, audit_record
from slm_platform.core.provenance import code_version, hardware
from slm_platform.core.task_selectors import task_resolve
from slm_platform.datasets.services import dataset_records, records_as_examples
from slm_platform.registry.comparison import test_set_key
from slm_platform.registry.evaluation import test_rows
from slm_platform.registry.models import ModelVersion, VersionStatus
from slm_platform.registry.services import model_version_mark_failed
from slm_platform.registry.storage import artifact_local_dir, artifact_upload

logger = logging.getLogger(__name__)


def compress_model_version(*, version_id: int) -> None:
    version = ModelVersion.objects.select_related("organization", "parent").filter(
        pk=version_id).first()
    if version is None or version.status != VersionStatus.QUEUED:
        return  # redelivered after it finished (acks_late), or deleted: nothing to do
    ModelVersion.objects.filter(pk=version.pk).update(status=VersionStatus.TRAINING)
    started = time.monotonic()
    try:
        artifact, metrics, compression = _compress(version)
    except Exception:
        logger.exception("compressing %s failed", version.name)
        _phase(version, "failed")
        model_version_mark_failed(version=version, error=traceback.format_exc())
        raise
    _succeed(version, artifact, metrics, compression, seconds=time.monotonic() - started)


def compression_data(source: ModelVersion):
    """The source's training and validation rows, and unlabelled in-domain texts."""
    from slm_platform.ml.compression import CompressionData
    from slm_platform.ml.types import TrainConfig
    from slm_platform.registry.starter import starter_classifier_split

    spec = task_resolve(organization=source.organization_id, slug=source.task_slug)
    config = source.training_config.get("config", {})
    multi_label = config.get("multi_label", False)
    if source.dataset_version_id:
        with default_storage.open(f"{source.artifact_path}/split.json") as handle:
            parts = json.loads(handle.read())
        records = dataset_records(version=source.dataset_version)
        by_row = {record["row"]: record for record in records}
        train = records_as_examples([by_row[row] for row in parts["train"]], spec=spec,
                                    multi_label=multi_label)
        validation = records_as_examples([by_row[row] for row in parts["validation"]],
                                         spec=spec, multi_label=multi_label)
    else:
        # The starter recipe trains on the first train_limit rows and validates on the starter
        # data's own validation rows, or on rows carved from them as train_classifier does.
        starter = spec.starter_data()
        defaults = TrainConfig()
        train, validation = starter_classifier_split(
            spec=spec, train=starter.train[: config.get("train_limit") or len(starter.train)],
            validation=starter.validation,
            fraction=config.get("validation_fraction", defaults.validation_fraction),
            seed=config.get("seed", defaults.seed), multi_label=multi_label)
    test_texts = set(test_rows(source)[0])
    return CompressionData(train_texts=train[0], train_targets=train[1],
                           validation_texts=validation[0], validation_targets=validation[1],
                           unlabelled_texts=_unlabelled_texts(source, spec, exclude=test_texts))


def _unlabelled_texts(source: ModelVersion, spec, *, exclude: set[str]) -> list[str]:
    """Texts the organization sent this task in bulk jobs (newest first, deduplicated), the
    in-domain data a distilled student learns the teacher's answers from."""
    from slm_platform.jobs.models import JobItem

    limit = settings.COMPRESSION_UNLABELLED_MAX
    texts, seen = [], set(exclude)
    query = (JobItem.objects.filter(job__organization_id=source.organization_id,
                                    job__task_slug=source.task_slug)
             .exclude(text="").order_by("-job_id", "seq").values_list("text", flat=True))
    for text in query.iterator(chunk_size=2000):
        text = spec.preprocess(text)
        if text and text not in seen:
            seen.add(text)
            texts.append(text)
            if len(texts) >= limit:
                break
    return texts


def _compress(version: ModelVersion) -> tuple[str, dict, dict]:
    from slm_platform.ml.compression import compress
    from slm_platform.ml.compression.measure import measure, report
    from slm_platform.ml.finetune import write_metrics

    source = version.parent
    method = version.compression["method"]
    options = version.compression.get("options", {})
    _phase(version, "preparing data")
    data = compression_data(source)
    texts, targets = test_rows(source)
    source_dir = artifact_local_dir(name=source.artifact_path)
    with tempfile.TemporaryDirectory(prefix="slm-compress-") as workdir:
        output = Path(workdir) / "artifact"
        _phase(version, f"compressing ({method})")
        details = compress(method, source_dir=source_dir, output_dir=output, data=data,
                           options=options, should_stop=lambda: _cancelled(version.pk))
        _phase(version, "measuring")
        threads = settings.TRAINING_THREADS
        # The baseline is the uncompressed source: fp32, on the engine that serves it.
        measured_source = measure(source_dir, texts, targets, threads=threads,
                                  precision="fp32")
        measured = measure(output, texts, targets, threads=threads)
        compared = report(measured_source, measured)
        metrics = {"schema": 1, "test": measured["quality"],
                   "compression": {"method": method, "source": measured_source,
                                   "compressed": measured, "report": compared}}
        write_metrics(output, metrics)
        name = f"compressed/{version.organization_id}/{version.task_slug}/v{version.version}"
        artifact = artifact_upload(local_dir=output, name=name)
    compression = {**version.compression, "details": details, "report": compared,
                   "source": {"id": source.pk, "name": source.name},
                   "data": {"train": len(data.train_texts),
                            "validation": len(data.validation_texts),
                            "unlabelled": len(data.unlabelled_texts), "test": len(texts)}}
    return artifact, metrics, compression


def _cancelled(version_id: int) -> bool:
    return ModelVersion.objects.filter(pk=version_id, status=VersionStatus.CANCELLED).exists()


def _phase(version: ModelVersion, phase: str) -> None:
    version.compression = {**version.compression, "phase": phase}
    ModelVersion.objects.filter(pk=version.pk).update(compression=version.compression)


@transaction.atomic
def _succeed(version: ModelVersion, artifact: str, metrics: dict, compression: dict, *,
             seconds: float) -> None:
    source = version.parent
    lineage = {
        **{key: value for key, value in source.lineage.items()
           if key in ("dataset_version", "dataset", "dataset_sha256", "split", "seed",
                      "base_model", "recipe", "hyperparameters")},
        # Evaluated on the source's test set: comparisons with the source use the same rows.
        "test_set_key": test_set_key(source),
        "compressed_from": {"id": source.pk, "name": source.name},
        "compression_method": compression["method"],
        "compression_options": compression.get("options", {}),
        "code_version": code_version(), "hardware": hardware(),
        "duration_seconds": round(seconds, 1),
    }
    updated = ModelVersion.objects.filter(pk=version.pk, status=VersionStatus.TRAINING).update(
        status=VersionStatus.READY, artifact_path=artifact, metrics=metrics, lineage=lineage,
        compression={**compression, "phase": "done"}, trained_at=timezone.now(),
    )
    if not updated:
        return  # cancelled meanwhile: nothing registered
    summary = compression["report"]
    audit_record(organization=version.organization, actor=Actor.system(),
                 action="model.compressed", object_type="model_version", object_id=version.pk,
                 data={"task": version.task_slug, "version": version.version,
                       "source_version": source.version, "method": compression["method"],
                       "accuracy": metrics["test"].get("accuracy"),
                       "size_ratio": summary.get("size_ratio"),
                       "throughput_speedup": summary.get("throughput_speedup"),
                       "accuracy_delta_points": summary.get("accuracy_delta_points")})

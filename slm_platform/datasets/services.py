"""Dataset uploads: parse, check quality, store the original and the parsed records, version."""

import dataclasses
import hashlib
import json
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max

from slm_platform.audit.services import Actor, audit_record
from slm_platform.core.catalog import TaskKind, TaskSpec
from slm_platform.core.errors import (
    InsufficientStorage,
    NotFound,
    PayloadTooLarge,
    ValidationFailed,
    disk_full,
)
from slm_platform.core.models import Organization
from slm_platform.core.task_selectors import task_resolve
from slm_platform.core.task_services import custom_task_adopt_labels
from slm_platform.datasets.models import Dataset, DatasetVersion
from slm_platform.ingest import quality, readers
from slm_platform.ingest.errors import DatasetError


@dataclass(frozen=True)
class ParseOptions:
    text_column: str = "text"
    label_column: str = "label"
    split_column: str | None = None
    label_separator: str = "|"


@dataclass(frozen=True)
class UploadResult:
    version: DatasetVersion
    created: bool  # False: the same content was already this dataset's latest version


def word_spans(text: str) -> list[tuple[int, int]]:
    """Word boundaries as the encoders' tokenizer sees them (whitespace and punctuation)."""
    from tokenizers.pre_tokenizers import BertPreTokenizer

    return [offsets for _, offsets in BertPreTokenizer().pre_tokenize_str(text)]


def _parse(spec: TaskSpec, data: bytes, filename: str, options: ParseOptions):
    if spec.kind == TaskKind.ENTITIES:
        parsed = readers.read_entities(data, filename=filename, split_column=options.split_column)
        report = quality.entity_report(
            parsed.records, token_spans=word_spans, known_labels=set(spec.labels) or None,
            labels_fixed=spec.labels_fixed, max_chars=spec.max_input_chars,
        )
        return parsed, report
    multi_label = spec.kind == TaskKind.MULTI_LABEL
    parsed = readers.read_classification(
        data, filename=filename, text_column=options.text_column,
        label_column=options.label_column, split_column=options.split_column,
        multi_label=multi_label, label_separator=options.label_separator,
    )
    report = quality.classification_report(
        parsed.records, known_labels=set(spec.labels) or None, labels_fixed=spec.labels_fixed,
        multi_label=multi_label, max_chars=spec.max_input_chars,
    )
    return parsed, report


def _records_jsonl(records) -> bytes:
    lines = []
    for record in records:
        row = dataclasses.asdict(record)
        if "spans" in row:
            row["spans"] = [[s["start"], s["end"], s["label"]] for s in row["spans"]]
        lines.append(json.dumps(row, ensure_ascii=False))
    return ("\n".join(lines) + "\n").encode()


def _check_size(size: int, filename: str) -> None:
    limit = settings.DATASET_MAX_BYTES
    if size > limit:
        raise PayloadTooLarge(
            f"{filename} is {size / 1e6:.1f} MB; datasets may be at most {limit / 1e6:.0f} MB",
            details={"file": filename, "size_bytes": size, "max_bytes": limit},
        )


def dataset_upload(
    *, organization: Organization, task_slug: str, name: str, filename: str, data: bytes,
    options: ParseOptions, actor: Actor,
) -> UploadResult:
    """Parse and check an upload; store it as the dataset's next version if nothing blocks."""
    spec = task_resolve(organization=organization, slug=task_slug)
    if spec is None:
        raise NotFound(f"unknown task {task_slug!r}", code="task_not_found",
                       details={"field": "task"})
    if spec.kind not in (TaskKind.CLASSIFICATION, TaskKind.MULTI_LABEL, TaskKind.ENTITIES):
        raise ValidationFailed(f"{task_slug} is a {spec.kind} task; it takes no datasets",
                               details={"field": "task"})
    _check_size(len(data), filename)
    try:
        parsed, report = _parse(spec, data, filename, options)
    except DatasetError as exc:
        raise ValidationFailed(str(exc), code="invalid_dataset", details=exc.as_details()) from exc
    if not report.ok:
        first = report.blocking[0]
        raise ValidationFailed(
            f"{filename}: {first.message}", code="dataset_rejected",
            details={"file": filename, "rows": first.rows, "quality": report.as_dict()},
        )
    return _store(organization=organization, spec=spec, name=name, filename=filename, data=data,
                  parsed=parsed, report=report, options=options, actor=actor)


@transaction.atomic
def _store(*, organization, spec, name, filename, data, parsed, report, options, actor):
    digest = hashlib.sha256(data).hexdigest()
    dataset, _ = Dataset.objects.select_for_update().get_or_create(
        organization=organization, task_slug=spec.slug, name=name
    )
    latest = dataset.versions.order_by("-version").first()
    if latest is not None and latest.content_sha256 == digest and latest.options == (
        dataclasses.asdict(options)
    ):
        return UploadResult(version=latest, created=False)
    number = (dataset.versions.aggregate(latest=Max("version"))["latest"] or 0) + 1
    prefix = f"datasets/{organization.pk}/{dataset.pk}/v{number}-{digest[:12]}"
    labels = sorted(report.label_distribution)
    original_path, records_path = _files_save(prefix, filename, data, parsed.records)
    version = DatasetVersion.objects.create(
        organization=organization, dataset=dataset, version=number, filename=filename,
        file_format=parsed.format, encoding=parsed.encoding, size_bytes=len(data),
        content_sha256=digest, original_path=original_path, records_path=records_path,
        row_count=report.row_count, labels=labels,
        has_split=any(getattr(r, "split", None) for r in parsed.records),
        options=dataclasses.asdict(options), quality=report.as_dict(), created_by=actor.user,
    )
    if not spec.labels_fixed:
        custom_task_adopt_labels(organization=organization, slug=spec.slug, labels=labels)
    audit_record(organization=organization, actor=actor, action="dataset.upload",
                 object_type="dataset_version", object_id=version.pk,
                 data={"task": spec.slug, "dataset": dataset.name, "version": number,
                       "rows": version.row_count, "sha256": digest,
                       "warnings": len(report.warnings)})
    return UploadResult(version=version, created=True)


def _files_save(prefix: str, filename: str, data: bytes, records) -> tuple[str, str]:
    """Store the original and its parsed records under `prefix` (new: its version number is
    taken under the dataset's row lock). A full disk is a 507 naming the file, with whatever
    was written of either deleted again."""
    names = [f"{prefix}/original", f"{prefix}/records.jsonl"]
    try:
        original = default_storage.save(names[0], ContentFile(data))
        names.append(original)
        return original, default_storage.save(names[1], ContentFile(_records_jsonl(records)))
    except OSError as exc:
        for name in names:
            default_storage.delete(name)
        if disk_full(exc):
            raise InsufficientStorage.for_file(filename, field="file") from exc
        raise


def dataset_records(*, version: DatasetVersion) -> list[dict]:
    with default_storage.open(version.records_path, "rb") as handle:
        return [json.loads(line) for line in handle.read().decode().splitlines() if line]


def records_as_examples(records: list[dict], *, spec: TaskSpec,
                        multi_label: bool) -> tuple[list[str], list]:
    """(texts, targets) for a model: a label, a label set, or entity spans per record. Entity
    texts are used as uploaded, since the span offsets point into them; other texts go through
    the task's pre-processing."""
    if spec.kind == TaskKind.ENTITIES:
        return ([r["text"] for r in records],
                [[tuple(span) for span in r["spans"]] for r in records])
    return ([spec.preprocess(r["text"]) for r in records],
            [r["labels"] if multi_label else r["labels"][0] for r in records])

"""Writes for custom tasks."""

import re

from django.db import transaction

from slm_platform.audit.services import Actor, audit_record
from slm_platform.core.catalog import TaskKind, catalog
from slm_platform.core.errors import Conflict, ValidationFailed
from slm_platform.core.models import CustomTask, Organization

SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,99}$")
TRAINABLE_KINDS = (TaskKind.CLASSIFICATION, TaskKind.MULTI_LABEL, TaskKind.ENTITIES)
MAX_LABELS = 1000


def _validate_labels(labels: object) -> list[str]:
    if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
        raise ValidationFailed("labels must be a list of strings", details={"field": "labels"})
    cleaned = [label.strip() for label in labels]
    if any(not label for label in cleaned):
        raise ValidationFailed("labels must not be empty strings", details={"field": "labels"})
    if len(set(cleaned)) != len(cleaned):
        raise ValidationFailed("labels must be unique", details={"field": "labels"})
    if len(cleaned) > MAX_LABELS:
        raise ValidationFailed(f"at most {MAX_LABELS} labels", details={"field": "labels"})
    return cleaned


@transaction.atomic
def custom_task_create(
    *, organization: Organization, slug: str, kind: str, title: str = "",
    description: str = "", labels: list[str] | None = None, actor: Actor,
) -> CustomTask:
    if not SLUG_PATTERN.match(slug or ""):
        raise ValidationFailed("slug must be 2-100 characters of a-z, 0-9, '.', '_' or '-'",
                               details={"field": "slug"})
    if kind not in TRAINABLE_KINDS:
        raise ValidationFailed(f"kind must be one of {', '.join(TRAINABLE_KINDS)}",
                               details={"field": "kind"})
    labels = _validate_labels(labels or [])
    if kind == TaskKind.CLASSIFICATION and len(labels) == 1:
        raise ValidationFailed("a classification task needs at least 2 labels",
                               details={"field": "labels"})
    if catalog.get(slug) or CustomTask.objects.filter(organization=organization,
                                                      slug=slug).exists():
        raise Conflict(f"task {slug!r} already exists", code="task_exists",
                       details={"field": "slug"})
    task = CustomTask.objects.create(
        organization=organization, slug=slug, kind=kind, title=title or slug,
        description=description, labels=labels, labels_fixed=bool(labels),
    )
    audit_record(organization=organization, actor=actor, action="task.create",
                 object_type="task", object_id=task.pk,
                 data={"slug": slug, "kind": kind, "labels": len(labels)})
    return task


def custom_task_adopt_labels(*, organization: Organization, slug: str, labels: list[str]) -> None:
    """A custom task without fixed labels takes its label set from its first dataset."""
    CustomTask.objects.filter(organization=organization, slug=slug, labels_fixed=False).update(
        labels=sorted(labels), labels_fixed=True
    )

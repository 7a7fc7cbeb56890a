"""Registry writes: create, finish, fail and activate model versions; start starter training."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from slm_platform.audit.services import Actor, audit_record
from slm_platform.core.catalog import catalog
from slm_platform.core.errors import Conflict
from slm_platform.core.models import Organization
from slm_platform.registry.models import ActivationRecord, ModelVersion, VersionStatus


def _next_version_number(*, organization: Organization, task_slug: str) -> int:
    latest = ModelVersion.objects.filter(organization=organization, task_slug=task_slug).aggregate(
        latest=Max("version")
    )["latest"]
    return (latest or 0) + 1


@transaction.atomic
def model_version_create(
    *, organization: Organization, task_slug: str, base_model: str, source: str,
    training_config: dict, actor: Actor, status: str = VersionStatus.TRAINING,
    dataset_version=None, recipe: str = "",
) -> ModelVersion:
    # Lock the organization row so two concurrent creations cannot take the same number.
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    version = ModelVersion.objects.create(
        organization=organization, task_slug=task_slug, base_model=base_model, source=source,
        version=_next_version_number(organization=organization, task_slug=task_slug),
        training_config=training_config, status=status, dataset_version=dataset_version,
        recipe=recipe,
    )
    audit_record(organization=organization, actor=actor, action="model.train_start",
                 object_type="model_version", object_id=version.pk,
                 data={"task": task_slug, "version": version.version, "source": source})
    return version


@transaction.atomic
def model_version_mark_ready(
    *, version: ModelVersion, artifact_path: str, metrics: dict, training_config: dict
) -> ModelVersion:
    version.status = VersionStatus.READY
    version.artifact_path = artifact_path
    version.metrics = metrics
    version.training_config = training_config
    version.trained_at = timezone.now()
    version.save(update_fields=["status", "artifact_path", "metrics", "training_config",
                                "trained_at"])
    audit_record(organization=version.organization, actor=Actor.system(), action="model.trained",
                 object_type="model_version", object_id=version.pk,
                 data={"task": version.task_slug, "version": version.version,
                       "accuracy": metrics.get("test", {}).get("accuracy")})
    return version


@transaction.atomic
def model_version_mark_failed(*, version: ModelVersion, error: str) -> ModelVersion:
    version.status = VersionStatus.FAILED
    version.error = error[:4000]
    version.save(update_fields=["status", "error"])
    audit_record(organization=version.organization, actor=Actor.system(), action="model.failed",
                 object_type="model_version", object_id=version.pk, outcome="failure",
                 data={"task": version.task_slug, "version": version.version})
    return version


@transaction.atomic
def model_version_activate(*, version: ModelVersion, actor: Actor,
                           kind: str = "activate") -> ModelVersion:
    """Make `version` the one that answers its task; the previous active one goes back to ready.
    New requests use it at once: predict resolves the active version per request."""
    version = ModelVersion.objects.select_for_update().get(pk=version.pk)
    if version.status == VersionStatus.ACTIVE:
        return version
    if version.status not in (VersionStatus.READY, VersionStatus.ARCHIVED):
        raise Conflict(f"{version.name} is {version.status}; only a ready version can be activated",
                       code="version_not_ready", details={"status": version.status})
    previous = ModelVersion.objects.select_for_update().filter(
        organization=version.organization, task_slug=version.task_slug,
        status=VersionStatus.ACTIVE,
    ).first()
    if previous is not None:
        previous.status = VersionStatus.READY
        previous.save(update_fields=["status"])
    version.status = VersionStatus.ACTIVE
    version.activated_at = timezone.now()
    version.save(update_fields=["status", "activated_at"])
    ActivationRecord.objects.create(
        organization=version.organization, task_slug=version.task_slug, model_version=version,
        previous_version=previous, kind=kind, actor_label=actor.label,
    )
    audit_record(
        organization=version.organization, actor=actor, action=f"model.{kind}",
        object_type="model_version", object_id=version.pk,
        data={"task": version.task_slug, "version": version.version,
              "previous_version": previous.version if previous else None},
    )
    return version


@transaction.atomic
def model_version_rollback(*, organization: Organization, task_slug: str,
                           actor: Actor) -> ModelVersion:
    """Re-activate the version that was active before the current one."""
    latest = ActivationRecord.objects.filter(organization=organization,
                                             task_slug=task_slug).first()
    if latest is None or latest.previous_version is None:
        raise Conflict(f"{task_slug} has no earlier active version to roll back to",
                       code="nothing_to_roll_back", details={"task": task_slug})
    return model_version_activate(version=latest.previous_version, actor=actor, kind="rollback")


@transaction.atomic
def starter_models_ensure(*, organization: Organization, preset: str) -> list[ModelVersion]:
    """Queue starter training for every catalog task with starter data that has no model yet."""
    from slm_platform.registry.starter import starter_train_config

    started = []
    for spec in catalog.in_registration_order():
        if spec.starter_data is None:
            continue
        if ModelVersion.objects.filter(
            organization=organization, task_slug=spec.slug,
            status__in=[VersionStatus.TRAINING, VersionStatus.READY, VersionStatus.ACTIVE],
        ).exists():
            continue
        config = starter_train_config(spec=spec, preset=preset)
        version = model_version_create(
            organization=organization, task_slug=spec.slug, base_model=config["base_model"],
            source="starter", training_config={"preset": preset, "config": config},
            actor=Actor.system(),
        )
        started.append(version)
        transaction.on_commit(lambda version_id=version.pk: _enqueue_training(version_id))
    return started


def _enqueue_training(version_id: int) -> None:
    from slm_platform.celery import app

    app.send_task("training.train_model_version", args=[version_id], queue="training")


def activation_gate_enforce(*, version: ModelVersion, max_label_f1_drop: float) -> None:
    """Refuse (409) to activate a version that does worse than the active one on its test set."""
    from slm_platform.registry.comparison import compare, gate_check
    from slm_platform.registry.selectors import active_version

    champion = active_version(organization=version.organization, task_slug=version.task_slug)
    if champion is None or champion.pk == version.pk:
        return
    comparison = compare(candidate=version, baseline=champion)
    reasons = gate_check(comparison, max_label_f1_drop=max_label_f1_drop)
    if reasons:
        raise Conflict(f"the gate refuses {version.name}: {reasons[0]}", code="gate_refused",
                       details={"reasons": reasons, "comparison": comparison.as_dict()})


@transaction.atomic
def model_version_archive(*, version: ModelVersion, actor: Actor) -> ModelVersion:
    """Retire a ready version from the list of candidates (it can still be re-activated)."""
    version = ModelVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.READY:
        raise Conflict(f"{version.name} is {version.status}; only a ready version can be "
                       "archived", code="version_not_ready", details={"status": version.status})
    version.status = VersionStatus.ARCHIVED
    version.save(update_fields=["status"])
    audit_record(organization=version.organization, actor=actor, action="model.archive",
                 object_type="model_version", object_id=version.pk,
                 data={"task": version.task_slug, "version": version.version})
    return version

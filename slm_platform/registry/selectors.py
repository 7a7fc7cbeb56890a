from slm_platform.core.models import Organization
from slm_platform.registry.models import ModelVersion, VersionStatus


def model_versions_for_organization(*, organization: Organization, task_slug: str | None = None):
    versions = ModelVersion.objects.filter(organization=organization)
    return versions.filter(task_slug=task_slug) if task_slug else versions


def active_version(*, organization: Organization, task_slug: str) -> ModelVersion | None:
    return model_versions_for_organization(organization=organization, task_slug=task_slug).filter(
        status=VersionStatus.ACTIVE
    ).first()


def active_versions_by_task(*, organization: Organization) -> dict[str, ModelVersion]:
    versions = model_versions_for_organization(organization=organization).filter(
        status=VersionStatus.ACTIVE
    )
    return {version.task_slug: version for version in versions}


def version_in_training(*, organization: Organization, task_slug: str) -> bool:
    return model_versions_for_organization(organization=organization, task_slug=task_slug).filter(
        status=VersionStatus.TRAINING
    ).exists()


def model_version_get(*, organization: Organization, version_id: int) -> ModelVersion | None:
    return model_versions_for_organization(organization=organization).filter(pk=version_id).first()


def activation_history(*, organization: Organization, task_slug: str):
    from slm_platform.registry.models import ActivationRecord

    return ActivationRecord.objects.filter(organization=organization, task_slug=task_slug
                                           ).select_related("model_version", "previous_version")


def compression_frontier(*, organization: Organization, task_slug: str) -> list[dict]:
    """Every measured version of a task as a point of the compression frontier: accuracy,
    latency at batch 1, throughput at batch 32 and size on disk. A compressed version brings
    its own measurement and, for its source, the source's measurement from the same run (the
    newest run's when a source was compressed several times). Versions never measured by a
    compression run have no point."""
    versions = ModelVersion.objects.filter(organization=organization, task_slug=task_slug) \
        .exclude(artifact_path="").select_related("parent").order_by("-trained_at", "-pk")
    measured: dict[int, tuple[ModelVersion, dict]] = {}
    for version in versions:
        run = (version.metrics or {}).get("compression") or {}
        if run.get("compressed") and version.pk not in measured:
            measured[version.pk] = (version, run["compressed"])
        if run.get("source") and version.parent_id and version.parent_id not in measured:
            measured[version.parent_id] = (version.parent, run["source"])
    points = []
    for version, figures in measured.values():
        quality = figures.get("quality") or {}
        points.append({
            "id": version.pk, "version": version.version, "name": version.name,
            "status": version.status,
            "method": (version.compression or {}).get("method") or version.recipe or "",
            "accuracy": quality.get("accuracy"), "macro_f1": quality.get("macro_f1"),
            "latency_ms": figures.get("latency_ms"),
            "throughput": figures.get("throughput_rows_per_s"),
            "size_bytes": figures.get("size_bytes"),
        })
    return sorted(points, key=lambda point: point["version"])

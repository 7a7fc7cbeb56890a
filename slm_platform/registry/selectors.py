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

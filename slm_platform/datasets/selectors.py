from slm_platform.core.models import Organization
from slm_platform.datasets.models import DatasetVersion


def dataset_versions_for_organization(*, organization: Organization, task_slug: str | None = None):
    versions = DatasetVersion.objects.filter(organization=organization).select_related("dataset")
    return versions.filter(dataset__task_slug=task_slug) if task_slug else versions


def dataset_version_get(*, organization: Organization, version_id: int) -> DatasetVersion | None:
    return dataset_versions_for_organization(organization=organization).filter(
        pk=version_id
    ).first()

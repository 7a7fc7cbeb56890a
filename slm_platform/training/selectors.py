from slm_platform.core.models import Organization
from slm_platform.training.models import TrainingRun


def training_runs_for_organization(*, organization: Organization, task_slug: str | None = None):
    runs = TrainingRun.objects.filter(organization=organization).select_related(
        "dataset_version__dataset", "model_version"
    )
    return runs.filter(task_slug=task_slug) if task_slug else runs


def training_run_get(*, organization: Organization, run_id: int) -> TrainingRun | None:
    return training_runs_for_organization(organization=organization).filter(pk=run_id).first()

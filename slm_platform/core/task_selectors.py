"""Tasks as an organization sees them: the built-in catalog plus its own custom tasks."""

from slm_platform.core.catalog import TaskKind, TaskSpec, catalog
from slm_platform.core.models import CustomTask, Organization

CUSTOM_MAX_INPUT_CHARS = 2000
CUSTOM_MAX_LENGTH_TOKENS = 128


def custom_task_spec(task: CustomTask) -> TaskSpec:
    return TaskSpec(
        slug=task.slug, kind=TaskKind(task.kind), title=task.title,
        description=task.description, labels=tuple(task.labels),
        max_input_chars=CUSTOM_MAX_INPUT_CHARS, max_length_tokens=CUSTOM_MAX_LENGTH_TOKENS,
        labels_fixed=task.labels_fixed, custom=True,
    )


def task_resolve(*, organization: Organization | int, slug: str) -> TaskSpec | None:
    """The task `slug` for this organization: a catalog task, or one of its own, or None."""
    spec = catalog.get(slug)
    if spec is not None:
        return spec
    custom = CustomTask.objects.filter(organization=organization, slug=slug).first()
    return custom_task_spec(custom) if custom else None


def tasks_for_organization(*, organization: Organization) -> list[TaskSpec]:
    custom = CustomTask.objects.filter(organization=organization).order_by("slug")
    return catalog.all() + [custom_task_spec(task) for task in custom]

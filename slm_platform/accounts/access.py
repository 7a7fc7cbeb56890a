"""The checks behind every API view and dashboard page (api/permissions.py and dashboard/access.py
call these): what a request may do, what a view needs, and whether the ids in its URL name rows
of the caller's organization.

Order matters: ids naming no row of the caller's organization answer 404 before the capability
or the body is looked at, so no role learns anything about other organizations' ids (403 only
ever concerns the caller's own rows)."""

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from slm_platform.accounts.models import ApiKey, Membership
from slm_platform.accounts.roles import capabilities_of, capability_check
from slm_platform.core.errors import NotFound
from slm_platform.core.models import Organization

# URL argument -> (model, its path to the organization). An industry app adds its own in its
# AppConfig's `url_objects`, the way it adds endpoints with `api_urls`.
URL_OBJECTS: dict[str, tuple[str, str]] = {
    "version_id": ("registry.ModelVersion", "organization"),
    "dataset_version_id": ("datasets.DatasetVersion", "organization"),
    "job_id": ("jobs.Job", "organization"),
    "item_id": ("jobs.JobItem", "job__organization"),
    "run_id": ("training.TrainingRun", "organization"),
    "key_id": ("accounts.ApiKey", "organization"),
    "membership_id": ("accounts.Membership", "organization"),
    "kb_id": ("chat.KnowledgeBase", "organization"),
    "document_id": ("chat.KnowledgeDocument", "knowledge_base__organization"),
    "assistant_id": ("chat.Assistant", "organization"),
    "conversation_id": ("chat.Conversation", "assistant__organization"),
}
TASK_SLUG = "slug"


def url_objects() -> dict[str, tuple[str, str]]:
    extra = {}
    for config in apps.get_app_configs():
        extra |= getattr(config, "url_objects", None) or {}
    return URL_OBJECTS | extra


def effective_capabilities(*, membership: Membership, api_key: ApiKey | None) -> frozenset[str]:
    """What the request may do: its member's role, narrowed by the key's role when a key
    made it (a key keeps its role when its holder is given a lesser one, but never acts
    beyond the holder's current role)."""
    held = capabilities_of(membership.role)
    return held & capabilities_of(api_key.role) if api_key is not None else held


def required_capability(declared, method: str) -> str | None:
    """The capability a view declares for `method`: one for every method, or a dict by
    method (HEAD and OPTIONS as GET). None when it declares none: such a view is refused."""
    if isinstance(declared, dict):
        declared = declared.get("GET" if method in ("HEAD", "OPTIONS") else method)
    return capability_check(declared) if declared else None


def url_object_missing(*, organization: Organization, kwargs: dict) -> NotFound | None:
    """The 404 for the first id in the URL that names no row of this organization (the error
    its own view would give), or None when all do (a task slug: one of its tasks). An argument
    this module does not know is a mistake in the URL's declaration."""
    from slm_platform.core.task_selectors import task_resolve

    known = url_objects()
    for name, value in kwargs.items():
        if name == TASK_SLUG:
            if task_resolve(organization=organization, slug=value) is None:
                return NotFound(
                    f"unknown task {value!r}", code="task_not_found", details={"task": value}
                )
            continue
        if name not in known:
            raise ImproperlyConfigured(
                f"URL argument {name!r} names no kind of row; add it "
                "to accounts.access.URL_OBJECTS or an app's url_objects"
            )
        label, path = known[name]
        model = apps.get_model(label)
        if not model.objects.filter(pk=value, **{path: organization}).exists():
            return NotFound(f"{model._meta.verbose_name} {value} not found", details={"id": value})
    return None


def denial_message(
    capability: str | None, *, membership: Membership, api_key: ApiKey | None
) -> str:
    if capability is None:
        return "this endpoint declares no capability, so nobody may use it"
    if capability in capabilities_of(membership.role):
        return (
            f"this needs the {capability!r} capability, which this API key's role "
            f"({api_key.role}) does not have"
        )
    return (
        f"this needs the {capability!r} capability, which your role ({membership.role}) "
        "does not have"
    )

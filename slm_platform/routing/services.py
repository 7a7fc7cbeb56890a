"""Cascade writes: a task's policy (admins; audited in the same transaction), the routes a
batch of predictions took, and realtime predictions stored for review."""

import uuid
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from slm_platform.audit.services import Actor, audit_record
from slm_platform.core.catalog import TaskKind, TaskSpec
from slm_platform.core.errors import NotFound, ValidationFailed
from slm_platform.core.models import Organization
from slm_platform.core.task_selectors import task_resolve
from slm_platform.jobs.models import ItemStatus, Job, JobFile, JobItem, JobStatus
from slm_platform.registry.models import ModelVersion, VersionStatus
from slm_platform.registry.selectors import model_version_get
from slm_platform.routing import http_route
from slm_platform.routing.models import CascadePolicy, LargeKind, Route, RoutingRecord
from slm_platform.routing.selectors import SERVING, cascade_policy_get

FIELDS = {"enabled", "escalate_below", "review_below", "escalate_share", "large",
          "store_for_review"}
LARGE_FIELDS = {
    LargeKind.VERSION: {"kind", "model_version"},
    LargeKind.OPENAI: {"kind", "url", "model", "api_key_env", "redact", "redaction_task",
                       "trust_http_answers"},
}
# Realtime predictions a person should see are stored as items of one job per task, the
# task's review inbox: the review queue reads job items.
REVIEW_INBOX_UNIT = "realtime-review"


def cascade_task(*, organization: Organization, slug: str) -> TaskSpec:
    """The task, if a cascade can route it: single-label classification (a calibrated score
    per item and one label a larger model or a person can give)."""
    spec = task_resolve(organization=organization, slug=slug)
    if spec is None:
        raise NotFound(f"unknown task {slug!r}", code="task_not_found", details={"task": slug})
    if spec.kind != TaskKind.CLASSIFICATION:
        raise ValidationFailed(f"{slug} is a {spec.kind} task; a cascade routes single-label "
                               "classification tasks", code="task_not_supported",
                               details={"field": "task"})
    return spec


def _number(data: dict, field: str, *, required: bool = False,
            meaning: str = "a confidence") -> float | None:
    value = data.get(field)
    if value is None:
        if required:
            raise ValidationFailed(f"{field} is required", details={"field": field})
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ValidationFailed(f"{field} must be {meaning} from 0 to 1",
                               details={"field": field, "value": value})
    return float(value)


def _flag(data: dict, field: str, default: bool, *, prefix: str = "") -> bool:
    value = data.get(field, default)
    if not isinstance(value, bool):
        raise ValidationFailed(f"{prefix}{field} must be true or false",
                               details={"field": f"{prefix}{field}"})
    return value


def _unknown(data: dict, allowed: set, prefix: str = "") -> None:
    extra = sorted(set(data) - allowed)
    if extra:
        raise ValidationFailed(f"unknown field {prefix}{extra[0]}",
                               details={"field": f"{prefix}{extra[0]}",
                                        "allowed": sorted(allowed)})


def _large_version(organization: Organization, spec: TaskSpec, value: object) -> ModelVersion:
    field = "large.model_version"
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed(f"{field} must be a model version id", details={"field": field})
    version = model_version_get(organization=organization, version_id=value)
    if version is None:
        raise NotFound(f"model version {value} not found", code="model_version_not_found",
                       details={"field": field})
    if version.task_slug != spec.slug:
        raise ValidationFailed(f"{version.name} is a version of {version.task_slug}, not of "
                               f"{spec.slug}", details={"field": field})
    if version.status not in SERVING or not version.artifact_path:
        raise ValidationFailed(f"{version.name} is {version.status}; the large route must be "
                               "a ready version", details={"field": field})
    if version.status == VersionStatus.ACTIVE:
        raise ValidationFailed(f"{version.name} is the active version, the small model itself; "
                               "the large route is another version", details={"field": field})
    return version


def _large_fields(organization: Organization, spec: TaskSpec, large: object) -> dict:
    """The policy's large-route columns from the request's `large` object (or null)."""
    none = {"large_kind": LargeKind.NONE, "large_version": None, "http_url": "",
            "http_model": "", "http_api_key_env": "", "redact": True, "redaction_task": "",
            "trust_http_answers": False}
    if large is None:
        return none
    if not isinstance(large, dict) or large.get("kind") not in LARGE_FIELDS:
        raise ValidationFailed("large must be null or an object whose kind is version or "
                               "openai", details={"field": "large.kind"})
    kind = LargeKind(large["kind"])
    _unknown(large, LARGE_FIELDS[kind], "large.")
    if kind == LargeKind.VERSION:
        return none | {"large_kind": kind,
                       "large_version": _large_version(organization, spec,
                                                       large.get("model_version"))}
    target = http_route.http_target_clean(url=large.get("url"), model=large.get("model"),
                                          api_key_env=large.get("api_key_env"))
    redact = _flag(large, "redact", True, prefix="large.")
    redaction_task = large.get("redaction_task") or ""
    if not isinstance(redaction_task, str):
        raise ValidationFailed("large.redaction_task must be a task slug",
                               details={"field": "large.redaction_task"})
    slug = redaction_task or settings.CASCADE_REDACTION_TASK
    if redact and task_resolve(organization=organization, slug=slug) is None:
        raise ValidationFailed(f"no task {slug!r} to redact items with: name one whose "
                               "predictions carry redacted text, or turn redact off",
                               details={"field": "large.redaction_task"})
    return none | {"large_kind": kind, "http_url": target["url"], "http_model": target["model"],
                   "http_api_key_env": target["api_key_env"], "redact": redact,
                   "redaction_task": redaction_task,
                   "trust_http_answers": _flag(large, "trust_http_answers", False,
                                               prefix="large.")}


def _policy_fields(organization: Organization, spec: TaskSpec, data: object) -> dict:
    if not isinstance(data, dict):
        raise ValidationFailed("the body must be a JSON object", details={"field": "body"})
    _unknown(data, FIELDS)
    return {"enabled": _flag(data, "enabled", True),
            "escalate_below": _number(data, "escalate_below", required=True),
            "review_below": _number(data, "review_below"),
            "escalate_share": _number(data, "escalate_share", meaning="a share of the items"),
            "store_for_review": _flag(data, "store_for_review", False),
            **_large_fields(organization, spec, data.get("large"))}


@transaction.atomic
def cascade_policy_set(*, organization: Organization, task_slug: str, data: object,
                       actor: Actor) -> CascadePolicy:
    """Create or replace a task's cascade policy (every field; omitted ones take defaults)."""
    spec = cascade_task(organization=organization, slug=task_slug)
    fields = _policy_fields(organization, spec, data)
    policy, created = CascadePolicy.objects.update_or_create(
        organization=organization, task_slug=spec.slug, defaults=fields)
    large = policy.large_version.name if policy.large_version else (
        http_route.endpoint_name(policy.http_url, policy.http_model) if policy.http_url
        else None)
    audit_record(organization=organization, actor=actor, action="cascade.set",
                 object_type="cascade_policy", object_id=policy.pk,
                 data={"task": spec.slug, "created": created, "enabled": policy.enabled,
                       "escalate_below": policy.escalate_below,
                       "review_below": policy.review_below,
                       "escalate_share": policy.escalate_share, "large_kind": policy.large_kind,
                       "large": large, "redact": policy.redact,
                       "data_leaves_premises": policy.data_leaves_premises})
    return policy


@transaction.atomic
def cascade_policy_delete(*, organization: Organization, task_slug: str, actor: Actor) -> None:
    spec = cascade_task(organization=organization, slug=task_slug)
    policy = cascade_policy_get(organization=organization, task_slug=spec.slug)
    if policy is None:
        raise NotFound(f"{spec.slug} has no cascade policy", code="cascade_not_found",
                       details={"task": spec.slug})
    policy_id = policy.pk
    policy.delete()
    audit_record(organization=organization, actor=actor, action="cascade.delete",
                 object_type="cascade_policy", object_id=policy_id, data={"task": spec.slug})


def route_groups(predictions: list[dict], timings: dict) -> list[dict]:
    """The batch's items grouped by (route, who answered, escalated or not), with the model
    time per item on that path: the small model's share of the batch, plus the large
    route's share of the escalated items for those it was asked about."""
    small_each = timings["small_ms"] / max(1, len(predictions))
    large_each = timings["large_ms"] / timings["escalated"] if timings["escalated"] else 0.0
    groups: dict[tuple, int] = defaultdict(int)
    for prediction in predictions:
        tried = "small" in prediction or "escalation_error" in prediction
        groups[(prediction["route"], prediction["answered_by"], tried)] += 1
    return [{"route": route, "answered_by": answered_by[:300], "items": items,
             "latency_ms": round(small_each + (large_each if tried else 0.0), 3)}
            for (route, answered_by, tried), items in groups.items()]


def routing_records_write(*, organization_id: int, task_slug: str, source: str,
                          job_id: int | None, predictions: list[dict], timings: dict) -> None:
    """The routes of one batch. Callers run it inside their own transaction (a job's chunk
    commit), so a redelivered chunk never counts twice."""
    now = timezone.now()
    RoutingRecord.objects.bulk_create([
        RoutingRecord(organization_id=organization_id, task_slug=task_slug, source=source,
                      job_id=job_id, created_at=now, **group)
        for group in route_groups(predictions, timings)])


@transaction.atomic
def realtime_routes_record(*, organization: Organization, spec: TaskSpec,
                           version: ModelVersion, plan: dict, texts: list[str],
                           answer: dict) -> list[dict]:
    """Count a realtime call's routes and, when the policy stores them, put the items routed
    to a person into the task's review queue (their predictions then name the item)."""
    predictions = answer["predictions"]
    routing_records_write(organization_id=organization.pk, task_slug=spec.slug,
                          source="realtime", job_id=None, predictions=predictions,
                          timings=answer["timings"])
    human = [index for index, prediction in enumerate(predictions)
             if prediction["route"] == Route.HUMAN]
    if human and plan.get("store_for_review"):
        stored = _review_inbox_add(organization, spec, version,
                                   [(texts[index], predictions[index]) for index in human])
        for index, item_id in zip(human, stored, strict=True):
            predictions[index]["review_item"] = item_id
    return predictions


def _review_inbox(organization: Organization, spec: TaskSpec, version: ModelVersion) -> Job:
    """The task's review inbox job, locked (created on first use)."""
    # The organization's row lock makes two first uses create one inbox, not two.
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    job = Job.objects.select_for_update().filter(
        organization=organization, task_slug=spec.slug, unit=REVIEW_INBOX_UNIT) \
        .order_by("pk").first()
    if job is not None:
        return job
    now = timezone.now()
    job = Job.objects.create(organization=organization, task_slug=spec.slug,
                             model_version=version, status=JobStatus.SUCCEEDED,
                             unit=REVIEW_INBOX_UNIT,
                             # No upload: a name no upload directory ever has.
                             upload_dir=f"{REVIEW_INBOX_UNIT}-{uuid.uuid4().hex}",
                             started_at=now, read_at=now, finished_at=now)
    JobFile.objects.create(job=job, name="realtime predictions routed to review",
                           kind="realtime", path="", status=JobFile.Status.READ)
    return job


def _review_inbox_add(organization: Organization, spec: TaskSpec, version: ModelVersion,
                      entries: list[tuple[str, dict]]) -> list[int]:
    job = _review_inbox(organization, spec, version)
    job_file = JobFile.objects.filter(job=job).order_by("pk").first()
    stamp = timezone.now().strftime("%Y-%m-%d %H:%M:%S")
    items = JobItem.objects.bulk_create([
        JobItem(job=job, file=job_file, seq=job.total + offset, position=f"realtime {stamp}",
                text=text, status=ItemStatus.DONE, label=str(prediction.get("label", ""))[:200],
                score=prediction.get("score"), result=prediction,
                model_version_id=prediction.get("model_version_id") or version.pk)
        for offset, (text, prediction) in enumerate(entries)])
    Job.objects.filter(pk=job.pk).update(total=job.total + len(items),
                                         done=job.done + len(items))
    JobFile.objects.filter(pk=job_file.pk).update(items=job_file.items + len(items))
    return [item.pk for item in items]


def realtime_cascade(*, organization: Organization, spec: TaskSpec, version: ModelVersion,
                     texts: list[str]) -> tuple[list[dict], dict[str, int]] | None:
    """(predictions, items per route) of a realtime call through the task's cascade (one
    realtime task runs every stage); None when the task has no policy in force."""
    from slm_platform.routing.selectors import cascade_plan
    from slm_platform.serving.services import realtime_call

    if spec.kind != TaskKind.CLASSIFICATION:
        return None
    plan = cascade_plan(organization=organization, task_slug=spec.slug, version=version)
    if plan is None:
        return None
    answer = realtime_call("routing.cascade_predict", [plan, texts],
                           what=f"routing with {version.name}")
    predictions = realtime_routes_record(organization=organization, spec=spec, version=version,
                                         plan=plan, texts=texts, answer=answer)
    routes: dict[str, int] = defaultdict(int)
    for prediction in predictions:
        routes[prediction["route"]] += 1
    return predictions, dict(routes)

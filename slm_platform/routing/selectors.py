"""Cascade reads, scoped to the organization: a task's policy, the plan a worker follows, and
the routing statistics (share, accuracy from reviewed items, latency) of a time window."""

from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings

from slm_platform.core.models import Organization
from slm_platform.registry.models import ModelVersion, VersionStatus
from slm_platform.review.models import LABELLED, Review, ReviewAction
from slm_platform.routing.models import CascadePolicy, LargeKind, Route, RoutingRecord

SERVING = (VersionStatus.READY, VersionStatus.ACTIVE)


def cascade_policy_get(*, organization: Organization | int,
                       task_slug: str) -> CascadePolicy | None:
    return CascadePolicy.objects.select_related("large_version") \
        .filter(organization=organization, task_slug=task_slug).first()


def leaves_premises_warning(policy: CascadePolicy) -> str | None:
    if not policy.data_leaves_premises:
        return None
    host = urlsplit(policy.http_url).hostname
    how = (f"redacted first with {policy.redaction_task or settings.CASCADE_REDACTION_TASK}"
           if policy.redact else "NOT redacted")
    return (f"Items escalated to the HTTP route are sent to {host}: their text leaves this "
            f"installation ({how}).")


def policy_payload(policy: CascadePolicy) -> dict:
    large = None
    if policy.large_kind == LargeKind.VERSION:
        version = policy.large_version
        large = {"kind": LargeKind.VERSION.value,
                 "model_version": version.pk if version else None,
                 "name": version.name if version else None,
                 "usable": version is not None and version.status in SERVING}
    elif policy.large_kind == LargeKind.OPENAI:
        large = {"kind": LargeKind.OPENAI.value, "url": policy.http_url,
                 "model": policy.http_model, "api_key_env": policy.http_api_key_env,
                 "redact": policy.redact,
                 "redaction_task": policy.redaction_task or settings.CASCADE_REDACTION_TASK,
                 "trust_http_answers": policy.trust_http_answers}
    return {"task": policy.task_slug, "enabled": policy.enabled,
            "escalate_below": policy.escalate_below, "review_below": policy.review_below,
            "escalate_share": policy.escalate_share, "large": large,
            "store_for_review": policy.store_for_review,
            "data_leaves_premises": policy.data_leaves_premises,
            "warning": leaves_premises_warning(policy),
            "updated_at": policy.updated_at.isoformat()}


def cascade_plan(*, organization: Organization | int, task_slug: str,
                 version: ModelVersion) -> dict | None:
    """The policy in force for a prediction by `version` (the small model), as plain data for a
    worker; None when the task has no policy or it is off: prediction as without routing."""
    policy = cascade_policy_get(organization=organization, task_slug=task_slug)
    if policy is None or not policy.enabled:
        return None
    return {"organization": policy.organization_id, "task": task_slug,
            "small": {"id": version.pk, "name": version.name},
            "escalate_below": policy.escalate_below, "review_below": policy.review_below,
            "escalate_share": policy.escalate_share, "large": _large_plan(policy),
            "trust_http_answers": policy.trust_http_answers,
            "store_for_review": policy.store_for_review}


def _large_plan(policy: CascadePolicy) -> dict | None:
    if policy.large_kind == LargeKind.VERSION:
        version = policy.large_version
        if version is None or version.status not in SERVING or not version.artifact_path:
            return None  # the version went away or was archived: no large route for now
        return {"kind": LargeKind.VERSION.value, "id": version.pk, "name": version.name}
    if policy.large_kind == LargeKind.OPENAI:
        return {"kind": LargeKind.OPENAI.value, "url": policy.http_url,
                "model": policy.http_model, "api_key_env": policy.http_api_key_env,
                "redact": policy.redact, "redaction_task": policy.redaction_task}
    return None


def job_was_routed(*, job_id: int) -> bool:
    return RoutingRecord.objects.filter(job_id=job_id).exists()


def _percentile(weighted: list[tuple[float, int]], fraction: float) -> float | None:
    """The latency that `fraction` of the items (weighted) are at or under."""
    total = sum(weight for _, weight in weighted)
    if not total:
        return None
    running = 0
    for latency, weight in sorted(weighted):
        running += weight
        if running >= fraction * total:
            return round(latency, 3)
    return round(max(latency for latency, _ in weighted), 3)


def routing_stats(*, organization: Organization, task_slug: str, since: datetime,
                  until: datetime) -> dict:
    """Per route: items and their share, model latency per item (p50/p95, weighted by items),
    and accuracy from the task's reviewed items (a confirmation is right, a correction wrong;
    skips do not count) reviewed in the window."""
    records = RoutingRecord.objects.filter(organization=organization, task_slug=task_slug,
                                           created_at__gte=since, created_at__lt=until)
    latencies: dict[str, list[tuple[float, int]]] = {route: [] for route in Route.values}
    answered: dict[str, set[str]] = {route: set() for route in Route.values}
    for route, answered_by, items, latency in records.values_list(
            "route", "answered_by", "items", "latency_ms").iterator():
        latencies[route].append((latency, items))
        answered[route].add(answered_by)
    reviews = Review.objects.filter(
        organization=organization, task_slug=task_slug, action__in=LABELLED,
        created_at__gte=since, created_at__lt=until, job_item__job__organization=organization,
    ).values_list("job_item__result__route", "action")
    verdicts: dict[str, list[bool]] = {route: [] for route in Route.values}
    for route, action in reviews.iterator():
        if route in verdicts:
            verdicts[route].append(action == ReviewAction.CONFIRMED)
    total = sum(items for rows in latencies.values() for _, items in rows)
    routes = []
    for route in Route.values:
        items = sum(weight for _, weight in latencies[route])
        right = verdicts[route]
        routes.append({
            "route": route, "items": items, "share": round(items / total, 4) if total else None,
            "answered_by": sorted(answered[route]),
            "latency_ms": {"p50": _percentile(latencies[route], 0.5),
                           "p95": _percentile(latencies[route], 0.95)},
            "reviewed": len(right), "correct": sum(right),
            "accuracy": round(sum(right) / len(right), 4) if right else None,
        })
    return {"task": task_slug, "since": since.isoformat(), "until": until.isoformat(),
            "items": total, "routes": routes}

"""The threshold suggester: the small and the large version's predictions on the small
version's test rows (a realtime worker computes them once per version pair), turned into the
curve of escalation rate against cascade accuracy and the least escalation reaching a target."""

from celery.exceptions import TimeoutError as CeleryTimeout
from django.conf import settings

from slm_platform.core.errors import (
    Conflict,
    NotFound,
    ServiceUnavailable,
    ValidationFailed,
    WorkerFailed,
)
from slm_platform.core.models import Organization
from slm_platform.core.task_selectors import task_resolve
from slm_platform.registry.models import ModelVersion
from slm_platform.registry.selectors import active_version, model_version_get
from slm_platform.routing import suggest
from slm_platform.routing.models import CascadeEvaluation, LargeKind
from slm_platform.routing.score_window import recent_scores
from slm_platform.routing.selectors import cascade_policy_get


def target_parse(value: str | None) -> float | None:
    """target_accuracy: a number in (0, 1], or "large" (or nothing) for the large version's
    own accuracy on the same rows (None here)."""
    if value in (None, "", "large"):
        return None
    try:
        target = float(value)
    except ValueError:
        target = -1.0
    if not 0 < target <= 1:
        raise ValidationFailed("target_accuracy must be a number from 0 to 1, or \"large\"",
                               details={"field": "target_accuracy", "value": value})
    return target


def _version(organization: Organization, task_slug: str, version_id: int,
             field: str) -> ModelVersion:
    version = model_version_get(organization=organization, version_id=version_id)
    if version is None or version.task_slug != task_slug:
        raise NotFound(f"model version {version_id} not found for {task_slug}",
                       code="model_version_not_found", details={"field": field})
    if not version.artifact_path:
        raise Conflict(f"{version.name} has no trained artifact", code="version_not_ready",
                       details={"field": field})
    return version


def _versions(organization: Organization, task_slug: str, small_id: int | None,
              large_id: int | None) -> tuple[ModelVersion, ModelVersion]:
    small = (_version(organization, task_slug, small_id, "small_version") if small_id
             else active_version(organization=organization, task_slug=task_slug))
    if small is None:
        raise Conflict(f"{task_slug} has no active model version", code="no_active_model")
    if large_id:
        large = _version(organization, task_slug, large_id, "large_version")
    else:
        policy = cascade_policy_get(organization=organization, task_slug=task_slug)
        large = policy.large_version if policy and policy.large_kind == LargeKind.VERSION \
            else None
        if large is None:
            raise Conflict("the suggester compares two local versions: pass large_version, or "
                           "give the task's cascade a model version as its large route",
                           code="no_large_version", details={"field": "large_version"})
    if large.pk == small.pk:
        raise ValidationFailed("the large version must differ from the small one",
                               details={"field": "large_version"})
    return small, large


def evaluation_rows(*, small: ModelVersion, large: ModelVersion) -> list[list]:
    """The pair's rows: kept, or predicted now on a realtime worker (503 while it is still at
    it after CASCADE_SUGGEST_TIMEOUT_SECONDS: it keeps going, and the next ask finds them)."""
    from slm_platform.serving.services import realtime_send

    kept = CascadeEvaluation.objects.filter(small_version=small, large_version=large).first()
    if kept is not None:
        return kept.rows
    timeout = settings.CASCADE_SUGGEST_TIMEOUT_SECONDS
    result = realtime_send("routing.cascade_evaluate", [small.pk, large.pk], expires=timeout)
    try:
        result.get(timeout=timeout)
    except CeleryTimeout as exc:
        raise ServiceUnavailable("the test rows are still being predicted; ask again shortly",
                                 code="evaluation_pending",
                                 retry_after=settings.RETRY_AFTER_SECONDS) from exc
    except Exception as exc:
        raise WorkerFailed(f"the worker failed predicting the test rows: "
                           f"{type(exc).__name__}") from exc
    finally:
        result.forget()
    return CascadeEvaluation.objects.get(small_version=small, large_version=large).rows


def cascade_suggestion(*, organization: Organization, task_slug: str,
                       target_accuracy: str | None = None, small_version_id: int | None = None,
                       large_version_id: int | None = None, compute: bool = True) -> dict:
    """The curve and the suggested escalate_below; with compute=False, only from rows already
    kept (None when there are none yet)."""
    if task_resolve(organization=organization, slug=task_slug) is None:
        raise NotFound(f"unknown task {task_slug!r}", code="task_not_found",
                       details={"task": task_slug})
    target = target_parse(target_accuracy)
    small, large = _versions(organization, task_slug, small_version_id, large_version_id)
    if not compute and not CascadeEvaluation.objects.filter(
            small_version=small, large_version=large).exists():
        return None
    rows = evaluation_rows(small=small, large=large)
    return suggestion_from_rows(rows, target=target, small=small, large=large,
                                traffic=recent_scores(organization_id=organization.pk,
                                                      task_slug=task_slug, version_id=small.pk))


def suggestion_from_rows(rows: list[list], *, target: float | None, small: ModelVersion,
                         large: ModelVersion, traffic: list[float] = ()) -> dict:
    """The suggestion from the test rows; with `traffic` (the small version's scores of the
    items it recently answered first in the cascade), also the share of those the suggested
    threshold would have escalated: traffic unlike the test rows (more items the model is
    unsure of) escalates more, and the policy's escalate_share can cap it."""
    large_accuracy = suggest.accuracy_of(rows, 2)
    goal = large_accuracy if target is None else target
    points = suggest.cascade_curve(rows)
    best = suggest.least_escalation(points, goal)
    if not rows:
        message = f"{small.name} has no test rows to suggest a threshold from"
    elif best is None:
        message = (f"no threshold reaches {goal:.4f}: escalating every item gives "
                   f"{max(point.accuracy for point in points):.4f}")
    else:
        message = (f"escalate_below {best.threshold:.4f} reaches {best.accuracy:.4f} with "
                   f"{best.escalation_rate:.1%} of items escalated (the small model answers "
                   f"{1 - best.escalation_rate:.1%})")
    on_traffic = None
    if best is not None and len(traffic) >= suggest.MIN_SCORES_FOR_SHARE:
        share = sum(score < best.threshold for score in traffic) / len(traffic)
        on_traffic = {"items": len(traffic), "escalation_rate": round(share, 6)}
        message += (f"; on the last {len(traffic)} routed items it would have escalated "
                    f"{share:.1%}")
    return {
        "small_version": {"id": small.pk, "name": small.name},
        "large_version": {"id": large.pk, "name": large.name},
        "rows": len(rows), "target_accuracy": round(goal, 6),
        "target_is_large_accuracy": target is None,
        "small_accuracy": round(suggest.accuracy_of(rows, 1), 6),
        "large_accuracy": round(large_accuracy, 6),
        "suggested": best.as_dict() if best else None, "on_traffic": on_traffic,
        "message": message,
        "curve": [point.as_dict() for point in suggest.curve_sample(points, keep=best)],
    }

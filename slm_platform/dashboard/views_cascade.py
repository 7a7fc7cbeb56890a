"""The task page's cascade section: the policy (with the warning when items leave the
premises), the threshold suggester's curve drawn server-side, and the routing statistics."""

from datetime import timedelta

from django.shortcuts import render
from django.utils import timezone

from slm_platform.core.catalog import TaskKind
from slm_platform.core.errors import ApplicationError
from slm_platform.dashboard import charts
from slm_platform.dashboard.access import capability_required
from slm_platform.routing.selectors import cascade_policy_get, policy_payload, routing_stats
from slm_platform.routing.suggestions import cascade_suggestion

STATS_DAYS = 7


def suggestion_chart(suggestion: dict) -> charts.LineChart:
    """Cascade accuracy against the share of items escalated, the suggested point apart."""
    curve = [(point["escalation_rate"], point["accuracy"]) for point in suggestion["curve"]]
    series = {"cascade accuracy": curve}
    if suggestion["suggested"]:
        best = suggestion["suggested"]
        series["suggested threshold"] = [(best["escalation_rate"], best["accuracy"])]
    accuracies = [accuracy for _, accuracy in curve] or [0.0, 1.0]
    low = max(0.0, round(min(accuracies) - 0.05, 2))
    high = min(1.0, round(max(accuracies) + 0.05, 2))
    return charts.line_chart(series, x_label="share escalated", y_label="accuracy",
                             x_range=(0.0, 1.0), y_range=(low, max(high, low + 0.1)))


def _suggestion(request, slug: str, *, compute: bool) -> dict:
    try:
        suggestion = cascade_suggestion(organization=request.organization, task_slug=slug,
                                        compute=compute)
    except ApplicationError as exc:
        return {"suggestion_error": exc.message}
    if suggestion is None:
        return {}
    return {"suggestion": suggestion, "suggestion_chart": suggestion_chart(suggestion)}


def cascade_context(request, spec) -> dict:
    """The section's context for the task page (empty for tasks a cascade cannot route). The
    curve is shown when its rows are already kept; computing them is a button away."""
    if spec.kind != TaskKind.CLASSIFICATION:
        return {}
    policy = cascade_policy_get(organization=request.organization, task_slug=spec.slug)
    until = timezone.now()
    stats = routing_stats(organization=request.organization, task_slug=spec.slug,
                          since=until - timedelta(days=STATS_DAYS), until=until)
    context = {"cascade_shown": True, "policy": policy_payload(policy) if policy else None,
               "stats": stats, "stats_days": STATS_DAYS}
    if policy is not None and policy.large_version_id:
        context |= _suggestion(request, spec.slug, compute=False)
    return {"cascade": context}


@capability_required("models.read")
def cascade_suggest(request, slug: str):
    """The suggester's curve, computed now if need be (htmx fragment)."""
    return render(request, "dashboard/cascade/_suggestion.html",
                  {"cascade": _suggestion(request, slug, compute=True), "slug": slug})

"""Worker side of the cascade: the small model answers a batch, the items it is unsure of go to
the large route in one batch (a local version, loaded and cached like any served version, or
an OpenAI-compatible endpoint, asked after redaction), and items whose final calibrated
confidence is still low are marked for a person. Runs on the realtime and bulk workers.

`plan` is a policy as plain data (routing.selectors.cascade_plan): it crosses the queue."""

import logging
import time
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings

from slm_platform.core.task_selectors import task_resolve
from slm_platform.registry.selectors import active_version
from slm_platform.routing import http_route
from slm_platform.routing.models import LargeKind, Route
from slm_platform.routing.score_window import add_scores
from slm_platform.routing.suggest import share_threshold
from slm_platform.serving.worker import predict_with_version

logger = logging.getLogger(__name__)


def cascade_run(*, plan: dict, inputs: list[str], top_k: int | None = None) -> dict:
    """{"predictions": one per input, each with its `route`, `answered_by` and
    `model_version_id` (None for an endpoint), "timings": small_ms, large_ms, escalated}."""
    small = plan["small"]
    started = time.perf_counter()
    predictions = [_stamped(prediction, Route.SMALL, small["name"], small["id"])
                   for prediction in predict_with_version(version_id=small["id"], inputs=inputs,
                                                          top_k=top_k)]
    small_ms = (time.perf_counter() - started) * 1000
    threshold = escalation_threshold(plan, [prediction["score"] for prediction in predictions
                                            if prediction.get("score") is not None])
    low = [index for index, prediction in enumerate(predictions)
           if prediction.get("score") is not None and prediction["score"] < threshold]
    large_ms = 0.0
    if low and plan.get("large"):
        started = time.perf_counter()
        answers = _large_answers(plan, [inputs[index] for index in low], top_k)
        large_ms = (time.perf_counter() - started) * 1000
        for index, (answer, error) in zip(low, answers, strict=True):
            if answer is None:
                predictions[index]["escalation_error"] = error
            else:
                previous = predictions[index]
                predictions[index] = answer | {"small": {"label": previous["label"],
                                                         "score": previous["score"]}}
    for prediction in predictions:
        if _needs_person(prediction, plan):
            prediction["route"] = Route.HUMAN.value
    return {"predictions": predictions,
            "timings": {"small_ms": round(small_ms, 3), "large_ms": round(large_ms, 3),
                        "escalated": len(low) if plan.get("large") else 0}}


def escalation_threshold(plan: dict, scores: list[float]) -> float:
    """The score under which an item of this batch escalates: `escalate_below`, or, when the
    policy caps the share escalated (`escalate_share`) and it is lower, the score under which
    that share of the task's recent items fell — this batch's scores and the window of scores
    before them (routing.score_window, kept for every policy; without Redis, the batch's
    alone). At most that share of the recent items escalates, fewer where scores tie."""
    threshold, share = plan["escalate_below"], plan.get("escalate_share")
    recent = add_scores(organization_id=plan["organization"], task_slug=plan["task"],
                        version_id=plan["small"]["id"], scores=scores, read=share is not None)
    if share is None:
        return threshold
    cap = share_threshold(scores + recent, share)
    return threshold if cap is None else min(threshold, cap)


def _stamped(prediction: dict, route: str, answered_by: str, version_id: int | None) -> dict:
    return dict(prediction, route=str(route), answered_by=answered_by,
                model_version_id=version_id)


def _needs_person(prediction: dict, plan: dict) -> bool:
    review_below = plan.get("review_below")
    if review_below is None:
        return False
    score = prediction.get("score")
    if score is None:  # an endpoint's answer: no calibrated confidence
        return not plan.get("trust_http_answers", False)
    return score < review_below


def _large_answers(plan: dict, texts: list[str], top_k: int | None
                   ) -> list[tuple[dict | None, str | None]]:
    """(answer, None) or (None, why not) per text. A failing large route never fails the batch:
    its items keep the small model's answer (and may go to a person)."""
    large = plan["large"]
    try:
        if large["kind"] == LargeKind.VERSION:
            if large["id"] == plan["small"]["id"]:
                return [(None, "the large route is the small model itself")] * len(texts)
            answers = predict_with_version(version_id=large["id"], inputs=texts, top_k=top_k)
            return [(_stamped(answer, Route.LARGE, large["name"], large["id"]), None)
                    for answer in answers]
        return _endpoint_answers(plan, texts)
    except Exception as exc:
        logger.warning("the large route of %s failed: %s", plan["task"], exc)
        return [(None, f"the large route failed: {type(exc).__name__}: {exc}"[:300])] \
            * len(texts)


def _endpoint_answers(plan: dict, texts: list[str]) -> list[tuple[dict | None, str | None]]:
    large = plan["large"]
    spec = task_resolve(organization=plan["organization"], slug=plan["task"])
    sent, redacted_with = redaction(plan, texts) if large.get("redact", True) else (texts, None)
    name = http_route.endpoint_name(large["url"], large["model"])

    def one(text: str) -> tuple[dict | None, str | None]:
        messages = http_route.label_messages(title=spec.title, labels=list(spec.labels),
                                             descriptions=spec.label_descriptions, text=text)
        try:
            reply = http_route.ask(url=large["url"], model=large["model"],
                                   api_key_env=large.get("api_key_env", ""), messages=messages)
        except http_route.RouteUnavailable as exc:
            return None, str(exc)[:300]
        label = http_route.label_parse(reply, list(spec.labels))
        if label is None:
            return None, f"the endpoint's answer names no label: {reply[:80]!r}"
        answer = {"label": label, "score": None, "scores": {}}
        if redacted_with:
            answer["redacted_with"] = redacted_with
        return _stamped(answer, Route.LARGE, name, None), None

    with ThreadPoolExecutor(max_workers=max(1, settings.CASCADE_HTTP_CONCURRENCY)) as pool:
        return list(pool.map(one, sent))


def redaction(plan: dict, texts: list[str]) -> tuple[list[str], str]:
    """The texts as the redaction task serves them (`redacted`), and how: its active model
    ("model:<version>", patterns included), else its patterns alone ("patterns:<task>").
    Raises when no redaction is possible: nothing is then sent."""
    slug = plan["large"].get("redaction_task") or settings.CASCADE_REDACTION_TASK
    spec = task_resolve(organization=plan["organization"], slug=slug)
    if spec is None:
        raise http_route.RouteUnavailable(f"the redaction task {slug!r} is not installed")
    version = active_version(organization=plan["organization"], task_slug=slug)
    if version is not None:
        served = predict_with_version(version_id=version.pk, inputs=texts)
        how = f"model:{version.name}"
    else:
        served = [spec.postprocess(text, {"entities": []}) for text in texts]
        how = f"patterns:{slug}"
    if not all(isinstance(item.get("redacted"), str) for item in served):
        raise http_route.RouteUnavailable(f"{slug} gives no redacted text")
    return [item["redacted"] for item in served], how


def cascade_evaluate(*, small_version_id: int, large_version_id: int) -> int:
    """Predict the small version's test rows with both versions and keep, per row, the small
    score and whether each was right (CascadeEvaluation). Returns the number of rows."""
    from slm_platform.registry.evaluation import test_rows
    from slm_platform.registry.models import ModelVersion
    from slm_platform.routing.models import CascadeEvaluation
    from slm_platform.serving.worker import predictor_for

    small = ModelVersion.objects.get(pk=small_version_id)
    texts, labels = test_rows(small)
    # The test rows are already pre-processed: the predictors take them as they are.
    small_answers = predictor_for(small_version_id)[0].serve(texts, top_k=1)
    large_answers = predictor_for(large_version_id)[0].serve(texts, top_k=1)
    rows = [[round(float(mine["score"]), 6), mine["label"] == gold, theirs["label"] == gold]
            for mine, theirs, gold in zip(small_answers, large_answers, labels, strict=True)]
    CascadeEvaluation.objects.update_or_create(
        small_version_id=small_version_id, large_version_id=large_version_id,
        defaults={"organization_id": small.organization_id, "rows": rows})
    return len(rows)

"""Predict: validate, resolve the model version, run it on the realtime queue, audit the call."""

import hashlib
import json
import time
from dataclasses import dataclass

from celery.exceptions import TimeoutError as CeleryTimeout
from django.conf import settings
from kombu.exceptions import OperationalError

from slm_platform.audit.services import Actor, audit_record
from slm_platform.core.catalog import TaskSpec
from slm_platform.core.connections import connection_release_while_waiting
from slm_platform.core.errors import (
    ApplicationError,
    Conflict,
    NotFound,
    ServiceUnavailable,
    ValidationFailed,
    WorkerFailed,
)
from slm_platform.core.models import Organization
from slm_platform.core.task_selectors import task_resolve
from slm_platform.registry.models import ModelVersion, VersionStatus
from slm_platform.registry.selectors import active_version, model_version_get, version_in_training
from slm_platform.serving.heartbeat import workers_alive

REALTIME_QUEUE = "realtime"


@dataclass(frozen=True)
class PredictResult:
    task: str
    model_version: ModelVersion
    predictions: list[dict]


def task_get(*, organization: Organization, slug: str) -> TaskSpec:
    spec = task_resolve(organization=organization, slug=slug)
    if spec is None:
        raise NotFound(f"unknown task {slug!r}", code="task_not_found", details={"task": slug})
    return spec


def inputs_validate(*, spec: TaskSpec, inputs: object) -> list[str]:
    """Inputs must be a list of 1..PREDICT_MAX_INPUTS non-empty strings within the task's limit."""
    limit = settings.PREDICT_MAX_INPUTS
    if not isinstance(inputs, list):
        raise ValidationFailed("inputs must be a list of strings", details={"field": "inputs"})
    if not 1 <= len(inputs) <= limit:
        raise ValidationFailed(f"inputs must hold between 1 and {limit} strings",
                               details={"field": "inputs", "count": len(inputs), "max": limit})
    for index, text in enumerate(inputs):
        field = f"inputs[{index}]"
        if not isinstance(text, str):
            raise ValidationFailed(f"{field} must be a string, not {type(text).__name__}",
                                   details={"field": field})
        if not text.strip():
            raise ValidationFailed(f"{field} is empty", details={"field": field})
        if len(text) > spec.max_input_chars:
            raise ValidationFailed(
                f"{field} is {len(text)} characters; {spec.slug} accepts at most "
                f"{spec.max_input_chars}",
                details={"field": field, "length": len(text), "max": spec.max_input_chars},
            )
    return inputs


def inputs_digest(inputs: list[str]) -> str:
    """SHA-256 of the inputs, so the audit log can match a call without storing its text."""
    return hashlib.sha256(json.dumps(inputs, ensure_ascii=False).encode()).hexdigest()


def version_resolve(*, organization: Organization, spec: TaskSpec,
                     version_id: int | None) -> ModelVersion:
    if version_id is not None:
        version = model_version_get(organization=organization, version_id=version_id)
        if version is None or version.task_slug != spec.slug:
            raise NotFound(f"model version {version_id} not found for {spec.slug}",
                           code="model_version_not_found", details={"model_version": version_id})
        if version.status not in (VersionStatus.READY, VersionStatus.ACTIVE):
            raise Conflict(f"{version.name} is {version.status}", code="version_not_ready")
        return version
    version = active_version(organization=organization, task_slug=spec.slug)
    if version is not None:
        return version
    if version_in_training(organization=organization, task_slug=spec.slug):
        raise ServiceUnavailable(f"the first model of {spec.slug} is still training",
                                 code="model_training", retry_after=30)
    raise Conflict(f"{spec.slug} has no active model version", code="no_active_model",
                   details={"task": spec.slug})


def _run_on_worker(*, version: ModelVersion, inputs: list[str]) -> list[dict]:
    return realtime_call("serving.predict", [version.pk, inputs], what=f"on {version.name}")


def _run_routed(*, organization: Organization, spec: TaskSpec, version: ModelVersion,
                texts: list[str]) -> tuple[list[dict], dict | None]:
    """(predictions, items per route): through the task's cascade policy when one is on
    (routing app), else straight from the version, with routes None."""
    from slm_platform.routing.services import realtime_cascade

    routed = realtime_cascade(organization=organization, spec=spec, version=version, texts=texts)
    if routed is None:
        return _run_on_worker(version=version, inputs=texts), None
    return routed


def realtime_send(task_name: str, args: list, *, expires: float):
    """Queue a Celery task on the realtime queue without waiting: 503 with Retry-After when no
    realtime worker is alive or the broker is down."""
    from slm_platform.celery import app

    retry_after = settings.RETRY_AFTER_SECONDS
    if not workers_alive(queue=REALTIME_QUEUE):
        raise ServiceUnavailable("no realtime worker is running", code="no_worker",
                                 retry_after=retry_after)
    try:
        # expires: a request nobody picked up in time is dropped, not answered to nobody later.
        return app.send_task(task_name, args=args, queue=REALTIME_QUEUE, expires=expires)
    except OperationalError as exc:
        raise ServiceUnavailable("the queue broker is unreachable", code="broker_unavailable",
                                 retry_after=retry_after) from exc


def realtime_call(task_name: str, args: list, *, what: str, timeout: float | None = None):
    """Run a Celery task on the realtime queue and wait for its answer: 503 with Retry-After
    when no realtime worker is alive, the broker is down or no answer comes in time (timeout,
    PREDICT_TIMEOUT_SECONDS by default); 502 when the worker fails (`what` says what it was
    doing)."""
    timeout = timeout or settings.PREDICT_TIMEOUT_SECONDS
    result = realtime_send(task_name, args, expires=timeout)
    connection_release_while_waiting()
    try:
        return result.get(timeout=timeout)
    except CeleryTimeout as exc:
        result.revoke()
        raise ServiceUnavailable(f"no answer within {timeout:g}s", code="timeout",
                                 retry_after=settings.RETRY_AFTER_SECONDS) from exc
    except Exception as exc:
        raise WorkerFailed(f"the worker failed {what}: {type(exc).__name__}") from exc
    finally:
        result.forget()


def predict(
    *, organization: Organization, task_slug: str, inputs: object, actor: Actor,
    model_version_id: int | None = None,
) -> PredictResult:
    """Predict with the task's active version (or a named one). Every call to a known task is
    audited, refused ones included, with a hash of the inputs and never their text."""
    spec = task_get(organization=organization, slug=task_slug)
    started = time.perf_counter()
    texts: list[str] = []
    version: ModelVersion | None = None
    routes: dict | None = None
    outcome = "error"
    try:
        texts = inputs_validate(spec=spec, inputs=inputs)
        version = version_resolve(organization=organization, spec=spec,
                                   version_id=model_version_id)
        predictions, routes = _run_routed(organization=organization, spec=spec,
                                          version=version, texts=texts)
        outcome = "success"
    except ApplicationError as exc:
        outcome = exc.code
        raise
    finally:
        audit_record(
            organization=organization, actor=actor, action="predict",
            object_type="model_version", object_id=version.pk if version else "",
            outcome=outcome, latency_ms=round((time.perf_counter() - started) * 1000, 2),
            data={"task": spec.slug, "model_version": version.version if version else None,
                  "inputs": len(texts) if texts else _count(inputs),
                  "inputs_sha256": inputs_digest(texts) if texts else None}
            | ({"routes": routes} if routes else {}),
        )
    return PredictResult(task=spec.slug, model_version=version, predictions=predictions)


def _count(inputs: object) -> int | None:
    return len(inputs) if isinstance(inputs, list) else None

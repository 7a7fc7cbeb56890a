"""Champion/challenger: two versions on the same test set, per-label deltas, activation gate.

A version's test set is fingerprinted (dataset hash + split seed, or the starter data). When the
other version has no report on that test set yet, a worker evaluates it (bulk queue) and the
report is kept on the version, so a comparison is computed once.
"""

from dataclasses import dataclass

from celery.exceptions import TimeoutError as CeleryTimeout
from django.conf import settings

from slm_platform.core.errors import Conflict, ServiceUnavailable, WorkerFailed
from slm_platform.ml.gate import gate_reasons
from slm_platform.registry.models import ModelVersion

EVALUATE_TIMEOUT_SECONDS = 120


def test_set_key(version: ModelVersion) -> str:
    if version.lineage.get("test_set_key"):
        # A compressed version is tested on its source's test set, whatever made the source.
        return version.lineage["test_set_key"]
    if version.lineage.get("dataset_sha256"):
        seed = version.lineage.get("split", {}).get("seed")
        return f"dataset:{version.lineage['dataset_sha256'][:16]}:seed{seed}"
    return f"starter:{version.task_slug}:{version.artifact_path}"


def test_report(version: ModelVersion, *, on: ModelVersion) -> dict:
    """`version`'s test report on `on`'s test set: stored, or evaluated now by a worker."""
    key = test_set_key(on)
    if test_set_key(version) == key and version.metrics.get("test"):
        return version.metrics["test"]
    if key in version.evaluations:
        return version.evaluations[key]
    from slm_platform.celery import app
    from slm_platform.serving.heartbeat import workers_alive

    if not workers_alive(queue="bulk"):
        # Answer at once rather than wait out the timeout for a worker that is not there.
        raise ServiceUnavailable(f"no bulk worker is running to evaluate {version.name}",
                                 code="no_worker", retry_after=settings.RETRY_AFTER_SECONDS)
    result = app.send_task("bulk.evaluate_version", args=[version.pk, on.pk], queue="bulk")
    try:
        report = result.get(timeout=EVALUATE_TIMEOUT_SECONDS)
    except CeleryTimeout as exc:
        raise ServiceUnavailable("the evaluation is still running; ask again shortly",
                                 code="evaluation_pending",
                                 retry_after=settings.RETRY_AFTER_SECONDS) from exc
    except Exception as exc:
        # The worker's exception comes back through the result: a 502 naming the step, not a
        # 500 from deep in the view.
        raise WorkerFailed(f"the worker failed evaluating {version.name}: "
                           f"{type(exc).__name__}") from exc
    return report


@dataclass(frozen=True)
class Comparison:
    candidate: ModelVersion
    baseline: ModelVersion
    candidate_report: dict
    baseline_report: dict

    def as_dict(self) -> dict:
        labels = sorted(set(self.candidate_report["per_label"])
                        | set(self.baseline_report["per_label"]))
        per_label = {}
        for label in labels:
            new = self.candidate_report["per_label"].get(label, {}).get("f1", 0.0)
            old = self.baseline_report["per_label"].get(label, {}).get("f1", 0.0)
            per_label[label] = {"candidate_f1": new, "baseline_f1": old,
                                "delta": round(new - old, 4)}
        return {
            "test_set": test_set_key(self.candidate),
            "candidate": {"id": self.candidate.pk, "name": self.candidate.name},
            "baseline": {"id": self.baseline.pk, "name": self.baseline.name},
            "metrics": {metric: {"candidate": self.candidate_report[metric],
                                 "baseline": self.baseline_report[metric],
                                 "delta": round(self.candidate_report[metric]
                                                - self.baseline_report[metric], 4)}
                        for metric in ("accuracy", "macro_f1", "micro_f1")
                        if metric in self.candidate_report and metric in self.baseline_report},
            "per_label": per_label,
        }


def compare(*, candidate: ModelVersion, baseline: ModelVersion) -> Comparison:
    if not candidate.artifact_path or not baseline.artifact_path:
        raise Conflict("both versions must be trained to be compared", code="version_not_ready")
    return Comparison(candidate=candidate, baseline=baseline,
                      candidate_report=test_report(candidate, on=candidate),
                      baseline_report=test_report(baseline, on=candidate))


def gate_check(comparison: Comparison, *, max_label_f1_drop: float) -> list[str]:
    """Reasons to refuse activation: a lower macro-F1, or a label's F1 down by more than the
    margin. Empty when the candidate passes."""
    return gate_reasons(comparison.candidate_report, comparison.baseline_report,
                        max_label_f1_drop=max_label_f1_drop)

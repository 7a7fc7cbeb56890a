"""The activation gate's rule over two classification reports (`scheme.report` output: macro_f1
and per_label F1). The registry applies it on the test set when a version is activated
(registry/comparison.py); int8 compression applies it on validation rows to decide whether
quantization-aware fine-tuning is needed (compression/qat.py). Pure Python: the web process
imports it."""

# The margin the API and the dashboard offer when a gate is asked for without one.
DEFAULT_MAX_LABEL_F1_DROP = 0.02


def gate_reasons(candidate: dict, baseline: dict, *, max_label_f1_drop: float) -> list[str]:
    """Reasons to refuse the candidate: a lower macro-F1, or a label's F1 down by more than
    the margin (a label one report lacks counts as F1 0 there). Empty when it passes."""
    reasons = []
    both = "macro_f1" in candidate and "macro_f1" in baseline
    if both and round(candidate["macro_f1"] - baseline["macro_f1"], 4) < 0:
        reasons.append(
            f"macro-F1 drops from {baseline['macro_f1']:.4f} to {candidate['macro_f1']:.4f}"
        )
    new_scores, old_scores = candidate.get("per_label", {}), baseline.get("per_label", {})
    for label in sorted(set(new_scores) | set(old_scores)):
        new = new_scores.get(label, {}).get("f1", 0.0)
        old = old_scores.get(label, {}).get("f1", 0.0)
        drop = -round(new - old, 4)
        if drop > max_label_f1_drop:
            reasons.append(f"F1 of {label!r} drops by {drop:.4f} (more than {max_label_f1_drop:g})")
    return reasons

"""Confidence calibration: temperature scaling and expected calibration error (ECE).

A temperature T divides the logits before the softmax; fitted on validation data it makes a
score of 0.8 mean "right about 80% of the time", so confidence thresholds downstream (review
queues, routing) mean something.
"""

import math

import numpy as np

ECE_BINS = 15


def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    scaled = logits / temperature
    scaled = scaled - scaled.max(axis=1, keepdims=True)
    exp = np.exp(scaled)
    return exp / exp.sum(axis=1, keepdims=True)


def sigmoid(logits: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(logits, -60, 60)))


def binary_negative_log_likelihood(logits: np.ndarray, targets: np.ndarray,
                                   temperature: float) -> float:
    # In float64: clipped in float32, 1 - 1e-12 rounds to 1 and log(1 - p) is -inf.
    p = np.clip(sigmoid(np.asarray(logits, dtype=np.float64) / temperature), 1e-12, 1 - 1e-12)
    return float(-(targets * np.log(p) + (1 - targets) * np.log(1 - p)).mean())


def negative_log_likelihood(logits: np.ndarray, targets: np.ndarray, temperature: float) -> float:
    probabilities = softmax(logits, temperature)[np.arange(len(targets)), targets]
    return float(-np.log(np.clip(probabilities, 1e-12, None)).mean())


def _minimise_temperature(loss) -> float:
    """The T in [0.05, 20] minimising loss(T) (golden-section search on log T: the NLL is
    smooth and unimodal in T, so a 1-D search is exact enough and needs no autograd)."""
    low, high = math.log(0.05), math.log(20.0)
    ratio = (math.sqrt(5) - 1) / 2
    for _ in range(60):
        a, b = high - ratio * (high - low), low + ratio * (high - low)
        if loss(math.exp(a)) < loss(math.exp(b)):
            high = b
        else:
            low = a
    return round(math.exp((low + high) / 2), 4)


def fit_temperature(logits: np.ndarray, targets: np.ndarray) -> float:
    """Temperature for a softmax over mutually exclusive labels (targets: class indices)."""
    if len(targets) == 0:
        return 1.0
    return _minimise_temperature(lambda t: negative_log_likelihood(logits, targets, t))


def fit_temperature_binary(logits: np.ndarray, targets: np.ndarray) -> float:
    """Temperature for independent sigmoids (targets: a 0/1 matrix like the logits)."""
    if targets.size == 0:
        return 1.0
    return _minimise_temperature(lambda t: binary_negative_log_likelihood(logits, targets, t))


def expected_calibration_error(confidences: np.ndarray, correct: np.ndarray,
                               bins: int = ECE_BINS) -> dict:
    """ECE over equal-width confidence bins, with the bins themselves for a reliability plot."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    table, total, ece = [], len(confidences), 0.0
    for low, high in zip(edges[:-1], edges[1:], strict=True):
        inside = (confidences > low) & (confidences <= high)
        count = int(inside.sum())
        if count == 0:
            continue
        accuracy, confidence = float(correct[inside].mean()), float(confidences[inside].mean())
        ece += count / max(1, total) * abs(accuracy - confidence)
        table.append({"low": round(float(low), 4), "high": round(float(high), 4), "count": count,
                      "accuracy": round(accuracy, 4), "confidence": round(confidence, 4)})
    return {"ece": round(ece, 4), "bins": table}


def calibration_report(logits: np.ndarray, targets: np.ndarray, temperature: float) -> dict:
    """ECE of the raw softmax and of the temperature-scaled one, on the same examples."""
    report = {"temperature": temperature}
    for name, t in (("uncalibrated", 1.0), ("calibrated", temperature)):
        probabilities = softmax(logits, t)
        predicted = probabilities.argmax(axis=1)
        report[name] = expected_calibration_error(probabilities.max(axis=1), predicted == targets)
        report[name]["nll"] = round(negative_log_likelihood(logits, targets, t), 4)
    return report


def binary_calibration_report(logits: np.ndarray, targets: np.ndarray, temperature: float) -> dict:
    """ECE over every (example, label) yes/no decision of a multi-label model."""
    report = {"temperature": temperature}
    for name, t in (("uncalibrated", 1.0), ("calibrated", temperature)):
        p = sigmoid(logits / t).ravel()
        decided = p >= 0.5
        confidence = np.where(decided, p, 1 - p)
        report[name] = expected_calibration_error(confidence, decided == (targets.ravel() > 0.5))
        report[name]["nll"] = round(binary_negative_log_likelihood(logits, targets, t), 4)
    return report

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


def negative_log_likelihood(logits: np.ndarray, targets: np.ndarray, temperature: float) -> float:
    probabilities = softmax(logits, temperature)[np.arange(len(targets)), targets]
    return float(-np.log(np.clip(probabilities, 1e-12, None)).mean())


def fit_temperature(logits: np.ndarray, targets: np.ndarray) -> float:
    """The T in [0.05, 20] minimising validation NLL (golden-section search on log T: the NLL
    is smooth and unimodal in T, so a 1-D search is exact enough and needs no autograd)."""
    if len(targets) == 0:
        return 1.0
    low, high = math.log(0.05), math.log(20.0)
    ratio = (math.sqrt(5) - 1) / 2
    for _ in range(60):
        a, b = high - ratio * (high - low), low + ratio * (high - low)
        if negative_log_likelihood(logits, targets, math.exp(a)) < negative_log_likelihood(
            logits, targets, math.exp(b)
        ):
            high = b
        else:
            low = a
    return round(math.exp((low + high) / 2), 4)


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

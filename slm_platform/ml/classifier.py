"""Serve classifier artifacts: batched prediction, evaluation and calibrated scores."""

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch

from slm_platform.ml.calibration import calibration_report, fit_temperature, softmax
from slm_platform.ml.metrics import classification_report
from slm_platform.ml.runtime import best_device
from slm_platform.ml.types import Prediction

LABELS_FILE = "labels.json"
CONFIG_FILE = "training_config.json"
METRICS_FILE = "metrics.json"
CALIBRATION_FILE = "calibration.json"


class ClassifierBase:
    """Batched prediction and evaluation over any model that gives logits for texts.

    Scores are softmax(logits / temperature); the temperature comes from calibration.json when
    the artifact has one (fitted on validation data at training time).
    """

    labels: list[str]
    temperature: float = 1.0

    def logits(self, texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
        """Logits in input order; inputs are length-sorted so each batch pads little."""
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        result = np.zeros((len(texts), len(self.labels)), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            chosen = order[start : start + batch_size]
            result[chosen] = self._batch_logits([texts[i] for i in chosen])
        return result

    def predict(self, texts: Sequence[str], *, batch_size: int = 64) -> list[Prediction]:
        if not texts:
            return []
        probabilities = softmax(self.logits(texts, batch_size=batch_size), self.temperature)
        return [self._prediction(row) for row in probabilities.tolist()]

    def evaluate(self, texts: Sequence[str], labels: Sequence[str]) -> dict:
        """Classification metrics plus calibration (ECE before/after temperature scaling)."""
        logits = self.logits(texts)
        predicted = [self.labels[i] for i in logits.argmax(axis=1)]
        report = classification_report(list(labels), predicted, self.labels)
        index = {label: i for i, label in enumerate(self.labels)}
        known = [i for i, label in enumerate(labels) if label in index]
        targets = np.array([index[labels[i]] for i in known], dtype=np.int64)
        report["calibration"] = calibration_report(logits[known], targets, self.temperature)
        return report

    def _batch_logits(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def _prediction(self, probabilities: list[float]) -> Prediction:
        best = max(range(len(probabilities)), key=probabilities.__getitem__)
        scores = {label: round(p, 6) for label, p in zip(self.labels, probabilities, strict=True)}
        return Prediction(label=self.labels[best], score=round(probabilities[best], 6),
                          scores=scores)


def read_temperature(artifact_dir: Path) -> float:
    path = Path(artifact_dir) / CALIBRATION_FILE
    return json.loads(path.read_text())["temperature"] if path.exists() else 1.0


def write_calibration(output_dir: Path, logits: np.ndarray, targets: np.ndarray) -> float:
    temperature = fit_temperature(logits, targets)
    report = calibration_report(logits, targets, temperature)
    (Path(output_dir) / CALIBRATION_FILE).write_text(json.dumps(report, indent=2))
    return temperature


class TextClassifier(ClassifierBase):
    """A fine-tuned sequence classifier artifact, ready for batched prediction."""

    def __init__(self, model, tokenizer, labels: list[str], *, max_length: int, device: str,
                 temperature: float = 1.0):
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.labels = labels
        self.max_length = max_length
        self.device = device
        self.temperature = temperature

    @classmethod
    def load(cls, artifact_dir: Path, *, device: str | None = None) -> "TextClassifier":
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        artifact_dir = Path(artifact_dir)
        device = device or best_device()
        labels = json.loads((artifact_dir / LABELS_FILE).read_text())
        config = json.loads((artifact_dir / CONFIG_FILE).read_text())["config"]
        tokenizer = AutoTokenizer.from_pretrained(str(artifact_dir), local_files_only=True)
        model = AutoModelForSequenceClassification.from_pretrained(
            str(artifact_dir), local_files_only=True
        ).to(device)
        return cls(model, tokenizer, labels, max_length=config["max_length"], device=device,
                   temperature=read_temperature(artifact_dir))

    def _batch_logits(self, texts: list[str]) -> np.ndarray:
        encoded = self.tokenizer(
            texts, padding=True, truncation=True, max_length=self.max_length, return_tensors="pt"
        ).to(self.device)
        with torch.inference_mode():
            return self.model(**encoded).logits.float().cpu().numpy()

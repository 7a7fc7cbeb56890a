"""Serve classifier artifacts: batched prediction, evaluation and calibrated scores."""

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch

from slm_platform.ml.runtime import best_device
from slm_platform.ml.schemes import SingleLabel, scheme_for
from slm_platform.ml.types import Prediction

LABELS_FILE = "labels.json"
CONFIG_FILE = "training_config.json"
METRICS_FILE = "metrics.json"
CALIBRATION_FILE = "calibration.json"


class ClassifierBase:
    """Batched prediction and evaluation over any model that gives logits for texts.

    Scores are softmax (or, multi-label, sigmoid) of logits / temperature; the temperature
    comes from calibration.json when the artifact has one (fitted on validation data).
    """

    scheme: SingleLabel
    temperature: float = 1.0

    @property
    def labels(self) -> list[str]:
        return self.scheme.labels

    def logits(self, texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
        """Logits in input order; inputs are length-sorted so each batch pads little."""
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        result = np.zeros((len(texts), len(self.labels)), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            chosen = order[start : start + batch_size]
            result[chosen] = self._batch_logits([texts[i] for i in chosen])
        return result

    def predict(self, texts: Sequence[str], *, batch_size: int = 64,
                top_k: int | None = None) -> list[Prediction]:
        """Predictions in input order; `top_k` keeps only that many best label scores."""
        if not texts:
            return []
        logits = self.logits(texts, batch_size=batch_size)
        return self.scheme.predictions(self.scheme.probabilities(logits, self.temperature), top_k)

    def serve(self, texts: Sequence[str], *, top_k: int | None = None) -> list[dict]:
        return [prediction.as_dict() for prediction in self.predict(texts, top_k=top_k)]

    def evaluate(self, texts: Sequence[str], targets: Sequence) -> dict:
        """Metrics plus calibration (ECE before/after temperature scaling)."""
        return self.scheme.report(self.logits(texts), targets, self.temperature)

    def _batch_logits(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError


def read_temperature(artifact_dir: Path) -> float:
    path = Path(artifact_dir) / CALIBRATION_FILE
    return json.loads(path.read_text())["temperature"] if path.exists() else 1.0


def write_calibration(output_dir: Path, classifier: ClassifierBase, texts: Sequence[str],
                      targets: Sequence) -> float:
    """Fit the temperature on (validation) data and store it with its calibration report."""
    logits = classifier.logits(texts)
    temperature = classifier.scheme.fit_temperature(logits, targets)
    report = classifier.scheme.report(logits, targets, temperature)["calibration"]
    (Path(output_dir) / CALIBRATION_FILE).write_text(json.dumps(report, indent=2))
    classifier.temperature = temperature
    return temperature


class TextClassifier(ClassifierBase):
    """A fine-tuned sequence classifier artifact, ready for batched prediction."""

    def __init__(self, model, tokenizer, scheme: SingleLabel, *, max_length: int, device: str,
                 temperature: float = 1.0):
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.scheme = scheme
        self.max_length = max_length
        self.device = device
        self.temperature = temperature

    @classmethod
    def load(cls, artifact_dir: Path, *, device: str | None = None) -> "TextClassifier":
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        from slm_platform.ml.compression.low_rank import load_pretrained

        artifact_dir = Path(artifact_dir)
        device = device or best_device()
        labels = json.loads((artifact_dir / LABELS_FILE).read_text())
        config = json.loads((artifact_dir / CONFIG_FILE).read_text())["config"]
        tokenizer = AutoTokenizer.from_pretrained(str(artifact_dir), local_files_only=True)
        if config.get("pooling") == "mean":
            from slm_platform.ml.pooling import MeanPooledClassifier as model_class
        else:
            model_class = AutoModelForSequenceClassification
        model = load_pretrained(model_class, artifact_dir).to(device)
        scheme = scheme_for(labels, multi_label=config.get("multi_label", False),
                            threshold=config.get("threshold", 0.5))
        return cls(model, tokenizer, scheme, max_length=config["max_length"], device=device,
                   temperature=read_temperature(artifact_dir))

    def _batch_logits(self, texts: list[str]) -> np.ndarray:
        encoded = self.tokenizer(
            texts, padding=True, truncation=True, max_length=self.max_length, return_tensors="pt"
        ).to(self.device)
        with torch.inference_mode():
            return self.model(**encoded).logits.float().cpu().numpy()

"""The `fast` recipe: frozen encoder sentence embeddings + a logistic-regression head.

Seconds to train and a strong baseline on small data. The artifact holds only the head
(head.safetensors) and names its base encoder, which is loaded from the installed package.
"""

import json
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from safetensors.numpy import load_file, save_file

from slm_platform.ml import encoders
from slm_platform.ml.classifier import (
    CONFIG_FILE,
    LABELS_FILE,
    ClassifierBase,
    read_temperature,
    write_calibration,
)
from slm_platform.ml.runtime import best_device
from slm_platform.ml.schemes import SingleLabel
from slm_platform.ml.types import ARTIFACT_FILE, TrainConfig, TrainResult

HEAD_FILE = "head.safetensors"
FROZEN_TYPE = "frozen-encoder-linear"
# Inverse regularisation strengths tried; the one with the best validation accuracy is kept.
C_GRID = (1.0, 10.0, 100.0)


class SentenceEncoder:
    """Mean-pooled, L2-normalised sentence embeddings (how all-MiniLM-L6-v2 was trained)."""

    def __init__(self, base_model: str, *, max_length: int, device: str | None = None):
        from transformers import AutoModel

        self.device = device or best_device()
        self.tokenizer = encoders.load_tokenizer(base_model)
        self.model = AutoModel.from_pretrained(str(encoders.minilm_path()),
                                               local_files_only=True).to(self.device).eval()
        self.max_length = max_length

    def encode(self, texts: Sequence[str], *, batch_size: int = 128) -> np.ndarray:
        chunks = [self._encode_batch(list(texts[i : i + batch_size]))
                  for i in range(0, len(texts), batch_size)]
        return np.concatenate(chunks) if chunks else np.zeros((0, 384), dtype=np.float32)

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        from slm_platform.ml.pooling import mean_pool

        encoded = self.tokenizer(texts, padding=True, truncation=True,
                                 max_length=self.max_length, return_tensors="pt").to(self.device)
        with torch.inference_mode():
            hidden = self.model(**encoded).last_hidden_state
            pooled = mean_pool(hidden, encoded["attention_mask"])
            return torch.nn.functional.normalize(pooled, dim=-1).float().cpu().numpy()


def train_frozen_encoder(
    texts: Sequence[str], labels: Sequence[str], *, label_set: Sequence[str],
    config: TrainConfig, output_dir: Path, validation: tuple[Sequence[str], Sequence[str]],
) -> TrainResult:
    from sklearn.linear_model import LogisticRegression

    started = time.monotonic()
    label_list = list(label_set)
    index = {label: i for i, label in enumerate(label_list)}
    encoder = SentenceEncoder(config.base_model, max_length=config.max_length)
    train_x, val_x = encoder.encode(texts), encoder.encode(validation[0])
    train_y = np.array([index[x] for x in labels])
    val_y = np.array([index[x] for x in validation[1]])
    best = None
    for c in C_GRID:
        head = LogisticRegression(C=c, max_iter=2000).fit(train_x, train_y)
        score = head.score(val_x, val_y) if len(val_y) else 0.0
        if best is None or score > best[0]:
            best = (score, c, head)
    weight, bias = _full_head(best[2], len(label_list), train_x.shape[1])
    _save(output_dir, weight, bias, label_list, config, best[1])
    classifier = FrozenEncoderClassifier(encoder, weight, bias, label_list)
    write_calibration(output_dir, classifier, validation[0], validation[1])
    return TrainResult(labels=label_list, best_epoch=1, train_examples=len(texts),
                       validation_examples=len(val_y), seconds=time.monotonic() - started)


def _full_head(head, n_labels: int, dim: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows for every label; a label absent from training gets a logit it can never win."""
    weight = np.zeros((n_labels, dim), dtype=np.float32)
    bias = np.full(n_labels, -1e4, dtype=np.float32)
    coef, intercept = head.coef_, head.intercept_
    if len(head.classes_) == 2 and coef.shape[0] == 1:  # sklearn's binary case: one row
        coef, intercept = np.vstack([-coef[0], coef[0]]) / 2, np.array([-1, 1]) * intercept[0] / 2
    weight[head.classes_] = coef
    bias[head.classes_] = intercept
    return weight, bias


def _save(output_dir: Path, weight, bias, labels, config: TrainConfig, c: float) -> None:
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    save_file({"weight": weight, "bias": bias}, str(output_dir / HEAD_FILE))
    (output_dir / LABELS_FILE).write_text(json.dumps(labels, indent=2))
    (output_dir / ARTIFACT_FILE).write_text(json.dumps(
        {"type": FROZEN_TYPE, "base_model": config.base_model, "max_length": config.max_length}
    ))
    (output_dir / CONFIG_FILE).write_text(
        json.dumps({"config": config.as_dict(), "head": {"C": c}}, indent=2)
    )


class FrozenEncoderClassifier(ClassifierBase):
    def __init__(self, encoder: SentenceEncoder, weight, bias, labels: list[str],
                 temperature: float = 1.0):
        self.encoder = encoder
        self.weight, self.bias = weight, bias
        self.scheme = SingleLabel(labels)
        self.temperature = temperature

    @classmethod
    def load(cls, artifact_dir: Path, *, device: str | None = None):
        artifact_dir = Path(artifact_dir)
        meta = json.loads((artifact_dir / ARTIFACT_FILE).read_text())
        head = load_file(str(artifact_dir / HEAD_FILE))
        encoder = SentenceEncoder(meta["base_model"], max_length=meta["max_length"],
                                  device=device)
        labels = json.loads((artifact_dir / LABELS_FILE).read_text())
        return cls(encoder, head["weight"], head["bias"], labels,
                   temperature=read_temperature(artifact_dir))

    def _batch_logits(self, texts: list[str]) -> np.ndarray:
        return self.encoder.encode(texts) @ self.weight.T + self.bias

"""Load any model artifact directory, whatever recipe made it, as a predictor with
`serve(texts) -> list[dict]` (the API's per-input shape) and `evaluate(texts, targets)`."""

import json
import logging
from pathlib import Path

from slm_platform.ml.classifier import TextClassifier
from slm_platform.ml.types import ARTIFACT_FILE

logger = logging.getLogger(__name__)


def load_predictor(artifact_dir: Path, *, device: str | None = None):
    from slm_platform.ml.entities import TOKEN_TYPE, EntityExtractor
    from slm_platform.ml.frozen import FROZEN_TYPE, FrozenEncoderClassifier
    from slm_platform.ml.spacy_ner import SPACY_TYPE, SpacyExtractor

    meta_path = Path(artifact_dir) / ARTIFACT_FILE
    kind = json.loads(meta_path.read_text())["type"] if meta_path.exists() else None
    loader = {FROZEN_TYPE: FrozenEncoderClassifier, TOKEN_TYPE: EntityExtractor,
              SPACY_TYPE: SpacyExtractor}.get(kind, TextClassifier)
    return loader.load(artifact_dir, device=device)


def is_sequence_classifier(artifact_dir: Path) -> bool:
    """A fine-tuned sequence classifier: the only artifact type with no ARTIFACT_FILE, and the
    one ONNX Runtime serves."""
    return not (Path(artifact_dir) / ARTIFACT_FILE).exists()


def load_fast_predictor(artifact_dir: Path, *, threads: int = 1, precision: str | None = None):
    """The fastest CPU predictor for the artifact. A fine-tuned sequence classifier (no
    artifact.json) runs on ONNX Runtime, exported and cached in the artifact on first use, in
    the precision onnx_engine.select_precision recorded for it (fp32 when none was), or that
    compression pinned (int8-static; bf16, which torch serves); any other artifact type
    (frozen-encoder, entities, spaCy), or a classifier that cannot be exported, loads through
    `load_predictor` on torch, whose threads the caller pins (runtime.configure_threads)."""
    from slm_platform.ml.onnx_engine import (
        TORCH_PRECISIONS,
        OnnxClassifier,
        OnnxExportError,
        selected_precision,
    )

    if is_sequence_classifier(artifact_dir):
        precision = precision or selected_precision(artifact_dir)
        if precision in TORCH_PRECISIONS:
            return load_bf16_predictor(artifact_dir)
        try:
            return OnnxClassifier.load(artifact_dir, precision=precision, threads=threads)
        except (OnnxExportError, ImportError, OSError) as exc:
            logger.warning("ONNX engine unavailable for %s, serving with torch: %s",
                           artifact_dir, exc)
    return load_predictor(artifact_dir, device="cpu")


def load_bf16_predictor(artifact_dir: Path) -> TextClassifier:
    """The classifier on CPU with bfloat16 weights and activations (logits returned in fp32).
    Fast only where the CPU multiplies bf16 natively (runtime.cpu_fast_bf16)."""
    import torch

    classifier = TextClassifier.load(artifact_dir, device="cpu")
    classifier.model.to(torch.bfloat16)
    return classifier

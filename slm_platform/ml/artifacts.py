"""Load any classifier artifact directory, whatever recipe made it."""

import json
from pathlib import Path

from slm_platform.ml.classifier import ClassifierBase, TextClassifier


def load_classifier(artifact_dir: Path, *, device: str | None = None) -> ClassifierBase:
    from slm_platform.ml.frozen import ARTIFACT_FILE, FROZEN_TYPE, FrozenEncoderClassifier

    meta_path = Path(artifact_dir) / ARTIFACT_FILE
    kind = json.loads(meta_path.read_text())["type"] if meta_path.exists() else None
    if kind == FROZEN_TYPE:
        return FrozenEncoderClassifier.load(artifact_dir, device=device)
    return TextClassifier.load(artifact_dir, device=device)

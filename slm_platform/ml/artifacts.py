"""Load any model artifact directory, whatever recipe made it, as a predictor with
`serve(texts) -> list[dict]` (the API's per-input shape) and `evaluate(texts, targets)`."""

import json
from pathlib import Path

from slm_platform.ml.classifier import TextClassifier


def load_predictor(artifact_dir: Path, *, device: str | None = None):
    from slm_platform.ml.entities import ARTIFACT_FILE, TOKEN_TYPE, EntityExtractor
    from slm_platform.ml.frozen import FROZEN_TYPE, FrozenEncoderClassifier
    from slm_platform.ml.spacy_ner import SPACY_TYPE, SpacyExtractor

    meta_path = Path(artifact_dir) / ARTIFACT_FILE
    kind = json.loads(meta_path.read_text())["type"] if meta_path.exists() else None
    loader = {FROZEN_TYPE: FrozenEncoderClassifier, TOKEN_TYPE: EntityExtractor,
              SPACY_TYPE: SpacyExtractor}.get(kind, TextClassifier)
    return loader.load(artifact_dir, device=device)

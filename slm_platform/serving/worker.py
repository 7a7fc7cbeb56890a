"""Worker-side prediction: load a model version once per process (bounded LRU), then predict."""

from django.conf import settings

from slm_platform.core.task_selectors import task_resolve
from slm_platform.ml.cache import LRUCache
from slm_platform.registry.models import ModelVersion
from slm_platform.registry.storage import artifact_local_dir

_models: LRUCache | None = None


def model_cache() -> LRUCache:
    global _models
    if _models is None:
        _models = LRUCache(settings.MODEL_CACHE_SIZE)
    return _models


def _load(version_id: int):
    version = ModelVersion.objects.get(pk=version_id)
    spec = task_resolve(organization=version.organization_id, slug=version.task_slug)
    return _predictor(artifact_local_dir(name=version.artifact_path)), spec


def serving_imports() -> None:
    """Import what loading a model needs (torch, transformers' tokenizers, ONNX Runtime) now,
    when a pool process starts, rather than in its first task: 2-3 s that a first request or
    a job's first chunks in each process would otherwise wait."""
    import onnxruntime  # noqa: F401
    from transformers import AutoTokenizer, BertTokenizer  # noqa: F401

    from slm_platform.ml import artifacts, onnx_engine  # noqa: F401


def _predictor(directory):
    """ONNX Runtime on CPU for classifiers (the same answers as torch, faster; exported into
    the artifact on first load), torch for the other artifact types and on a GPU."""
    import torch

    from slm_platform.ml.artifacts import load_fast_predictor, load_predictor

    if settings.INFERENCE_ENGINE == "onnx" and not torch.cuda.is_available():
        return load_fast_predictor(directory, threads=torch.get_num_threads())
    return load_predictor(directory)


def predictor_for(version_id: int):
    """(predictor, task spec) of a version, loaded once per process."""
    # Artifacts are immutable, so a version id is a safe cache key for the process's lifetime.
    return model_cache().get_or_load(version_id, lambda: _load(version_id))


def predict_with_version(*, version_id: int, inputs: list[str],
                         top_k: int | None = None) -> list[dict]:
    """Predictions for `inputs`; for classifiers, `top_k` keeps only that many best label
    scores (entity extractors have none)."""
    predictor, spec = predictor_for(version_id)
    texts = [spec.preprocess(text) for text in inputs]
    predictions = predictor.serve(texts, top_k=top_k)
    return [spec.postprocess(text, prediction)
            for text, prediction in zip(inputs, predictions, strict=True)]

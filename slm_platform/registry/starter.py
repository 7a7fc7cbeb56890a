"""Starter models: recipes per preset, and a fingerprint so one trained artifact serves every
organization that starts from the same data and recipe."""

import hashlib
import json

from slm_platform.core.catalog import TaskKind, TaskSpec

# "full" is the product's recipe; "tiny" trains a small random encoder in seconds so the test
# suite exercises the real training and serving path quickly. Its figures are never published.
PRESETS = {
    "full": {"base_model": "all-MiniLM-L6-v2", "epochs": 6, "learning_rate": 1e-4,
             "batch_size": 32, "patience": 2, "freeze_word_embeddings": True},
    # A random encoder has nothing in its embeddings worth keeping frozen.
    "tiny": {"base_model": "tiny-random-bert", "epochs": 6, "learning_rate": 3e-3,
             "batch_size": 32, "patience": 2, "train_limit": 1500,
             "freeze_word_embeddings": False},
}


def starter_train_config(*, spec: TaskSpec, preset: str) -> dict:
    if preset not in PRESETS:
        raise ValueError(f"unknown starter preset {preset!r}; known: {', '.join(PRESETS)}")
    config = dict(PRESETS[preset])
    config.setdefault("max_length", spec.max_length_tokens)
    if spec.base_model != config["base_model"] and preset == "full":
        config["base_model"] = spec.base_model
    if spec.kind == TaskKind.MULTI_LABEL:
        config["multi_label"] = True
        if preset == "full":
            # Each label is rare (a sigmoid learns from ~1 row in 8): six epochs of the plain
            # preset left aspect recall near 0 (bench/starter_models.py, review sentiment).
            # The full recipe's fresh-head rate, mean pooling, weight average and more epochs.
            config |= {"pooling": "mean", "head_lr_multiplier": 10.0, "learning_rate": 1.5e-4,
                       "epochs": 15, "patience": 3, "average_horizon": 0.7,
                       "layer_lr_decay": 0.9}
    if spec.kind == TaskKind.ENTITIES:
        # The entity recipe's own choices (word shapes, weight average, more epochs of smaller
        # batches); the tiny preset keeps its short schedule.
        from slm_platform.training.recipes import ENTITY_FULL_DEFAULTS

        entity = {key: value for key, value in ENTITY_FULL_DEFAULTS.items()
                  if key not in ("target_steps", "bf16")}
        if preset == "tiny":
            entity = {key: entity[key] for key in ("shape_features", "batch_size")}
        config |= entity
        if spec.entity_backend == "spacy" and preset == "full":
            # The task's backend by measured F1 (TaskSpec.entity_backend): spaCy's NER with
            # the spacy recipe's schedule; the tiny preset stays a tiny token classifier.
            from slm_platform.ml.spacy_ner import BASE_PIPELINE
            from slm_platform.training.recipes import RECIPE_DEFAULTS

            config = {"base_model": BASE_PIPELINE, "backend": "spacy",
                      **RECIPE_DEFAULTS["spacy"]}
    return config


def starter_classifier_split(*, spec: TaskSpec, train: list, validation: list | None,
                             fraction: float, seed: int, multi_label: bool = False
                             ) -> tuple[tuple[list, list], tuple[list, list]]:
    """((texts, targets) to fit on, (texts, targets) to validate on), texts preprocessed, as
    the starter recipe cuts a classifier's rows: the starter data's own validation rows when it
    has them (StarterData.validation), else a seeded stratified `fraction` of `train`, as the
    fine-tune would carve it. The training worker, compression of a starter version and the
    benchmarks all cut it here, so each sees the same rows."""
    from slm_platform.ml.schemes import scheme_for
    from slm_platform.ml.splitting import stratified_rows_split

    texts = [spec.preprocess(text) for text, _ in train]
    targets = [target for _, target in train]
    if validation is not None:
        return (texts, targets), ([spec.preprocess(text) for text, _ in validation],
                                  [target for _, target in validation])
    scheme = scheme_for(list(spec.labels), multi_label=multi_label)
    return stratified_rows_split(texts, targets, stratum=scheme.stratum, fraction=fraction,
                                 seed=seed)


def starter_fingerprint(*, spec: TaskSpec, config: dict, train: list, test: list,
                        validation: list | None = None) -> str:
    digest = hashlib.sha256()
    digest.update(json.dumps({"task": spec.slug, "labels": spec.labels, "config": config},
                             sort_keys=True).encode())
    # Validation rows of their own join the digest only where a task has them, so the
    # fingerprints (and stored artifacts) of the tasks without them stay what they were.
    digest.update(json.dumps([train, test] if validation is None
                             else [train, test, validation]).encode())
    return digest.hexdigest()[:16]

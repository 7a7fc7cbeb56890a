"""What the methods that change the network (distill, prune, low-rank) share: loading the
source artifact, training against the source's soft targets with the fine-tune loop
(`finetune.fit`), and saving a servable artifact with a temperature refitted on validation data
(their option checks are in options.py).

The training signal is the knowledge-distillation mix: on rows with a label, `alpha` times the
cross-entropy against it; on every row (labelled training rows and unlabelled in-domain texts),
`1 - alpha` times the divergence from the source's temperature-scaled answers, scaled by T^2 so
its gradients keep their size whatever the temperature (Hinton et al. 2015). A pruned or
factorized model recovers with the same loss, the unchanged source as its teacher.

Torch is imported inside the functions: the web process imports this package to check a
request's options, and never imports torch.
"""

import copy
import dataclasses
import json
import math
import time
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from slm_platform.ml import calibration
from slm_platform.ml.types import ARTIFACT_FILE, TrainConfig

CONFIG_FILE = "training_config.json"  # as slm_platform.ml.classifier names it

# --- the source ------------------------------------------------------------------------------

@dataclass
class Source:
    """The artifact being compressed: its dense model (on CPU), tokenizer, label scheme and the
    configuration it was trained with."""

    directory: Path
    model: object
    tokenizer: object
    scheme: object
    config: TrainConfig

    @property
    def labels(self) -> list[str]:
        return self.scheme.labels

    @property
    def layers(self) -> int:
        return self.model.config.num_hidden_layers


def load_source(source_dir: Path) -> Source:
    """The source artifact, loaded on CPU; a factorized (low-rank) source is multiplied back
    into dense layers, so every method starts from a plain BERT classifier."""
    from slm_platform.ml.classifier import TextClassifier
    from slm_platform.ml.compression.low_rank import densify

    source_dir = Path(source_dir)
    if (source_dir / ARTIFACT_FILE).exists():
        raise ValueError("source_dir: not a fine-tuned sequence classifier; only those can be "
                         "distilled, pruned or factorized")
    classifier = TextClassifier.load(source_dir, device="cpu")
    if getattr(classifier.model.config, "model_type", None) != "bert":
        raise ValueError(f"source_dir: a {classifier.model.config.model_type!r} model; "
                         "these methods work on BERT encoders")
    saved = json.loads((source_dir / CONFIG_FILE).read_text())["config"]
    fields = {field.name for field in dataclasses.fields(TrainConfig)}
    config = TrainConfig(**{key: value for key, value in saved.items() if key in fields})
    return Source(directory=source_dir, model=densify(classifier.model, source_dir),
                  tokenizer=classifier.tokenizer, scheme=classifier.scheme, config=config)


def check_data(data) -> None:
    if not data.validation_texts:
        raise ValueError("validation_texts: validation rows are needed for early stopping "
                         "and calibration")
    if not data.train_texts and not data.unlabelled_texts:
        raise ValueError("train_texts: no training or unlabelled texts to learn from")


def parameter_counts(model) -> dict:
    """All parameters, and those of the transformer layers alone (MiniLM's word embeddings are
    half its weights, and no method here changes them)."""
    total = sum(p.numel() for p in model.parameters())
    encoder = sum(p.numel() for name, p in model.named_parameters() if ".encoder." in name)
    return {"total": total, "encoder": encoder}


def parameter_change(before: dict, after: dict) -> dict:
    """Counts before and after, and the share of parameters removed (sparsity)."""
    return {"before": before, "after": after,
            "removed_share": round(1 - after["total"] / before["total"], 4),
            "encoder_removed_share": round(1 - after["encoder"] / max(1, before["encoder"]), 4)}


def classifier_for(model, source: Source, device: str):
    from slm_platform.ml.classifier import TextClassifier

    return TextClassifier(model, source.tokenizer, source.scheme,
                          max_length=source.config.max_length, device=device)


def validation_loss(scheme, logits: np.ndarray, targets: Sequence) -> float:
    """Mean negative log-likelihood of the targets (rows whose labels the scheme knows)."""
    if scheme.multi_label:
        hot = np.array([scheme.encode([t for t in target if t in scheme.index])
                        for target in targets], dtype=np.float32)
        return calibration.binary_negative_log_likelihood(logits, hot, 1.0)
    known = [i for i, target in enumerate(targets) if target in scheme.index]
    indices = np.array([scheme.index[targets[i]] for i in known], dtype=np.int64)
    return calibration.negative_log_likelihood(logits[known], indices, 1.0) if known else 0.0


def evaluate_logits(scheme, logits: np.ndarray, targets: Sequence) -> dict:
    report = scheme.report(logits, list(targets), 1.0)
    report["loss"] = validation_loss(scheme, logits, targets)
    return report


# --- training --------------------------------------------------------------------------------

class SoftTargetBatches:
    """Tokenised texts padded per batch (the fine-tune's bucketed order), each row's `labels`
    the concatenation [source's soft targets | hard target (one-hot or multi-hot, zeros when
    unlabelled) | 1.0 if labelled else 0.0]. `steps_per_epoch` caps the batches an epoch
    takes (each epoch a new seeded subset)."""

    def __init__(self, tokenizer, texts: Sequence[str], targets: np.ndarray, *, max_length: int,
                 batch_size: int, steps_per_epoch: int | None = None):
        self.tokenizer = tokenizer
        self.encoded = tokenizer(list(texts), truncation=True, max_length=max_length)["input_ids"]
        self.targets = targets.astype(np.float32)
        self.batch_size = batch_size
        full = (len(self.encoded) + batch_size - 1) // batch_size
        self.steps = min(full, steps_per_epoch) if steps_per_epoch else full

    def __len__(self) -> int:
        return self.steps

    def iterate(self, *, shuffle_seed: int | None):
        import torch

        from slm_platform.ml.finetune import batch_order

        lengths = [len(ids) for ids in self.encoded]
        for chosen in batch_order(lengths, self.batch_size, shuffle_seed)[: self.steps]:
            batch = self.tokenizer.pad({"input_ids": [self.encoded[i] for i in chosen]},
                                       return_tensors="pt")
            batch["labels"] = torch.from_numpy(self.targets[chosen])
            yield batch


def distillation_loss(*, classes: int, alpha: float, temperature: float, multi_label: bool):
    """A loss for `fit` over SoftTargetBatches' rows (see the module docstring)."""
    import torch
    import torch.nn.functional as F

    def loss(output, labels):
        logits = output.logits.float()
        soft, hard = labels[:, :classes], labels[:, classes:2 * classes]
        labelled = labels[:, -1] > 0
        scaled = logits / temperature
        if multi_label:
            soft_loss = F.binary_cross_entropy_with_logits(scaled, soft)
        else:
            soft_loss = F.kl_div(F.log_softmax(scaled, dim=-1), soft, reduction="batchmean")
        if labelled.any():
            hard_loss = (F.binary_cross_entropy_with_logits(logits[labelled], hard[labelled])
                         if multi_label else F.cross_entropy(logits[labelled], hard[labelled]))
        else:
            hard_loss = torch.zeros((), device=logits.device)
        return alpha * hard_loss + (1 - alpha) * temperature ** 2 * soft_loss

    return loss


@contextmanager
def _labels_kept_from_model(model):
    """While training, `labels` carries soft targets that the model's built-in loss cannot
    read: the model gets the batch without them (its output.loss is then None) and `fit`
    hands them to the distillation loss."""
    def strip(module, args, kwargs):
        kwargs.pop("labels", None)
        return args, kwargs

    handle = model.register_forward_pre_hook(strip, with_kwargs=True)
    try:
        yield
    finally:
        handle.remove()


def source_logits(source: Source, texts: Sequence[str], device: str) -> np.ndarray:
    if not texts:
        return np.zeros((0, len(source.labels)), dtype=np.float32)
    return classifier_for(source.model.to(device), source, device).logits(list(texts))


def soft_targets(scheme, logits: np.ndarray, temperature: float) -> np.ndarray:
    if scheme.multi_label:
        return calibration.sigmoid(logits / temperature).astype(np.float32)
    return calibration.softmax(logits, temperature).astype(np.float32)


def known_target(scheme, target):
    """The target as far as the scheme knows its labels: a multi-label target without the
    labels it lacks, a single label it lacks as None."""
    if scheme.multi_label:
        return [label for label in target if label in scheme.index]
    return target if target in scheme.index else None


def _targets(source: Source, data, teacher: np.ndarray, temperature: float) -> np.ndarray:
    """The labels rows of SoftTargetBatches: training rows, then unlabelled ones. A training
    row whose label the source lacks counts as unlabelled (it keeps the soft targets)."""
    scheme = source.scheme
    hard = np.zeros((len(teacher), len(source.labels)), dtype=np.float32)
    flags = np.zeros((len(teacher), 1), dtype=np.float32)
    for row, target in enumerate(data.train_targets):
        target = known_target(scheme, target)
        if target is None:
            continue
        if scheme.multi_label:
            hard[row] = scheme.encode(target)
        else:
            hard[row, scheme.encode(target)] = 1.0
        flags[row] = 1.0
    return np.concatenate([soft_targets(scheme, teacher, temperature), hard, flags], 1)


def student_config(source: Source, options: dict, epochs: int, **overrides) -> TrainConfig:
    """The source's configuration (max_length, pooling, label scheme, batch size, seed) with the
    compression's schedule (and any `overrides`). The head is trained already: it learns at the
    body's rate."""
    return dataclasses.replace(
        source.config, epochs=epochs, learning_rate=options["learning_rate"], target_steps=0,
        head_lr_multiplier=1.0, layer_lr_decay=1.0, label_smoothing=0.0,
        train_on_validation=False, patience=max(1, source.config.patience), **overrides,
    )


ProgressCallback = Callable[[dict], None]


def train_student(student, source: Source, data, *, options: dict, epochs: int,
                  on_progress: ProgressCallback | None = None,
                  should_stop: Callable[[], bool] | None = None,
                  config_overrides: dict | None = None):
    """Train `student` (a model with the source's labels) on the distillation mix, early
    stopping on validation macro-F1; the best epoch's weights stay in `student`. Returns the
    configuration it trained with (student_config with `config_overrides`), the TrainResult
    and a summary for the report."""
    from slm_platform.ml.finetune import TrainingCancelled, fit, seed_everything
    from slm_platform.ml.runtime import best_device
    from slm_platform.ml.types import TrainResult

    check_data(data)
    started = time.monotonic()
    device = best_device()
    config = student_config(source, options, epochs, **(config_overrides or {}))
    seed_everything(config.seed)
    _progress(on_progress, "labelling with the source")
    texts = list(data.train_texts) + list(data.unlabelled_texts)
    teacher = source_logits(source, texts, device)
    source.model.to("cpu")
    labelled_seconds = time.monotonic() - started
    if should_stop and should_stop():
        raise TrainingCancelled()
    steps = math.ceil(options["max_steps"] / epochs) if options["max_steps"] else None
    train = SoftTargetBatches(source.tokenizer, texts,
                              _targets(source, data, teacher, options["temperature"]),
                              max_length=config.max_length, batch_size=config.batch_size,
                              steps_per_epoch=steps)
    student.to(device)
    validation = classifier_for(student, source, device)

    def evaluate() -> dict:
        student.eval()
        return evaluate_logits(source.scheme, validation.logits(list(data.validation_texts)),
                               data.validation_targets)

    result = TrainResult(labels=source.labels, train_examples=len(texts),
                         validation_examples=len(data.validation_texts))
    loss = distillation_loss(classes=len(source.labels), alpha=options["alpha"],
                             temperature=options["temperature"],
                             multi_label=source.scheme.multi_label)

    def progress(info: dict) -> None:
        _progress(on_progress, "training", **info)

    with _labels_kept_from_model(student):
        fit(student, train, evaluate, config=config, device=device, result=result,
            on_progress=progress if on_progress else None, should_stop=should_stop,
            loss_fn=loss)
    student.eval()
    result.seconds = time.monotonic() - started
    best = result.history[result.best_epoch - 1]
    return config, result, {
        "seconds": round(result.seconds, 1), "labelling_seconds": round(labelled_seconds, 1),
        "labelled_rows": len(data.train_texts), "unlabelled_rows": len(data.unlabelled_texts),
        "epochs_run": len(result.history), "best_epoch": result.best_epoch,
        "steps_per_epoch": len(train), "validation_accuracy": round(best.validation_accuracy, 4),
        "validation_macro_f1": round(best.validation_macro_f1, 4),
        "history": [dataclasses.asdict(record) for record in result.history],
    }


def _progress(on_progress: ProgressCallback | None, phase: str, **info) -> None:
    if on_progress:
        on_progress({"phase": phase, **info})


def save_compressed(model, source: Source, config: TrainConfig, result, output_dir: Path,
                    data) -> float:
    """Write the artifact (weights, tokenizer, labels, training config) and refit its
    temperature on the validation rows; returns the temperature."""
    from slm_platform.ml.classifier import write_calibration
    from slm_platform.ml.finetune import save_artifact

    save_artifact(model, source.tokenizer, source.labels, config, result, output_dir)
    return write_calibration(output_dir, classifier_for(model, source, "cpu"),
                             list(data.validation_texts), list(data.validation_targets))


def copy_model(model):
    """A deep copy of a model, on CPU, the source left untouched."""
    return copy.deepcopy(model).to("cpu")

"""Fine-tune a sequence classifier over a small encoder and save it as an artifact directory.

An artifact directory holds everything needed to serve a version: safetensors weights and config,
the tokenizer, labels.json, training_config.json, calibration.json and (written by the caller)
metrics.json.
"""

import json
import math
import random
import re
import time
from collections.abc import Callable, Sequence
from contextlib import contextmanager, nullcontext
from pathlib import Path

import numpy as np
import torch

from slm_platform.ml import encoders
from slm_platform.ml.classifier import (
    CONFIG_FILE,
    LABELS_FILE,
    METRICS_FILE,
    TextClassifier,
    write_calibration,
)
from slm_platform.ml.runtime import best_device, cpu_fast_bf16
from slm_platform.ml.schemes import scheme_for
from slm_platform.ml.splitting import stratified_rows_split
from slm_platform.ml.types import EpochRecord, TrainConfig, TrainResult

ProgressCallback = Callable[[dict], None]


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


BUCKET_BATCHES = 50  # batches per length bucket: sorted within, shuffled across


def batch_order(lengths: list[int], batch_size: int, seed: int | None) -> list[list[int]]:
    """Index batches: length-sorted when seed is None (evaluation), else bucketed and shuffled
    (training): shuffle, cut into pools of BUCKET_BATCHES batches, sort each pool by length,
    cut it into batches, shuffle the batches."""
    if seed is None:
        order = sorted(range(len(lengths)), key=lengths.__getitem__)
        return [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
    rng = random.Random(seed)
    order = list(range(len(lengths)))
    rng.shuffle(order)
    pool_size = batch_size * BUCKET_BATCHES
    batches = []
    for start in range(0, len(order), pool_size):
        pool = sorted(order[start : start + pool_size], key=lengths.__getitem__)
        batches += [pool[i : i + batch_size] for i in range(0, len(pool), batch_size)]
    rng.shuffle(batches)
    return batches


class _Batches:
    """Pre-tokenised examples padded per batch (dynamic padding).

    Training order is bucketed by length: the shuffled examples are cut into pools of
    BUCKET_BATCHES batches, each pool is sorted by length and cut into batches, and the batches
    are shuffled. Batches then pad little (about 3x the throughput of plain shuffling on short
    texts, measured) while every epoch still sees a new, seeded order.
    """

    def __init__(self, tokenizer, texts, label_ids, *, max_length: int, batch_size: int,
                 multi_label: bool = False):
        self.tokenizer = tokenizer
        self.encoded = tokenizer(list(texts), truncation=True, max_length=max_length)["input_ids"]
        self.label_ids = list(label_ids)
        self.batch_size = batch_size
        self.label_dtype = torch.float32 if multi_label else torch.long
        # Per example, a sentence embedding each training batch carries as `anchor`.
        self.anchors: torch.Tensor | None = None

    def __len__(self) -> int:
        return (len(self.label_ids) + self.batch_size - 1) // self.batch_size

    def iterate(self, *, shuffle_seed: int | None, with_indices: bool = False):
        lengths = [len(ids) for ids in self.encoded]
        for chosen in batch_order(lengths, self.batch_size, shuffle_seed):
            batch = self.tokenizer.pad(
                {"input_ids": [self.encoded[i] for i in chosen]}, return_tensors="pt"
            )
            batch["labels"] = torch.tensor([self.label_ids[i] for i in chosen],
                                           dtype=self.label_dtype)
            if self.anchors is not None and shuffle_seed is not None:
                batch["anchor"] = self.anchors[chosen]
            yield (chosen, batch) if with_indices else batch


def _autocast(config: TrainConfig, device: str):
    # Only where the CPU multiplies bf16 in hardware: emulated bf16 is slower than fp32.
    enabled = config.bf16 and device == "cpu" and cpu_fast_bf16()
    return torch.autocast(device_type="cpu", dtype=torch.bfloat16, enabled=enabled)


def _evaluate_batches(model, batches: _Batches, scheme, targets, config, device) -> dict:
    """Validation metrics (and loss) in the batches' length-sorted order."""
    model.eval()
    losses, logits, order = [], [], []
    with torch.inference_mode(), _autocast(config, device):
        for indices, batch in batches.iterate(shuffle_seed=None, with_indices=True):
            batch = {key: value.to(device) for key, value in batch.items()}
            output = model(**batch)
            losses.append(float(output.loss) * len(indices))
            logits.append(output.logits.float().cpu().numpy())
            order += indices
    report = scheme.report(np.concatenate(logits), [targets[i] for i in order], 1.0)
    report["loss"] = sum(losses) / max(1, len(order))
    return report


def train_classifier(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    label_set: Sequence[str],
    config: TrainConfig,
    output_dir: Path,
    validation: tuple[Sequence[str], Sequence[str]] | None = None,
    on_progress: ProgressCallback | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> TrainResult:
    """Fine-tune `config.base_model` on (texts, labels) and save the best epoch to `output_dir`.

    Without an explicit validation set, a seeded stratified `validation_fraction` of the training
    data is held out for early stopping (patience in epochs, on validation macro-F1). With
    `config.train_on_validation`, the validation rows are trained on too, for the whole schedule
    (no early stopping, the last epoch kept): validation metrics are then in-sample, and no
    temperature is fitted (calibration.json is not written).
    """
    started = time.monotonic()
    seed_everything(config.seed)
    label_list = list(label_set)
    scheme = scheme_for(label_list, multi_label=config.multi_label, threshold=config.threshold)
    texts, labels = list(texts), list(labels)
    if validation is None:
        (texts, labels), validation = stratified_rows_split(
            texts, labels, stratum=scheme.stratum, fraction=config.validation_fraction,
            seed=config.seed,
        )

    if config.train_on_validation:
        texts, labels = texts + list(validation[0]), labels + list(validation[1])

    device = best_device()
    tokenizer = encoders.load_tokenizer(config.base_model)
    model = encoders.load_classifier_model(config.base_model, label_list,
                                           problem_type=scheme.problem_type,
                                           pooling=config.pooling).to(device)
    train = _Batches(tokenizer, texts, [scheme.encode(y) for y in labels],
                     max_length=config.max_length, batch_size=config.batch_size,
                     multi_label=scheme.multi_label)
    val = _Batches(tokenizer, validation[0], [scheme.encode(y) for y in validation[1]],
                   max_length=config.max_length, batch_size=128, multi_label=scheme.multi_label)

    result = TrainResult(labels=label_list, train_examples=len(texts),
                         validation_examples=len(validation[0]))
    loss_fn = None
    if config.label_smoothing and not scheme.multi_label:
        loss_fn = smoothed_cross_entropy(config.label_smoothing)
    if config.anchor_weight and config.pooling == "mean":
        train.anchors = _sentence_embeddings(model, train, config, device)
        loss_fn = anchored(loss_fn, config.anchor_weight)
    fit(model, train, lambda: _evaluate_batches(model, val, scheme, list(validation[1]), config,
                                                device),
        config=config, device=device, result=result, on_progress=on_progress,
        should_stop=should_stop, loss_fn=loss_fn, early_stopping=not config.train_on_validation)
    result.seconds = time.monotonic() - started
    save_artifact(model, tokenizer, label_list, config, result, output_dir)
    if not config.train_on_validation:
        # Rows the model trained on give no honest temperature (measured on HWU64: an in-sample
        # fit gave 0.46-0.61, and twice in 19 runs its 0.05 floor, against 0.72-0.88 held out):
        # none is written, and the artifact serves at temperature 1.
        trained = TextClassifier(model.to(device), tokenizer, scheme,
                                 max_length=config.max_length, device=device)
        write_calibration(output_dir, trained, validation[0], validation[1])
    return result


@torch.inference_mode()
def _sentence_embeddings(model, batches: _Batches, config: TrainConfig, device) -> torch.Tensor:
    """The base encoder's sentence embedding of every training text, before any training."""
    model.eval()
    anchors = None
    with _autocast(config, device):
        for indices, batch in batches.iterate(shuffle_seed=None, with_indices=True):
            pooled = model.sentence_embeddings(batch["input_ids"].to(device),
                                               batch["attention_mask"].to(device)).float()
            if anchors is None:
                anchors = torch.zeros(len(batches.label_ids), pooled.shape[1], device=device)
            anchors[indices] = pooled
    return anchors


def anchored(loss_fn, weight: float):
    """A loss for `fit`: the task loss plus `weight` times the mean cosine distance of each
    training text's sentence embedding from the base encoder's (the batch's `anchor`)."""
    def loss(output, labels):
        task = loss_fn(output, labels) if loss_fn else output.loss
        return task + weight * output.anchor_distance
    return loss


def smoothed_cross_entropy(smoothing: float):
    """A loss for `fit`: cross-entropy of the logits against label-smoothed targets."""
    def loss(output, labels):
        return torch.nn.functional.cross_entropy(output.logits.float(), labels,
                                                 label_smoothing=smoothing)
    return loss


class WeightAverage:
    """An exponential moving average of the trainable weights, started from zero and divided
    by its total weight (as Adam corrects its moments), so it is an average of the weights the
    run visited, recent ones weighing more, with no pull towards the starting weights.

    The horizon (1 / (1 - decay) steps) is a fraction of the run's steps, so runs of any length
    average alike. It is updated every EVERY steps (and at each epoch's end): an update of
    MiniLM's ~11M trainable weights measured 8-45 ms on a busy 2-core machine, so 1-6 ms a
    step against ~190 ms for the step itself.
    """

    EVERY = 8

    def __init__(self, params, *, horizon_steps: float):
        self.params = [p for p in params if p.requires_grad]
        self.decay = math.exp(-self.EVERY / max(horizon_steps, 1.0))
        self.sums = [torch.zeros_like(p, dtype=torch.float32) for p in self.params]
        self.total = 0.0  # 1 - decay ** updates
        self.updated_at = 0

    def update(self, step: int, *, force: bool = False) -> None:
        if step == self.updated_at or not (force or step % self.EVERY == 0):
            return
        with torch.no_grad():
            for total, param in zip(self.sums, self.params, strict=True):
                # lerp_: one pass over memory (mul_ + add_ measured 1.2-3x slower on 2 cores)
                total.lerp_(param.detach().to(total.dtype), 1 - self.decay)
        self.total = 1 - (1 - self.total) * self.decay
        self.updated_at = step

    def averaged(self) -> list[torch.Tensor]:
        return [total / self.total for total in self.sums]

    @contextmanager
    def applied(self):
        """The averaged weights in the model inside the block, the raw ones after it."""
        raw = [p.detach().clone() for p in self.params]
        with torch.no_grad():
            for param, value in zip(self.params, self.averaged(), strict=True):
                param.copy_(value)
        try:
            yield
        finally:
            with torch.no_grad():
                for param, value in zip(self.params, raw, strict=True):
                    param.copy_(value)


def fit(model, train, evaluate: Callable[[], dict], *, config: TrainConfig, device: str,
        result: TrainResult, on_progress: ProgressCallback | None = None,
        should_stop: Callable[[], bool] | None = None,
        loss_fn: Callable | None = None, early_stopping: bool = True) -> None:
    """The training loop shared by every fine-tune: AdamW with warm-up and linear decay,
    gradient clipping, one validation pass per epoch, early stopping on validation macro-F1
    (patience in epochs); the best epoch's weights are loaded back into `model`.

    With `config.average_horizon`, the weights evaluated, compared and kept each epoch are the
    running weight average (WeightAverage). Without `early_stopping`, the whole schedule runs
    and the last epoch's weights are kept (validation is then only reported)."""
    started = time.monotonic()
    optimizer = _optimizer(model, config)
    epochs = config.epochs_for(len(train))
    total_steps = len(train) * epochs
    scheduler = _linear_schedule(optimizer, int(total_steps * config.warmup_ratio), total_steps)
    average = (WeightAverage(model.parameters(),
                             horizon_steps=config.average_horizon * total_steps)
               if config.average_horizon > 0 else None)
    best_f1, best_state, epochs_without_gain, step = -1.0, None, 0, 0
    for epoch in range(1, epochs + 1):
        epoch_started = time.monotonic()
        model.train()
        running = 0.0
        for batch in train.iterate(shuffle_seed=config.seed + epoch):
            if should_stop and should_stop():
                raise TrainingCancelled()
            batch = {key: value.to(device) for key, value in batch.items()}
            with _autocast(config, device):
                output = model(**batch)
                loss = loss_fn(output, batch["labels"]) if loss_fn else output.loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            step += 1
            if average:
                average.update(step)
            running += loss.detach().item()
            if on_progress:
                on_progress({"epoch": epoch, "step": step, "total_steps": total_steps,
                             "loss": loss.detach().item(), "elapsed": time.monotonic() - started})
        if average:
            average.update(step, force=True)
        with average.applied() if average else nullcontext():
            report = evaluate()
            state = None
            keep = report["macro_f1"] > best_f1 or not early_stopping
            if keep:
                state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        result.history.append(EpochRecord(
            epoch=epoch, train_loss=running / max(1, len(train)),
            validation_loss=report["loss"], validation_accuracy=report["accuracy"],
            validation_macro_f1=report["macro_f1"], seconds=time.monotonic() - epoch_started,
        ))
        if keep:
            best_f1, result.best_epoch, epochs_without_gain = report["macro_f1"], epoch, 0
            best_state = state
        else:
            epochs_without_gain += 1
            if epochs_without_gain >= config.patience:
                break
    model.load_state_dict(best_state)


class TrainingCancelled(Exception):
    """Raised inside the training loop when the caller asks it to stop."""


# Parameters created fresh for the task (not in the pretrained encoder): they learn at the
# head's rate.
HEAD_PREFIXES = ("classifier", "shape_embeddings")
_LAYER = re.compile(r"\.layer\.(\d+)\.")


def _optimizer(model, config: TrainConfig) -> torch.optim.Optimizer:
    """AdamW; the word-embedding matrix (half of MiniLM's weights) may stay frozen, which
    measured ~1.5x faster per step with little to learn there for a narrow task; the fresh
    head may learn faster than the pretrained body, and with `layer_lr_decay` < 1 each
    encoder layer learns at that factor of the rate of the layer above it."""
    if config.freeze_word_embeddings:
        model.get_input_embeddings().weight.requires_grad_(False)
    layers = model.config.num_hidden_layers
    groups: dict[str, dict] = {}
    for name, param in model.named_parameters():
        if not param.requires_grad:
            continue
        if name.startswith(HEAD_PREFIXES):
            key, rate = "head", config.learning_rate * config.head_lr_multiplier
        else:
            depth = layer_depth(name, layers)
            key, rate = f"depth{depth}", config.learning_rate * config.layer_lr_decay ** depth
        groups.setdefault(key, {"params": [], "lr": rate})["params"].append(param)
    return torch.optim.AdamW(list(groups.values()), weight_decay=config.weight_decay)


def layer_depth(name: str, layers: int) -> int:
    """How many layers below the top a parameter sits: 0 for the top encoder layer (and
    anything above it, such as a pooler), `layers` for the embeddings."""
    match = _LAYER.search(name)
    if match:
        return layers - 1 - int(match.group(1))
    return layers if ".embeddings." in f".{name}" else 0


def _linear_schedule(optimizer, warmup_steps: int, total_steps: int):
    def factor(step: int) -> float:
        if step < warmup_steps:
            return (step + 1) / max(1, warmup_steps)
        return max(0.0, (total_steps - step) / max(1, total_steps - warmup_steps))

    return torch.optim.lr_scheduler.LambdaLR(optimizer, factor)


def save_artifact(model, tokenizer, labels, config: TrainConfig, result: TrainResult, output_dir):
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    model.to("cpu").save_pretrained(output_dir, safe_serialization=True)
    tokenizer.save_pretrained(output_dir)
    (output_dir / LABELS_FILE).write_text(json.dumps(labels, indent=2))
    (output_dir / CONFIG_FILE).write_text(
        json.dumps({"config": config.as_dict(), "training": result.as_dict()}, indent=2)
    )


def write_metrics(output_dir: Path, metrics: dict) -> None:
    (Path(output_dir) / METRICS_FILE).write_text(json.dumps(metrics, indent=2))



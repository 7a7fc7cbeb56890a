"""Compression of a fine-tuned sequence-classifier artifact into a new, servable artifact.

A method reads a SOURCE artifact directory and writes a NEW one that
`slm_platform.ml.artifacts.load_fast_predictor` serves; the source is never written to.

    int8-dynamic   ONNX Runtime dynamic int8 (weights int8, activations quantized per batch)
    int8-static    ONNX Runtime static int8 (activation ranges calibrated on training texts)
                   either int8 method optionally followed by quantization-aware fine-tuning,
                   always or when post-training int8 fails the activation gate (qat.py)
    bf16           weights in bfloat16, served by torch (fast only on CPUs with native bf16)
    distill        a student with fewer layers, started from the source's, trained on its
                   soft targets and the labels (distill.py)
    prune          the least important layers (and feed-forward neurons) removed, by measured
                   importance, then a recovery fine-tune (prune.py)
    low-rank       encoder linear layers factorized by truncated SVD, then a recovery
                   fine-tune (low_rank.py)

Each method is a function `(*, source_dir, output_dir, data, options, on_progress,
should_stop) -> dict` (the method's details for the report), registered in METHOD_FUNCTIONS,
with its option checker `(options) -> options with defaults` in OPTION_CLEANERS. A new method
is one module in this package plus one line in each dict. Method modules import torch and
ONNX Runtime inside their functions: the web process imports this package to check a
request's options and never imports torch.

`measure.measure` times and scores an artifact in a fresh process; `measure.report` compares
two such measurements.
"""

import os
import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from slm_platform.ml.compression import distill, low_rank, prune, quantize


@dataclass
class CompressionData:
    """Rows a method may use. Targets are what the artifact's label scheme takes: a label
    string per row, or for a multi-label artifact a list of labels."""

    train_texts: list[str]
    train_targets: list
    validation_texts: list[str]
    validation_targets: list
    unlabelled_texts: list[str] = field(default_factory=list)


METHOD_FUNCTIONS: dict[str, Callable[..., dict]] = {
    "int8-dynamic": quantize.int8_dynamic,
    "int8-static": quantize.int8_static,
    "bf16": quantize.bf16,
    "distill": distill.distill,
    "prune": prune.prune,
    "low-rank": low_rank.low_rank,
}
OPTION_CLEANERS: dict[str, Callable[[dict], dict]] = {
    "int8-dynamic": quantize.int8_dynamic_options_clean,
    "int8-static": quantize.int8_static_options_clean,
    "bf16": quantize.bf16_options_clean,
    "distill": distill.distill_options_clean,
    "prune": prune.prune_options_clean,
    "low-rank": low_rank.low_rank_options_clean,
}
METHODS = tuple(METHOD_FUNCTIONS)


class CompressionCancelled(Exception):
    """should_stop() answered True; nothing was left in output_dir. A method checks it between
    its steps and raises this (or its training loop's TrainingCancelled)."""


def options_clean(method: str, options: dict) -> dict:
    """The method's options with defaults filled in. ValueError, its message starting with the
    field it is about ("method", or the option's name), for an unknown method or option or a
    bad value."""
    if method not in METHOD_FUNCTIONS:
        raise ValueError(f"method must be one of {', '.join(METHOD_FUNCTIONS)}, not {method!r}")
    if not isinstance(options, dict):
        raise ValueError(f"options must be an object, not {type(options).__name__}")
    return OPTION_CLEANERS.get(method, _no_options)(options)


def _no_options(options: dict) -> dict:
    if options:
        raise ValueError(f"{sorted(options)[0]}: unknown option; this method takes none")
    return {}


def compress(method: str, *, source_dir: Path, output_dir: Path, data: CompressionData,
             options: dict, on_progress: Callable[[dict], None] | None = None,
             should_stop: Callable[[], bool] | None = None) -> dict:
    """Build the compressed artifact in a temporary sibling of `output_dir` and rename it into
    place once complete, so `output_dir` holds a whole artifact or nothing. Returns
    {"method", "options", "seconds", ...the method's details}."""
    cleaned = options_clean(method, options)
    source_dir, output_dir = Path(source_dir), Path(output_dir)
    if not source_dir.is_dir():
        raise ValueError(f"source_dir: {source_dir} is not a directory")
    if output_dir.exists() and any(output_dir.iterdir()):
        raise ValueError(f"output_dir: {output_dir} exists and is not empty")
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    partial = output_dir.with_name(f".{output_dir.name}.partial-{uuid.uuid4().hex[:8]}")
    started = time.monotonic()
    try:
        details = METHOD_FUNCTIONS[method](
            source_dir=source_dir, output_dir=partial, data=data, options=cleaned,
            on_progress=on_progress, should_stop=should_stop)
        if should_stop and should_stop():
            raise CompressionCancelled(f"{method} cancelled")
        os.replace(partial, output_dir)
    except Exception as exc:
        # Each method stops its own way (the training loop raises TrainingCancelled): the
        # caller sees one exception for a cancelled run.
        if should_stop and not isinstance(exc, CompressionCancelled) and should_stop():
            raise CompressionCancelled(f"{method} cancelled") from exc
        raise
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return {"method": method, "options": cleaned, **details,
            "seconds": round(time.monotonic() - started, 1)}

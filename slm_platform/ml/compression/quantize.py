"""Quantization methods: a fine-tuned classifier's weights in fewer bits, nothing retrained.

The new artifact is a copy of the source's files (the weights too, for torch serving and GPU
workers) plus the engine file the method made, with onnx/precision.json pinned to that
precision, so `load_fast_predictor` serves it:

    int8-dynamic  onnx/model.int8.onnx: onnx_engine's fused fp32 graph with int8 weights,
                  activations quantized per batch at run time (word embeddings stay fp32).
    int8-static   onnx/model.int8-static.onnx: the fused graph with int8 word embeddings and
                  statically quantized projections, their activation ranges calibrated once
                  on `calibration_rows` training texts (seeded sample); see STATIC_RECIPE and
                  why it is a mix in static_int8.py.
    bf16          model.safetensors in bfloat16, served by torch.

When validation rows are given, the new artifact's temperature is refitted on them (its
calibration.json) and the details report its validation accuracy, macro-F1 and label agreement
against the source's fp32 engine on the same rows, and what the activation gate would object
to there (gate_reasons). Both int8 methods can follow up with quantization-aware fine-tuning
(options qat...; qat.py).

This module holds the methods and their option checkers; the steps they share (copy the
source, check, pin the precision) are in quantized_artifact.py.
"""

import random
import time
from collections.abc import Callable
from pathlib import Path

from slm_platform.ml.compression.options import check_known, integer
from slm_platform.ml.compression.qat import int8_with_qat, qat_options_clean
from slm_platform.ml.compression.quantized_artifact import (
    MODEL_CONFIG_FILE,
    WEIGHTS_FILE,
    check_stop,
    copy_source,
    fp32_graph,
    onnx_check,
    pin,
    progress,
    reference_logits,
    validation_check,
)
from slm_platform.ml.compression.static_int8 import (
    STATIC_RECIPE,
    quantizer_warnings_quiet,
    write_static_int8,
)
from slm_platform.ml.gate import DEFAULT_MAX_LABEL_F1_DROP

CALIBRATION_ROWS = 512
MAX_CALIBRATION_ROWS = 20_000
SEED = 13


def int8_dynamic_options_clean(options: dict) -> dict:
    return qat_options_clean(options)


def int8_static_options_clean(options: dict) -> dict:
    qat = qat_options_clean(options, known=("calibration_rows", "seed"))
    return {"calibration_rows": integer(options, "calibration_rows", default=CALIBRATION_ROWS,
                                        low=16, high=MAX_CALIBRATION_ROWS),
            "seed": integer(options, "seed", default=SEED, low=0, high=2**31 - 1), **qat}


def bf16_options_clean(options: dict) -> dict:
    check_known(options, ())
    return {}


# --- methods ---------------------------------------------------------------------------------

def int8_dynamic(*, source_dir: Path, output_dir: Path, data, options: dict,
                 on_progress: Callable[[dict], None] | None = None,
                 should_stop: Callable[[], bool] | None = None) -> dict:
    """onnx_engine's dynamic int8 of the fused graph, as the new artifact's pinned engine
    (then QAT as the options say)."""
    from slm_platform.ml import onnx_engine

    options = int8_dynamic_options_clean(options)
    margin = options.get("max_label_f1_drop", DEFAULT_MAX_LABEL_F1_DROP)

    def build(weights_dir: Path, target: Path, reference, on_progress):
        copy_source(weights_dir, target)
        progress(on_progress, "exporting")
        fp32 = fp32_graph(weights_dir, target)
        check_stop(should_stop)
        progress(on_progress, "quantizing")
        with quantizer_warnings_quiet():
            engine = onnx_engine.ensure_onnx(target, "int8")
        check_stop(should_stop)
        progress(on_progress, "checking")
        check, reference = onnx_check(target, "int8", data, reference, margin)
        fp32.unlink()
        return pin(target, "int8", engine="onnx", method="int8-dynamic", check=check,
                   engine_file=engine), reference

    return int8_with_qat(build, static=False, source_dir=source_dir, output_dir=output_dir,
                         data=data, options=options, on_progress=on_progress,
                         should_stop=should_stop)


def int8_static(*, source_dir: Path, output_dir: Path, data, options: dict,
                on_progress: Callable[[dict], None] | None = None,
                should_stop: Callable[[], bool] | None = None) -> dict:
    """Static int8 (see STATIC_RECIPE), calibrated on a seeded sample of the training (and
    unlabelled) texts (then QAT as the options say, its ranges calibrated on the same rows)."""
    options = int8_static_options_clean(options)
    margin = options.get("max_label_f1_drop", DEFAULT_MAX_LABEL_F1_DROP)
    pool = list(data.train_texts) + list(data.unlabelled_texts)
    if not pool:
        raise ValueError("train_texts: static int8 calibrates on training texts; none given")
    sample = random.Random(options["seed"]).sample(pool, min(options["calibration_rows"],
                                                             len(pool)))

    def build(weights_dir: Path, target: Path, reference, on_progress):
        copy_source(weights_dir, target)
        progress(on_progress, "exporting")
        fp32 = fp32_graph(weights_dir, target)
        check_stop(should_stop)
        progress(on_progress, "calibrating", rows=len(sample))
        started = time.monotonic()
        engine = write_static_int8(target, sample)
        seconds = time.monotonic() - started
        check_stop(should_stop)
        progress(on_progress, "checking")
        check, reference = onnx_check(target, "int8-static", data, reference, margin)
        fp32.unlink()
        return pin(target, "int8-static", engine="onnx", method="int8-static", check=check,
                   engine_file=engine, recipe=STATIC_RECIPE, calibration_rows=len(sample),
                   calibration_pool=len(pool),
                   calibration_seconds=round(seconds, 1)), reference

    return int8_with_qat(build, static=True, source_dir=source_dir, output_dir=output_dir,
                         data=data, options=options, calibration_texts=sample,
                         on_progress=on_progress, should_stop=should_stop)


def bf16(*, source_dir: Path, output_dir: Path, data, options: dict,
         on_progress: Callable[[dict], None] | None = None,
         should_stop: Callable[[], bool] | None = None) -> dict:
    """The weights cast to bfloat16 and saved as the artifact's model.safetensors."""
    import torch

    from slm_platform.ml.artifacts import load_bf16_predictor
    from slm_platform.ml.classifier import TextClassifier
    from slm_platform.ml.runtime import cpu_fast_bf16

    bf16_options_clean(options)
    copy_source(source_dir, output_dir, leave_out=(WEIGHTS_FILE, MODEL_CONFIG_FILE))
    progress(on_progress, "converting")
    source = TextClassifier.load(source_dir, device="cpu")
    reference = reference_logits(source, data)
    source.model.to(torch.bfloat16).save_pretrained(output_dir, safe_serialization=True)
    del source
    check_stop(should_stop)
    progress(on_progress, "checking")
    check = validation_check(load_bf16_predictor(output_dir), reference, output_dir, data)
    native = cpu_fast_bf16()
    return pin(output_dir, "bf16", engine="torch", method="bf16", check=check,
               engine_file=output_dir / WEIGHTS_FILE, cpu_native_bf16=native,
               note=None if native else "this CPU has no native bf16 (AVX-512 BF16 or AMX): "
               "torch emulates it, so bf16 halves the weights but runs slower than fp32 here")

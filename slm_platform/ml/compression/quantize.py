"""Quantization methods: a fine-tuned classifier's weights in fewer bits, nothing retrained.

The new artifact is a copy of the source's files (the weights too, for torch serving and GPU
workers) plus the engine file the method made, with onnx/precision.json pinned to that
precision, so `load_fast_predictor` serves it:

    int8-dynamic  onnx/model.int8.onnx: onnx_engine's fused fp32 graph with int8 weights,
                  activations quantized per batch at run time (word embeddings stay fp32).
    int8-static   onnx/model.int8-static.onnx: the fused graph with int8 word embeddings and
                  statically quantized projections, their activation ranges calibrated once
                  on `calibration_rows` training texts (seeded sample); see STATIC_RECIPE.
    bf16          model.safetensors in bfloat16, served by torch.

Why the static recipe is a mix (measured on a CLINC150 MiniLM, AVX2 CPU, ONNX Runtime 1.31,
CPU time per row at batch 32 / label agreement with fp32 on the 3,100 validation queries):
ONNX Runtime has no static int8 kernel for the fused Attention op, so a purely static graph
either leaves the Q/K/V projections in fp32 (QDQ or QOperator on the fused graph: 6.0 ms, as
against 7.4 fp32 and 5.0 dynamic) or gives up the fused attention (unfused graph, QDQ:
5.3-5.5 ms, 7.0 ms at batch 1 as against 5.0); and a static range for the feed-forward output
projection, whose input is the GELU's heavy-tailed output, changed 2 % of the answers (97.9 %
agreement, -0.3 points) where dynamic int8 changed 0.6 %. Quantizing those two dynamically and
the rest statically gives dynamic int8's speed (5.1 ms) and agreement (99.1 %, accuracy
94.16 against fp32's 94.10), and the int8 embeddings make the file 23 MB against dynamic's
59 MB and fp32's 91 MB. On this AVX2 CPU (no VNNI) static activations bring no speed of their
own: the gain is size.

When validation rows are given, the new artifact's temperature is refitted on them (its
calibration.json) and the details report its validation accuracy, macro-F1 and label agreement
against the source's fp32 engine on the same rows, and what the activation gate would object
to there (gate_reasons). Both int8 methods can follow up with quantization-aware fine-tuning
(options qat...; qat.py).
"""

import json
import logging
import random
import shutil
import time
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from pathlib import Path

from slm_platform.ml.compression.options import check_known, integer
from slm_platform.ml.compression.qat import int8_with_qat, qat_options_clean
from slm_platform.ml.gate import DEFAULT_MAX_LABEL_F1_DROP

ONNX_DIR = "onnx"  # as onnx_engine names them; imported there with torch
PRECISION_FILE = "precision.json"
CALIBRATION_FILE = "calibration.json"
WEIGHTS_FILE = "model.safetensors"
MODEL_CONFIG_FILE = "config.json"
CALIBRATION_ROWS = 512
MAX_CALIBRATION_ROWS = 20_000
# Calibration rows run between two merges of the activation ranges (bounds its memory).
CALIBRATION_STRIDE = 16
SEED = 13
# Validation rows scored for the check and the temperature (the first ones, in order).
MAX_CHECK_ROWS = 5_000
# The static int8 recipe, chosen by measuring the variants (module docstring).
STATIC_RECIPE = {
    "graph": "onnx_engine's fused fp32 graph",
    "static": "QOperator (QLinearMatMul, QEmbedLayerNormalization): embeddings, attention "
              "output and feed-forward input projections; uint8 activations with MinMax "
              "ranges, int8 per-channel weights",
    "dynamic": "fused Attention (ONNX Runtime has no static int8 kernel for it) and the "
               "feed-forward output projections (fed by the GELU: static ranges lost accuracy)",
}


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
        _copy_source(weights_dir, target)
        _progress(on_progress, "exporting")
        fp32 = _fp32_graph(weights_dir, target)
        _check_stop(should_stop)
        _progress(on_progress, "quantizing")
        with _quantizer_warnings_quiet():
            engine = onnx_engine.ensure_onnx(target, "int8")
        _check_stop(should_stop)
        _progress(on_progress, "checking")
        check, reference = _onnx_check(target, "int8", data, reference, margin)
        fp32.unlink()
        return _pin(target, "int8", engine="onnx", method="int8-dynamic", check=check,
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
        _copy_source(weights_dir, target)
        _progress(on_progress, "exporting")
        fp32 = _fp32_graph(weights_dir, target)
        _check_stop(should_stop)
        _progress(on_progress, "calibrating", rows=len(sample))
        started = time.monotonic()
        engine = _quantize_static(target, sample)
        seconds = time.monotonic() - started
        _check_stop(should_stop)
        _progress(on_progress, "checking")
        check, reference = _onnx_check(target, "int8-static", data, reference, margin)
        fp32.unlink()
        return _pin(target, "int8-static", engine="onnx", method="int8-static", check=check,
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
    _copy_source(source_dir, output_dir, leave_out=(WEIGHTS_FILE, MODEL_CONFIG_FILE))
    _progress(on_progress, "converting")
    source = TextClassifier.load(source_dir, device="cpu")
    reference = _reference_logits(source, data)
    source.model.to(torch.bfloat16).save_pretrained(output_dir, safe_serialization=True)
    del source
    _check_stop(should_stop)
    _progress(on_progress, "checking")
    check = _check(load_bf16_predictor(output_dir), reference, output_dir, data)
    native = cpu_fast_bf16()
    return _pin(output_dir, "bf16", engine="torch", method="bf16", check=check,
                engine_file=output_dir / WEIGHTS_FILE, cpu_native_bf16=native,
                note=None if native else "this CPU has no native bf16 (AVX-512 BF16 or AMX): "
                "torch emulates it, so bf16 halves the weights but runs slower than fp32 here")


# --- static int8 -----------------------------------------------------------------------------

def _quantize_static(artifact_dir: Path, texts: Sequence[str]) -> Path:
    """Write onnx/model.int8-static.onnx (STATIC_RECIPE) from the calibration texts: first the
    static pass over the fused graph, then ONNX Runtime's dynamic pass over what it left in
    fp32 (the fused Attention and the feed-forward output projections). Returns its path."""
    import onnx
    from onnxruntime.quantization import (
        CalibrationMethod,
        QuantFormat,
        QuantType,
        quantize_dynamic,
        quantize_static,
    )

    from slm_platform.ml import onnx_engine

    target = onnx_engine.onnx_path(artifact_dir, "int8-static")
    work = target.parent / ".static-work"
    work.mkdir()
    try:
        graph = _shaped_graph(onnx_engine.onnx_path(artifact_dir, "fp32"), work / "shaped.onnx")
        static = work / "static.onnx"
        with _quantizer_warnings_quiet():
            quantize_static(str(graph), str(static),
                            _calibration_reader(artifact_dir, texts, graph),
                            quant_format=QuantFormat.QOperator,
                            op_types_to_quantize=["MatMul", "EmbedLayerNormalization"],
                            nodes_to_exclude=_after_gelu(graph), per_channel=True,
                            activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
                            calibrate_method=CalibrationMethod.MinMax,
                            extra_options={"MatMulConstBOnly": True,
                                           "CalibStridedMinMax": _calibration_stride(len(texts))})
            partial = onnx_engine._temporary(target)
            quantize_dynamic(str(static), str(partial), weight_type=QuantType.QInt8,
                             per_channel=True, op_types_to_quantize=["MatMul", "Attention"],
                             extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
        partial.replace(target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def _shaped_graph(source: Path, target: Path) -> Path:
    """`source` with the shape and type of every tensor inferred. ORT's symbolic inference
    knows the fused contrib ops (SkipLayerNormalization, BiasGelu...); without it the
    calibrator skips their outputs and the QOperator pass fails outright."""
    import onnx
    from onnxruntime.tools.symbolic_shape_infer import SymbolicShapeInference

    shaped = SymbolicShapeInference.infer_shapes(onnx.load(str(source)), auto_merge=True,
                                                 guess_output_rank=True)
    onnx.save(shaped, str(target))
    return target


def _after_gelu(graph: Path) -> list[str]:
    """The MatMuls fed by a GELU (each layer's feed-forward output projection): the GELU's
    output is heavy-tailed, and one calibrated range for it changed 2 % of CLINC150 answers
    where every other MatMul static changed under 0.5 %."""
    import onnx

    nodes = onnx.load(str(graph), load_external_data=False).graph.node
    gelu_outputs = {output for node in nodes if "Gelu" in node.op_type
                    for output in node.output}
    return [node.name for node in nodes
            if node.op_type == "MatMul" and node.input[0] in gelu_outputs]


@contextmanager
def _quantizer_warnings_quiet():
    """ONNX Runtime's quantizer logs advice (run its pre-processing, which the fused graph
    does not need) through the root logger: kept out of the worker's log."""
    root = logging.getLogger()
    level = root.level
    root.setLevel(max(level, logging.ERROR))
    try:
        yield
    finally:
        root.setLevel(level)


def _calibration_reader(artifact_dir: Path, texts: Sequence[str], graph: Path):
    """ONNX Runtime's CalibrationDataReader over texts, one unpadded row at a time, tokenized
    as the served engine tokenizes them (truncated at the artifact's max_length), read in
    strides whose activation ranges are merged as they go (so memory holds one stride's
    intermediate tensors, not every row's)."""
    import numpy as np
    import onnx
    from onnxruntime.quantization import CalibrationDataReader

    from slm_platform.ml import onnx_engine

    names = [node.name for node in onnx.load(str(graph), load_external_data=False).graph.input]
    max_length = onnx_engine._read_config(artifact_dir)["max_length"]
    encoded = onnx_engine._load_tokenizer(artifact_dir)(list(texts), truncation=True,
                                                         max_length=max_length)
    rows = [{name: np.array([encoded[name][i]], dtype=np.int64) for name in names}
            for i in range(len(texts))]

    class Rows(CalibrationDataReader):
        def __init__(self):
            self.set_range(start_index=0, end_index=len(rows))

        def __len__(self) -> int:
            return len(rows)

        def set_range(self, start_index: int, end_index: int) -> None:
            self.rows = iter(rows[start_index:end_index])

        def get_next(self) -> dict | None:
            return next(self.rows, None)

    return Rows()


def _calibration_stride(rows: int) -> int:
    """The largest divisor of `rows` up to CALIBRATION_STRIDE (ORT wants strides that divide
    the rows exactly)."""
    return max(d for d in range(1, min(rows, CALIBRATION_STRIDE) + 1) if rows % d == 0)


# --- shared steps ----------------------------------------------------------------------------

def _copy_source(source_dir: Path, output_dir: Path, leave_out: Sequence[str] = ()) -> None:
    """Copy the source's files into output_dir (real copies: a symlinked file is copied by
    content), without its ONNX cache (the method writes the engine it serves)."""
    from slm_platform.ml.artifacts import is_sequence_classifier

    if not is_sequence_classifier(source_dir):
        raise ValueError("source_dir: only a fine-tuned sequence classifier can be quantized; "
                         "this artifact is another kind")
    skipped = {ONNX_DIR, *leave_out}
    shutil.copytree(source_dir, output_dir, symlinks=False,
                    ignore=lambda folder, names: [n for n in names if Path(folder) ==
                                                  Path(source_dir) and n in skipped])


def _fp32_graph(source_dir: Path, output_dir: Path) -> Path:
    """The fused fp32 graph inside output_dir: the source's cached one copied (it was checked
    against torch when exported), else exported from the copied weights."""
    from slm_platform.ml import onnx_engine

    cached = onnx_engine.onnx_path(source_dir, "fp32")
    target = onnx_engine.onnx_path(output_dir, "fp32")
    if cached.exists():
        target.parent.mkdir(exist_ok=True)
        shutil.copyfile(cached, target)
        return target
    return onnx_engine.ensure_onnx(output_dir, "fp32")


def _onnx_check(output_dir: Path, precision: str, data, reference=None,
                max_label_f1_drop: float = DEFAULT_MAX_LABEL_F1_DROP) -> tuple[dict | None, object]:
    """The check of output_dir's `precision` engine against `reference`, the source's
    validation logits; when None, they are its fp32 graph's (a copy of the source's). Returns
    the check and the reference logits."""
    from slm_platform.ml.onnx_engine import OnnxClassifier

    if not data.validation_texts:
        return None, None
    if reference is None:
        reference = _reference_logits(OnnxClassifier.load(output_dir, precision="fp32"), data)
    return _check(OnnxClassifier.load(output_dir, precision=precision), reference, output_dir,
                  data, max_label_f1_drop), reference


def _reference_logits(classifier, data):
    return classifier.logits(list(data.validation_texts[:MAX_CHECK_ROWS]))


def _check(compressed, reference, output_dir: Path, data,
           max_label_f1_drop: float = DEFAULT_MAX_LABEL_F1_DROP) -> dict | None:
    """Validation accuracy and macro-F1 of the source (`reference` logits) and of the
    compressed model, how often their answers agree, what the activation gate (at
    `max_label_f1_drop`) would object to, and the compressed model's temperature refitted on
    the same rows (written to its calibration.json)."""
    import numpy as np

    from slm_platform.ml.gate import gate_reasons
    from slm_platform.ml.onnx_engine import _decided

    if not data.validation_texts:
        return None
    texts = list(data.validation_texts[:MAX_CHECK_ROWS])
    targets = list(data.validation_targets[:MAX_CHECK_ROWS])
    scheme = compressed.scheme
    logits = compressed.logits(texts)
    # Rows labelled outside the artifact's labels count in accuracy, not in the temperature.
    known = [i for i, target in enumerate(targets) if scheme.multi_label or target in scheme.index]
    temperature = scheme.fit_temperature(logits[known], [targets[i] for i in known])
    report = scheme.report(logits, targets, temperature)
    (Path(output_dir) / CALIBRATION_FILE).write_text(json.dumps(report["calibration"],
                                                                indent=2))
    source = scheme.report(reference, targets, 1.0)
    agreement = np.mean(_decided(scheme, reference) == _decided(scheme, logits))
    return {"examples": len(texts), "source_accuracy": source["accuracy"],
            "accuracy": report["accuracy"],
            "accuracy_delta_points": round(100 * (report["accuracy"] - source["accuracy"]), 2),
            "source_macro_f1": source["macro_f1"], "macro_f1": report["macro_f1"],
            "macro_f1_delta_points": round(100 * (report["macro_f1"] - source["macro_f1"]), 2),
            "label_agreement": round(100 * float(agreement), 2),
            "gate_reasons": gate_reasons(report, source, max_label_f1_drop=max_label_f1_drop),
            "temperature": temperature}


def _pin(output_dir: Path, precision: str, *, engine: str, method: str, check: dict | None,
         engine_file: Path, **details) -> dict:
    """Write onnx/precision.json pinned to `precision`; returns the method's details."""
    from slm_platform.ml.onnx_engine import write_precision

    record = {"precision": precision, "engine": engine, "pinned_by": method,
              "engine_file": str(Path(engine_file).relative_to(output_dir)),
              "engine_bytes": Path(engine_file).stat().st_size, **details,
              "validation": check}
    write_precision(output_dir, record)
    return record


def _progress(on_progress: Callable[[dict], None] | None, phase: str, **info) -> None:
    if on_progress:
        on_progress({"phase": phase, **info})


def _check_stop(should_stop: Callable[[], bool] | None) -> None:
    if should_stop and should_stop():
        from slm_platform.ml.compression import CompressionCancelled

        raise CompressionCancelled("stopped on request")

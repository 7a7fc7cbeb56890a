"""Static int8 of onnx_engine's fused fp32 graph, the engine the int8-static method
(quantize.py) serves: activation ranges calibrated once on training texts, then ONNX Runtime's
dynamic pass over what the static pass leaves in fp32 (STATIC_RECIPE). Also quiets ONNX
Runtime's quantizer log, for both int8 methods.

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

Imports ONNX Runtime only inside its functions: the web process imports quantize.py.
"""

import logging
import shutil
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path

# Calibration rows run between two merges of the activation ranges (bounds its memory).
CALIBRATION_STRIDE = 16
# The static int8 recipe, chosen by measuring the variants (module docstring).
STATIC_RECIPE = {
    "graph": "onnx_engine's fused fp32 graph",
    "static": "QOperator (QLinearMatMul, QEmbedLayerNormalization): embeddings, attention "
              "output and feed-forward input projections; uint8 activations with MinMax "
              "ranges, int8 per-channel weights",
    "dynamic": "fused Attention (ONNX Runtime has no static int8 kernel for it) and the "
               "feed-forward output projections (fed by the GELU: static ranges lost accuracy)",
}


def write_static_int8(artifact_dir: Path, texts: Sequence[str]) -> Path:
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
        with quantizer_warnings_quiet():
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
def quantizer_warnings_quiet():
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

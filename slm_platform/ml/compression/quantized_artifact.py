"""The steps the quantization methods (quantize.py) share to make their artifact: copy the
source's files, get its fused fp32 graph, check the quantized model against the source on the
validation rows (refitting its temperature), pin the served precision, and report progress or
stop between steps. qat.py copies the source the same way for its fine-tuned weights.

Imports torch and ONNX Runtime only inside its functions: the web process imports quantize.py.
"""

import json
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

from slm_platform.ml.gate import DEFAULT_MAX_LABEL_F1_DROP

ONNX_DIR = "onnx"  # as onnx_engine names them; imported there with torch
CALIBRATION_FILE = "calibration.json"
WEIGHTS_FILE = "model.safetensors"
MODEL_CONFIG_FILE = "config.json"
# Validation rows scored for the check and the temperature (the first ones, in order).
MAX_CHECK_ROWS = 5_000


def copy_source(source_dir: Path, output_dir: Path, leave_out: Sequence[str] = ()) -> None:
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


def fp32_graph(source_dir: Path, output_dir: Path) -> Path:
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


def onnx_check(output_dir: Path, precision: str, data, reference=None,
               max_label_f1_drop: float = DEFAULT_MAX_LABEL_F1_DROP) -> tuple[dict | None, object]:
    """The check of output_dir's `precision` engine against `reference`, the source's
    validation logits; when None, they are its fp32 graph's (a copy of the source's). Returns
    the check and the reference logits."""
    from slm_platform.ml.onnx_engine import OnnxClassifier

    if not data.validation_texts:
        return None, None
    if reference is None:
        reference = reference_logits(OnnxClassifier.load(output_dir, precision="fp32"), data)
    return validation_check(OnnxClassifier.load(output_dir, precision=precision), reference,
                            output_dir, data, max_label_f1_drop), reference


def reference_logits(classifier, data):
    return classifier.logits(list(data.validation_texts[:MAX_CHECK_ROWS]))


def validation_check(compressed, reference, output_dir: Path, data,
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


def pin(output_dir: Path, precision: str, *, engine: str, method: str, check: dict | None,
        engine_file: Path, **details) -> dict:
    """Write onnx/precision.json pinned to `precision`; returns the method's details."""
    from slm_platform.ml.onnx_engine import write_precision

    record = {"precision": precision, "engine": engine, "pinned_by": method,
              "engine_file": str(Path(engine_file).relative_to(output_dir)),
              "engine_bytes": Path(engine_file).stat().st_size, **details,
              "validation": check}
    write_precision(output_dir, record)
    return record


def progress(on_progress: Callable[[dict], None] | None, phase: str, **info) -> None:
    if on_progress:
        on_progress({"phase": phase, **info})


def check_stop(should_stop: Callable[[], bool] | None) -> None:
    if should_stop and should_stop():
        from slm_platform.ml.compression import CompressionCancelled

        raise CompressionCancelled("stopped on request")

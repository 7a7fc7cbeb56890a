"""Quantization-aware fine-tuning (QAT) for the int8 methods, for when post-training int8 loses
more than the activation gate allows.

Options of int8-dynamic and int8-static:

    qat                false (default): post-training int8 only. true: also fine-tune.
                       "auto": fine-tune only when post-training int8 fails the activation gate
                       against the source on the validation rows (macro-F1 lower, or a label's
                       F1 down by more than max_label_f1_drop), as the registry's gate would
                       judge it on the test set
    max_label_f1_drop  the gate's margin (0.02, the gate's default)
    qat_epochs (1), qat_max_steps (0: whole epochs), qat_learning_rate (5e-5), qat_alpha (0.9),
    qat_temperature (2.0)
                       the fine-tune's schedule and loss: training.py's distillation mix, the
                       fp32 source its teacher (labels weighted alpha, its soft answers 1 - alpha)

The fine-tune starts from the source's weights with fake quantization that mirrors what the
method's ONNX Runtime graph computes (fake_quant.py: int8 per-channel symmetric weights, uint8
activations per batch, and for static int8 the calibrated ranges and int8 embeddings), so it
learns weights that survive the rounding. The fake quantization is then removed, the weights
exported to ONNX and quantized by the very same steps as post-training int8, and of the two
results the one better on validation is kept (passing the gate first, then macro-F1, then
accuracy; a tie keeps post-training int8). The report's "qat" entry says whether QAT ran,
why, both validation figures and which was kept. A kept QAT artifact's model.safetensors holds
the fine-tuned fp32 weights (what a GPU worker serves with torch).

Measured on CLINC150 (the MiniLM source bench/bulk_engine.py fine-tunes for one epoch; one
seed; validation accuracy / test accuracy, the test set's 1,000 out-of-scope queries included):
source 94.10 / 82.13. Post-training int8 loses nothing there: dynamic 94.03 / 82.36, static
94.19 / 82.27, yet fails the gate on validation (one answer changed moves a label's F1 by 0.02
to 0.04 at 20 rows a label), so "auto" fine-tunes. QAT at learning rate 2e-5, alpha 0.5:
dynamic 94.13 / 82.00, static 94.06 / 81.85; at 5e-5, alpha 0.9 (the defaults): dynamic
94.65 / 83.05, static 94.55 / 82.93, but the same fine-tune without fake quantization then
post-training int8 gave 94.29 / 82.93 and 94.52 / 83.04: on this under-trained source the gain
is the extra epoch's, not the quantization awareness. The fake-quantized model's validation
accuracy came within 0.1 point of the exported int8 model's.

Imports torch only inside its functions: the web process checks these options.
"""

import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from slm_platform.ml.compression.options import check_known, number, training_options_clean
from slm_platform.ml.gate import DEFAULT_MAX_LABEL_F1_DROP

QAT_MODES = ("auto", True, False)
QAT_DEFAULTS = {"epochs": 1, "learning_rate": 5e-5, "alpha": 0.9}
QAT_TRAINING_OPTIONS = (
    "qat_epochs",
    "qat_max_steps",
    "qat_learning_rate",
    "qat_alpha",
    "qat_temperature",
)
QAT_OPTIONS = ("qat", "max_label_f1_drop", *QAT_TRAINING_OPTIONS)
# The figures of each candidate the report keeps (quantized_artifact.validation_check's keys).
REPORTED = (
    "examples",
    "accuracy",
    "accuracy_delta_points",
    "macro_f1",
    "macro_f1_delta_points",
    "label_agreement",
    "gate_reasons",
)

# build(weights_dir, target, reference, on_progress) -> (details, reference): the method's
# post-training steps, quantizing the artifact at weights_dir into target and checking it
# against the source's validation logits (`reference`; computed and returned when None).
Build = Callable[..., tuple[dict, object]]


def qat_options_clean(options: dict, known: Sequence[str] = ()) -> dict:
    """The QAT options (see the module docstring) with defaults; `known` are the method's
    own options. Only {"qat": false} when QAT is off."""
    check_known(options, (*known, *QAT_OPTIONS))
    mode = options.get("qat", False)
    if not (isinstance(mode, bool) or mode == "auto"):
        raise ValueError(f'qat must be true, false or "auto", not {mode!r}')
    given = [name for name in QAT_OPTIONS[1:] if name in options]
    if mode is False:
        if given:
            raise ValueError(f'{given[0]}: applies only with qat true or "auto"')
        return {"qat": False}
    try:
        training = training_options_clean(
            {
                name.removeprefix("qat_"): options[name]
                for name in QAT_TRAINING_OPTIONS
                if name in options
            },
            defaults=QAT_DEFAULTS,
        )
    except ValueError as exc:  # its message starts with the unprefixed option name
        raise ValueError(f"qat_{exc}") from None
    return {
        "qat": mode,
        "max_label_f1_drop": number(
            options, "max_label_f1_drop", default=DEFAULT_MAX_LABEL_F1_DROP, low=0.0, high=1.0
        ),
        **{f"qat_{name}": value for name, value in training.items()},
    }


def int8_with_qat(
    build: Build,
    *,
    static: bool,
    source_dir: Path,
    output_dir: Path,
    data,
    options: dict,
    calibration_texts: Sequence[str] = (),
    on_progress: Callable[[dict], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> dict:
    """Post-training int8 into output_dir, then QAT as `options` say (module docstring);
    returns the kept artifact's details, with a "qat" entry unless QAT is off."""
    mode = options["qat"]
    if mode is not False and not data.validation_texts:
        raise ValueError(
            "validation_texts: qat compares int8 with its source on validation rows; none given"
        )
    details, reference = build(source_dir, output_dir, None, on_progress)
    if mode is False:
        return details
    ptq = details["validation"]
    if mode == "auto" and not ptq["gate_reasons"]:
        return _record(
            output_dir,
            details,
            options,
            ran=False,
            kept="ptq",
            ptq=ptq,
            reason="post-training int8 passes the gate on validation",
        )
    reason = (
        "asked for (qat: true)"
        if mode is True
        else f"post-training int8 fails the gate on validation: {ptq['gate_reasons'][0]}"
    )
    qat_progress = _prefixed(on_progress, "qat ")
    with tempfile.TemporaryDirectory(prefix=".qat-", dir=Path(output_dir).parent) as work:
        weights_dir, candidate = Path(work) / "weights", Path(work) / "int8"
        training = fine_tune(
            source_dir=source_dir,
            weights_dir=weights_dir,
            data=data,
            options=options,
            static=static,
            calibration_texts=calibration_texts,
            on_progress=qat_progress,
            should_stop=should_stop,
        )
        qat_details, _ = build(weights_dir, candidate, reference, qat_progress)
        qat = qat_details["validation"]
        kept = "qat" if _rank(qat) > _rank(ptq) else "ptq"
        if kept == "qat":
            shutil.rmtree(output_dir)
            os.replace(candidate, output_dir)
            details = qat_details
    return _record(
        output_dir,
        details,
        options,
        ran=True,
        kept=kept,
        ptq=ptq,
        qat=qat,
        training=training,
        reason=reason,
    )


def fine_tune(
    *,
    source_dir: Path,
    weights_dir: Path,
    data,
    options: dict,
    static: bool,
    calibration_texts: Sequence[str],
    on_progress=None,
    should_stop=None,
) -> dict:
    """Fine-tune the source with fake quantization (the static ranges calibrated on
    `calibration_texts` first) and write it, fake quantization removed, as an artifact at
    weights_dir (the source's files with the new weights). Returns train_student's summary."""
    from slm_platform.ml.classifier import TextClassifier
    from slm_platform.ml.compression import fake_quant
    from slm_platform.ml.compression.quantized_artifact import (
        MODEL_CONFIG_FILE,
        WEIGHTS_FILE,
        copy_source,
    )
    from slm_platform.ml.compression.training import load_source, train_student
    from slm_platform.ml.runtime import best_device

    source = load_source(source_dir)
    # Loaded again rather than copied from the source, which load_source densifies: a
    # factorized (low-rank) layer stays factorized, so the weights fit the copied low_rank.json.
    student = TextClassifier.load(source_dir, device="cpu").model
    training = {
        "max_steps": options["qat_max_steps"],
        "learning_rate": options["qat_learning_rate"],
        "alpha": options["qat_alpha"],
        "temperature": options["qat_temperature"],
    }
    with fake_quant.fake_quantized(student, static=static):
        if static:
            _progress(on_progress, "calibrating", rows=len(calibration_texts))
            device = best_device()
            fake_quant.calibrate(
                student.to(device),
                source.tokenizer,
                calibration_texts,
                max_length=source.config.max_length,
                device=device,
            )
        # fp32 throughout: the rounding mirrored is that of fp32 ONNX Runtime kernels.
        _, _, summary = train_student(
            student,
            source,
            data,
            options=training,
            epochs=options["qat_epochs"],
            on_progress=on_progress,
            should_stop=should_stop,
            config_overrides={"bf16": False},
        )
    copy_source(source_dir, weights_dir, leave_out=(WEIGHTS_FILE, MODEL_CONFIG_FILE))
    student.to("cpu").save_pretrained(weights_dir, safe_serialization=True)
    return summary


def _rank(check: dict) -> tuple:
    return (not check["gate_reasons"], check["macro_f1"], check["accuracy"])


def _record(
    output_dir: Path,
    details: dict,
    options: dict,
    *,
    ran: bool,
    kept: str,
    reason: str,
    ptq: dict,
    qat: dict | None = None,
    training: dict | None = None,
) -> dict:
    """The details with their "qat" entry, written to the artifact's pinned record too."""
    from slm_platform.ml.onnx_engine import write_precision

    entry = {
        "mode": options["qat"],
        "ran": ran,
        "reason": reason,
        "kept": kept,
        "max_label_f1_drop": options["max_label_f1_drop"],
        "ptq": {key: ptq[key] for key in REPORTED},
    }
    if ran:
        entry["qat"] = {key: qat[key] for key in REPORTED}
        entry["training"] = training
    details = {**details, "qat": entry}
    write_precision(output_dir, details)
    return details


def _prefixed(on_progress, prefix: str):
    if on_progress is None:
        return None
    return lambda info: on_progress({**info, "phase": prefix + info["phase"]})


def _progress(on_progress, phase: str, **info) -> None:
    if on_progress:
        on_progress({"phase": phase, **info})

"""Quantization-aware fine-tuning for the int8 methods: fake quantization that computes what
ONNX Runtime's int8 graphs compute, with gradients through it, and the `qat` option's decision
(the activation gate on validation rows) and report."""

import json
from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn

from slm_platform.ml import onnx_engine
from slm_platform.ml.artifacts import load_fast_predictor
from slm_platform.ml.classifier import TextClassifier
from slm_platform.ml.compression import CompressionData, compress, options_clean
from slm_platform.ml.compression.fake_quant import (
    FakeQuantLinear,
    calibrate,
    fake_quant_uint8,
    fake_quant_weight,
    fake_quantized,
)
from slm_platform.ml.finetune import train_classifier
from slm_platform.ml.gate import gate_reasons
from slm_platform.ml.onnx_engine import OnnxClassifier
from slm_platform.ml.types import TrainConfig
from tasks_finance.transaction_category.labels import CATEGORIES
from tasks_finance.transaction_category.normalise import normalise_description
from tasks_finance.transaction_category.starter_data import generate_examples

SERVED = {"int8-dynamic": "int8", "int8-static": "int8-static"}


def _exact_int8_kernels() -> bool:
    """Whether ONNX Runtime's int8 kernels multiply exactly here (VNNI or AMX int8)."""
    flags = next((line for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("flags")), "").split()
    return bool({"avx512_vnni", "avx_vnni", "amx_int8"} & set(flags))


def _rows(count: int, seed: int) -> tuple[list, list]:
    rows = [(normalise_description(t), y) for t, y in generate_examples(count, seed=seed)]
    return [t for t, _ in rows], [y for _, y in rows]


@pytest.fixture(scope="module")
def data() -> CompressionData:
    train_texts, train_targets = _rows(240, 3)
    validation_texts, validation_targets = _rows(80, 9)
    return CompressionData(train_texts=train_texts, train_targets=train_targets,
                           validation_texts=validation_texts,
                           validation_targets=validation_targets)


@pytest.fixture(scope="module")
def source(tmp_path_factory, data) -> Path:
    """A tiny-random-bert classifier (mean pooling) after a few epochs."""
    config = TrainConfig(base_model="tiny-random-bert", epochs=3, learning_rate=3e-3,
                         max_length=24, pooling="mean", freeze_word_embeddings=False)
    output_dir = tmp_path_factory.mktemp("source")
    train_classifier(data.train_texts, data.train_targets, label_set=CATEGORIES,
                     config=config, output_dir=output_dir)
    return output_dir


def test_weights_land_on_the_int8_grid_and_gradients_flow():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(16, 4))
    linear = model[0]
    quantized = fake_quant_weight(linear.weight)
    scale = linear.weight.detach().abs().amax(dim=1, keepdim=True) / 127
    steps = quantized.detach() / scale
    assert torch.allclose(steps, steps.round(), atol=1e-4)
    assert steps.abs().max() <= 127 + 1e-4
    assert torch.allclose(steps.abs().amax(dim=1), torch.full((4,), 127.0))  # per row
    assert not torch.equal(quantized, linear.weight)
    assert (quantized - linear.weight).abs().max() <= scale.max() / 2 + 1e-7

    inputs = torch.randn(3, 16, requires_grad=True)
    with fake_quantized(model, static=False):
        assert isinstance(model[0], FakeQuantLinear) and model[0].linear is linear
        model(inputs).sum().backward()
    assert model[0] is linear
    # Straight through the rounding: the gradients of a Linear over the rounded values.
    rounded_inputs = fake_quant_uint8(inputs, inputs.detach().min(), inputs.detach().max())
    assert torch.allclose(linear.weight.grad, torch.ones(3, 4).T @ rounded_inputs.detach())
    assert torch.allclose(linear.bias.grad, torch.full((4,), 3.0))
    assert torch.allclose(inputs.grad, torch.ones(3, 4) @ quantized.detach())


def test_activations_land_on_the_uint8_grid():
    x = torch.linspace(-1.0, 3.0, 101, requires_grad=True)
    low, high = torch.tensor(-0.5), torch.tensor(2.0)
    quantized = fake_quant_uint8(x, low, high)
    scale = 2.5 / 255
    zero = round(0.5 / scale)
    steps = quantized.detach() / scale + zero
    assert torch.allclose(steps, steps.round(), atol=1e-3)
    assert steps.min() >= -1e-3 and steps.max() <= 255 + 1e-3
    assert quantized.detach().min() == pytest.approx(-zero * scale)  # clamped at the range
    quantized.sum().backward()
    inside = (x.detach() >= -zero * scale) & (x.detach() <= (255 - zero) * scale)
    assert torch.equal(x.grad, inside.float())  # zero where clamped
    # Zero stays exact, and a range not spanning 0 is widened to include it.
    assert fake_quant_uint8(torch.zeros(3), torch.tensor(0.0), torch.tensor(0.0)).eq(0).all()
    assert fake_quant_uint8(torch.tensor([0.0, 1.0]), torch.tensor(0.5),
                            torch.tensor(1.0))[0] == 0


@pytest.mark.parametrize("method", ["int8-dynamic", "int8-static"])
def test_the_fake_quantized_model_computes_what_onnx_runtime_computes(method, source, data,
                                                                      tmp_path):
    """Row by row (dynamic ranges are per batch), the fake-quantized torch model gives the int8
    engine's logits to float rounding, where the fp32 model is measurably off. (A value that
    float rounding puts on the other side of a rounding boundary moves one grid step: the odd
    row may differ a little more.)"""
    output_dir = tmp_path / method
    # Every training text calibrates (a seeded sample of all of them: the same ranges).
    options = {"calibration_rows": 10_000} if method == "int8-static" else {}
    compress(method, source_dir=source, output_dir=output_dir, data=data, options=options)
    engine = OnnxClassifier.load(output_dir, precision=SERVED[method])
    classifier = TextClassifier.load(source, device="cpu")
    texts = _rows(30, 21)[0]

    def logits(model) -> np.ndarray:
        return np.stack([model.logits([text])[0] for text in texts])

    served, fp32 = logits(engine), logits(classifier)
    with fake_quantized(classifier.model, static=method == "int8-static"):
        if method == "int8-static":
            calibrate(classifier.model, classifier.tokenizer, data.train_texts,
                      max_length=classifier.max_length, device="cpu")
        mirrored = logits(classifier)
    fp32_error = np.abs(fp32 - served).max(axis=1)
    mirrored_error = np.abs(mirrored - served).max(axis=1)
    assert np.median(fp32_error) > 1e-4, fp32_error
    if _exact_int8_kernels():
        assert np.mean(mirrored_error < 1e-5) >= 0.8, mirrored_error
        assert mirrored_error.max() < fp32_error.max()
    else:
        # Without VNNI, ONNX Runtime's AVX2 kernel adds pairs of uint8 x int8 products in int16
        # (vpmaddubsw), which saturates: the engine itself leaves exact integer arithmetic, so
        # the mirror can only be nearer to it than fp32 is.
        assert np.median(mirrored_error) < np.median(fp32_error), (mirrored_error, fp32_error)


@pytest.mark.parametrize("method", ["int8-dynamic", "int8-static"])
def test_qat_true_fine_tunes_and_reports_both_results(method, source, data, tmp_path):
    output_dir = tmp_path / method
    phases = []
    options = {"qat": True, "qat_epochs": 2, "qat_learning_rate": 1e-3}
    if method == "int8-static":
        options["calibration_rows"] = 64
    details = compress(method, source_dir=source, output_dir=output_dir, data=data,
                       options=options, on_progress=lambda info: phases.append(info["phase"]))
    qat = details["qat"]
    assert qat["mode"] is True and qat["ran"] and qat["reason"] == "asked for (qat: true)"
    assert details["options"]["qat_epochs"] == 2 and qat["max_label_f1_drop"] == 0.02
    for figures in (qat["ptq"], qat["qat"]):
        assert figures["examples"] == 80 and 0 <= figures["accuracy"] <= 1
        assert isinstance(figures["gate_reasons"], list)
    training = qat["training"]
    assert training["epochs_run"] in (1, 2) and training["steps_per_epoch"] > 0
    assert len(training["history"]) == training["epochs_run"]
    assert {"qat training", "qat exporting", "qat checking"} <= set(phases)
    assert phases.index("checking") < phases.index("qat training")
    # The kept result is the one served, with its figures, and the pinned record says so.
    kept = qat[qat["kept"]]
    assert details["validation"]["accuracy"] == kept["accuracy"]
    assert details["validation"]["macro_f1"] == kept["macro_f1"]
    pinned = json.loads((output_dir / "onnx" / "precision.json").read_text())
    assert pinned["qat"]["kept"] == qat["kept"] and pinned["precision"] == SERVED[method]
    assert load_fast_predictor(output_dir).precision == SERVED[method]
    assert {path.name for path in (output_dir / "onnx").iterdir()} == {
        onnx_engine.onnx_path(output_dir, SERVED[method]).name, "precision.json"}
    same_weights = ((output_dir / "model.safetensors").read_bytes()
                    == (source / "model.safetensors").read_bytes())
    assert same_weights == (qat["kept"] == "ptq")
    assert not list(tmp_path.glob(".qat-*"))


def test_auto_leaves_post_training_int8_alone_when_it_passes_the_gate(source, data, tmp_path):
    """Validation rows the source answers with a margin (0.1) far beyond what int8's rounding
    moves this model's logits (a few thousandths): their answers cannot change, so
    post-training int8 passes the gate and no fine-tune runs."""
    texts, targets = _rows(200, 9)
    logits = TextClassifier.load(source, device="cpu").logits(texts)
    top = np.sort(logits, axis=1)
    clear = [i for i in range(len(texts)) if top[i, -1] - top[i, -2] > 0.1]
    assert len(clear) >= 20
    clear_data = CompressionData(data.train_texts, data.train_targets,
                                 [texts[i] for i in clear], [targets[i] for i in clear])
    phases = []
    details = compress("int8-dynamic", source_dir=source, output_dir=tmp_path / "auto",
                       data=clear_data, options={"qat": "auto"},
                       on_progress=lambda info: phases.append(info["phase"]))
    qat = details["qat"]
    assert qat["mode"] == "auto" and qat["ran"] is False and qat["kept"] == "ptq"
    assert qat["reason"] == "post-training int8 passes the gate on validation"
    assert qat["ptq"]["gate_reasons"] == [] and qat["ptq"]["label_agreement"] == 100.0
    assert "qat" not in qat and "training" not in qat
    assert phases == ["exporting", "quantizing", "checking"]


def test_qat_needs_validation_rows(source, data, tmp_path):
    no_validation = CompressionData(data.train_texts, data.train_targets, [], [])
    with pytest.raises(ValueError, match="^validation_texts"):
        compress("int8-dynamic", source_dir=source, output_dir=tmp_path / "x",
                 data=no_validation, options={"qat": "auto"})
    assert not (tmp_path / "x").exists()


def test_qat_options_get_their_defaults():
    assert options_clean("int8-dynamic", {}) == {"qat": False}
    expected = {"qat": "auto", "max_label_f1_drop": 0.02, "qat_epochs": 1, "qat_max_steps": 0,
                "qat_learning_rate": 5e-5, "qat_alpha": 0.9, "qat_temperature": 2.0}
    assert options_clean("int8-dynamic", {"qat": "auto"}) == expected
    static = options_clean("int8-static", {"qat": True, "qat_epochs": 3})
    assert static == {"calibration_rows": 512, "seed": 13, **expected, "qat": True,
                      "qat_epochs": 3}
    for cleaned in (expected, static, {"qat": False}):
        method = "int8-static" if "seed" in cleaned else "int8-dynamic"
        assert options_clean(method, cleaned) == cleaned


@pytest.mark.parametrize(("options", "field"), [
    ({"qat": "yes"}, "qat"),
    ({"qat": 1}, "qat"),
    ({"qat_epochs": 2}, "qat_epochs"),
    ({"qat": False, "max_label_f1_drop": 0.1}, "max_label_f1_drop"),
    ({"qat": True, "qat_epochs": 0}, "qat_epochs"),
    ({"qat": True, "qat_learning_rate": 1}, "qat_learning_rate"),
    ({"qat": True, "qat_alpha": 1.5}, "qat_alpha"),
    ({"qat": "auto", "max_label_f1_drop": -0.1}, "max_label_f1_drop"),
    ({"qat": True, "qat_momentum": 0.9}, "qat_momentum"),
])
def test_bad_qat_options_name_the_field(options, field):
    for method in ("int8-dynamic", "int8-static"):
        with pytest.raises(ValueError, match=f"^{field}"):
            options_clean(method, options)


def test_gate_reasons_follow_the_activation_gate():
    def report(macro: float, **f1) -> dict:
        return {"macro_f1": macro, "per_label": {k: {"f1": v} for k, v in f1.items()}}

    baseline = report(0.80, a=0.9, b=0.7)
    assert gate_reasons(report(0.80, a=0.9, b=0.7), baseline, max_label_f1_drop=0.02) == []
    assert gate_reasons(report(0.81, a=0.95, b=0.69), baseline, max_label_f1_drop=0.02) == []
    reasons = gate_reasons(report(0.79, a=0.9, b=0.6), baseline, max_label_f1_drop=0.02)
    assert reasons[0] == "macro-F1 drops from 0.8000 to 0.7900"
    assert reasons[1].startswith("F1 of 'b' drops by 0.1000")
    assert gate_reasons(report(0.80, a=0.9, b=0.6), baseline, max_label_f1_drop=0.2) == []
    # A label the candidate lacks counts as F1 0.
    assert len(gate_reasons(report(0.8, a=0.9), baseline, max_label_f1_drop=0.02)) == 1

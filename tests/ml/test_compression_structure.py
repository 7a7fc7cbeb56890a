"""Distillation, pruning and low-rank factorization change a classifier's structure as asked and
leave a servable artifact: the student starts from the teacher's chosen layers, pruning removes
what measurably matters least, low-rank ranks follow the retained energy, and every output
reloads (torch, and the fused ONNX export) with the logits it was saved with.

The sources are tiny random BERTs with 4 layers, initialised with a wide spread (0.5) so that
each layer changes the answers; the recovery and distillation runs of the structure tests use a
negligible learning rate, so the saved weights are the ones the method chose."""

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from safetensors.torch import load_file
from transformers import BertConfig, BertForSequenceClassification

from slm_platform.ml import encoders
from slm_platform.ml.artifacts import load_fast_predictor, load_predictor
from slm_platform.ml.classifier import TextClassifier
from slm_platform.ml.compression import CompressionData, compress, options_clean
from slm_platform.ml.compression.distill import chosen_layers, keep_layers
from slm_platform.ml.compression.low_rank import LOW_RANK_FILE, densify, factorize
from slm_platform.ml.compression.training import copy_model, distillation_loss, load_source
from slm_platform.ml.finetune import save_artifact
from slm_platform.ml.onnx_engine import OnnxClassifier, onnx_path
from slm_platform.ml.pooling import MeanPooledClassifier
from slm_platform.ml.schemes import scheme_for
from slm_platform.ml.types import TrainConfig, TrainResult
from tasks_finance.transaction_category.labels import CATEGORIES
from tasks_finance.transaction_category.normalise import normalise_description
from tasks_finance.transaction_category.starter_data import generate_examples

LABELS = list(CATEGORIES)
# Training that leaves the weights where the method put them (to ~1e-8).
STILL = {"max_steps": 2, "learning_rate": 1e-9}


def _rows(count: int, seed: int) -> tuple[list[str], list[str]]:
    rows = [(normalise_description(t), y) for t, y in generate_examples(count, seed=seed)]
    return [t for t, _ in rows], [y for _, y in rows]


@pytest.fixture(scope="module")
def data() -> CompressionData:
    train_texts, train_targets = _rows(120, 3)
    validation_texts, validation_targets = _rows(60, 9)
    return CompressionData(train_texts=train_texts, train_targets=train_targets,
                           validation_texts=validation_texts,
                           validation_targets=validation_targets,
                           unlabelled_texts=_rows(40, 11)[0])


def _tiny_source(directory: Path, *, edit=None, multi_label: bool = False,
                 pooling: str = "cls") -> Path:
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=30522, hidden_size=32, num_hidden_layers=4, num_attention_heads=2,
        intermediate_size=64, max_position_embeddings=64, initializer_range=0.5,
        num_labels=len(LABELS), id2label=dict(enumerate(LABELS)),
        label2id={label: i for i, label in enumerate(LABELS)},
        problem_type="multi_label_classification" if multi_label
        else "single_label_classification")
    model = (MeanPooledClassifier if pooling == "mean" else BertForSequenceClassification)(config)
    if edit:
        with torch.no_grad():
            edit(model)
    save_artifact(model, encoders.load_tokenizer(encoders.TINY_RANDOM), LABELS,
                  TrainConfig(base_model=encoders.TINY_RANDOM, max_length=24, pooling=pooling,
                              multi_label=multi_label),
                  TrainResult(labels=LABELS), directory)
    return directory


@pytest.fixture(scope="module")
def teacher(tmp_path_factory) -> Path:
    return _tiny_source(tmp_path_factory.mktemp("teacher"))


def _weights(artifact: Path) -> dict:
    return load_file(str(artifact / "model.safetensors"))


def _layers(artifact: Path) -> int:
    return json.loads((artifact / "config.json").read_text())["num_hidden_layers"]


def _assert_servable(artifact: Path, texts: list[str]) -> np.ndarray:
    """Torch and the fused ONNX export load it and agree; labels, config and a calibration
    refitted on validation data are there. Returns the torch logits."""
    expected = load_predictor(artifact, device="cpu").logits(texts)
    fast = load_fast_predictor(artifact)
    assert isinstance(fast, OnnxClassifier)
    # The fused ONNX graph's kernels round differently from torch's: 1.4e-4 seen on AVX-512.
    np.testing.assert_allclose(fast.logits(texts), expected, atol=5e-4)
    assert json.loads((artifact / "labels.json").read_text()) == LABELS
    assert json.loads((artifact / "training_config.json").read_text())["config"][
        "max_length"] == 24
    assert 0.05 <= json.loads((artifact / "calibration.json").read_text())["temperature"] <= 20
    return expected


def test_layer_choices():
    assert chosen_layers(6, 3, "spread") == [1, 3, 5]
    assert chosen_layers(6, 2, "spread") == [2, 5]
    assert chosen_layers(6, 1, "spread") == [5]
    assert chosen_layers(6, 3, "first") == [0, 1, 2]
    assert chosen_layers(6, 3, "last") == [3, 4, 5]
    assert chosen_layers(6, 3, "alternate") == [0, 2, 4]
    assert chosen_layers(6, 2, "alternate") == [0, 3]
    assert chosen_layers(12, 4, "alternate") == [0, 3, 6, 9]
    with pytest.raises(ValueError, match="^student_layers"):
        chosen_layers(6, 6, "spread")


def test_student_starts_from_the_chosen_teacher_layers_and_serves(teacher, data, tmp_path):
    """The default choice, "alternate": the bottom layer and every other one above it."""
    output = tmp_path / "student"
    details = compress("distill", source_dir=teacher, output_dir=output, data=data,
                       options={"student_layers": 2, "epochs": 1, **STILL})
    assert details["initialised_from_layers"] == [0, 2]
    assert _layers(output) == 2
    source, student = _weights(teacher), _weights(output)
    assert not any(".layer.2." in key for key in student)
    for position, layer in enumerate([0, 2]):
        for key, value in source.items():
            if f".layer.{layer}." in key:
                mine = student[key.replace(f".layer.{layer}.", f".layer.{position}.")]
                torch.testing.assert_close(mine, value, atol=1e-6, rtol=0)
    for key in ("classifier.weight", "bert.embeddings.position_embeddings.weight",
                "bert.pooler.dense.weight"):
        torch.testing.assert_close(student[key], source[key], atol=1e-6, rtol=0)
    encoder = details["parameters"]
    assert encoder["after"]["encoder"] * 2 == encoder["before"]["encoder"]
    assert details["training"]["labelled_rows"] == 120
    assert details["training"]["unlabelled_rows"] == 40
    _assert_servable(output, data.validation_texts)


def test_student_learns_the_teachers_answers(teacher, data, tmp_path):
    """Alpha 0: only the teacher's soft targets, on training and unlabelled texts; a one-layer
    student agrees with the teacher more after training than at its start."""
    predicted = TextClassifier.load(teacher, device="cpu").predict
    answers = replace(data, validation_targets=[p.label for p in
                                                predicted(data.validation_texts)])
    output = tmp_path / "student"
    details = compress("distill", source_dir=teacher, output_dir=output, data=answers,
                       options={"student_layers": 1, "layer_choice": "last", "alpha": 0.0,
                                "epochs": 8, "learning_rate": 3e-3})
    start = keep_layers(copy_model(load_source(teacher).model), [3])
    agreed = TextClassifier(start, encoders.load_tokenizer(encoders.TINY_RANDOM),
                            scheme_for(LABELS, multi_label=False), max_length=24,
                            device="cpu").evaluate(answers.validation_texts,
                                                   answers.validation_targets)["accuracy"]
    assert details["training"]["validation_accuracy"] > agreed + 0.1
    assert TextClassifier.load(output, device="cpu").evaluate(
        answers.validation_texts, answers.validation_targets)["accuracy"] > agreed + 0.1


def test_distillation_loss_mixes_labels_and_the_teachers_answers():
    torch.manual_seed(1)
    logits, temperature = torch.randn(4, 3), 2.0
    soft = torch.softmax(logits / temperature, dim=-1)
    hard = F.one_hot(torch.tensor([2, 0, 1, 1]), 3).float()
    labels = torch.cat([soft, hard, torch.tensor([[1.0], [1.0], [0.0], [0.0]])], dim=1)
    output = SimpleNamespace(logits=logits)

    def loss(alpha: float, targets=labels) -> float:
        return float(distillation_loss(classes=3, alpha=alpha, temperature=temperature,
                                       multi_label=False)(output, targets))

    assert loss(0.0) == pytest.approx(0.0, abs=1e-6)  # the student is the teacher
    assert loss(1.0) == pytest.approx(float(F.cross_entropy(logits[:2], torch.tensor([2, 0]))))
    changed = labels.clone()
    changed[2:, 3:6] = F.one_hot(torch.tensor([0, 0]), 3).float()  # unlabelled rows' targets
    assert loss(1.0, changed) == pytest.approx(loss(1.0))
    other = labels.clone()
    other[:, :3] = torch.softmax(torch.randn(4, 3), dim=-1)
    assert loss(0.0, other) > 0.01
    assert loss(0.5, other) == pytest.approx(0.5 * loss(1.0, other) + 0.5 * loss(0.0, other))


def test_multi_label_student_serves_label_sets(tmp_path):
    texts, targets = _rows(80, 4)
    sets = [[y] if i % 3 else [y, LABELS[0]] for i, y in enumerate(targets)]
    data = CompressionData(train_texts=texts[:60], train_targets=sets[:60],
                           validation_texts=texts[60:], validation_targets=sets[60:])
    source = _tiny_source(tmp_path / "teacher", multi_label=True, pooling="mean")
    output = tmp_path / "student"
    compress("distill", source_dir=source, output_dir=output, data=data,
             options={"student_layers": 2, "epochs": 1, "max_steps": 2})
    assert _layers(output) == 2
    _assert_servable(output, texts[60:])
    assert "labels" in load_predictor(output, device="cpu").serve(texts[:2])[0]


def _idle_layer_and_dead_neurons(model) -> None:
    """Layer 2 adds nothing to its input (its attention and feed-forward outputs are zero, so
    it only re-normalises); in the other layers the even feed-forward neurons reach nothing."""
    layers = model.bert.encoder.layer
    for linear in (layers[2].attention.output.dense, layers[2].output.dense):
        linear.weight.zero_()
        linear.bias.zero_()
    for index in (0, 1, 3):
        layers[index].output.dense.weight[:, 0::2] = 0.0


def test_pruning_removes_the_idle_layer_and_the_dead_neurons(data, tmp_path):
    source = _tiny_source(tmp_path / "source", edit=_idle_layer_and_dead_neurons)
    # Validation targets the source answers right, so losing a layer that matters shows.
    predicted = TextClassifier.load(source, device="cpu").predict(data.validation_texts)
    answers = replace(data, validation_targets=[p.label for p in predicted])
    output = tmp_path / "pruned"
    details = compress("prune", source_dir=source, output_dir=output, data=answers,
                       options={"drop_layers": 1, "ffn_keep": 0.5, "recovery_epochs": 1,
                                **STILL})
    assert details["layers_dropped"] == [2]
    assert details["layers_kept"] == [0, 1, 3]
    scores = details["layer_importance"][0]["layers"]
    assert abs(scores["2"]["loss_increase"]) < 1e-3
    assert min(scores[i]["loss_increase"] for i in ("0", "1", "3")) > 0.05
    assert details["intermediate_size"] == {"before": 64, "after": 32,
                                            "kept_importance_share": [1.0, 1.0, 1.0]}
    assert _layers(output) == 3
    before, after = _weights(source), _weights(output)
    for position, layer in enumerate([0, 1, 3]):  # the odd (live) neurons, in order
        prefix, was = f"bert.encoder.layer.{position}.", f"bert.encoder.layer.{layer}."
        torch.testing.assert_close(after[prefix + "intermediate.dense.weight"],
                                   before[was + "intermediate.dense.weight"][1::2],
                                   atol=1e-6, rtol=0)
        torch.testing.assert_close(after[prefix + "output.dense.weight"],
                                   before[was + "output.dense.weight"][:, 1::2],
                                   atol=1e-6, rtol=0)
    # A quarter of the layers, and in the three left 32 neurons of 32 weights in, 1 bias and
    # 32 weights out each.
    encoder = details["parameters"]["before"]["encoder"]
    assert details["parameters"]["after"]["encoder"] == encoder * 3 // 4 - 3 * 32 * 65
    _assert_servable(output, data.validation_texts)


def test_low_rank_ranks_follow_the_energy_and_the_artifact_reloads(teacher, data, tmp_path):
    output = tmp_path / "low-rank"
    details = compress("low-rank", source_dir=teacher, output_dir=output, data=data,
                       options={"energy": 0.6, "modules": "all", "recovery_epochs": 1, **STILL})
    source = _weights(teacher)
    ranks = json.loads((output / LOW_RANK_FILE).read_text())["ranks"]
    assert len(details["layers"]) == 4 * 6
    for name, layer in details["layers"].items():
        singular = torch.linalg.svdvals(source[name + ".weight"].double())
        kept = (torch.cumsum(singular ** 2, 0) / (singular ** 2).sum()).tolist()
        rank, (rows, columns) = layer["rank"], layer["shape"]
        assert kept[rank - 1] >= 0.6 and (rank == 1 or kept[rank - 2] < 0.6)
        assert layer["factorized"] == (rank * (rows + columns) < rows * columns)
        assert (name in ranks) == layer["factorized"]
    assert ranks and details["parameters"]["after"]["total"] < details["parameters"][
        "before"]["total"]

    loaded = TextClassifier.load(output, device="cpu")
    for name, rank in ranks.items():
        down, up = loaded.model.get_submodule(name)
        assert (down.out_features, up.in_features) == (rank, rank)
    teacher_model = TextClassifier.load(teacher, device="cpu")
    factorize(teacher_model.model, energy=0.6)
    expected = teacher_model.logits(data.validation_texts)
    np.testing.assert_allclose(_assert_servable(output, data.validation_texts), expected,
                               atol=1e-4)
    densify(loaded.model, output)
    np.testing.assert_allclose(loaded.logits(data.validation_texts), expected, atol=1e-4)


def test_feed_forward_factorization_keeps_the_fused_attention(teacher, data, tmp_path):
    """The default factorizes the feed-forward layers only: the exported graph still has ONNX
    Runtime's fused Attention op, which factorized query/key/value layers would lose."""
    import onnx

    output = tmp_path / "low-rank"
    compress("low-rank", source_dir=teacher, output_dir=output, data=data,
             options={"energy": 0.6, "recovery_epochs": 1, **STILL})
    ranks = json.loads((output / LOW_RANK_FILE).read_text())["ranks"]
    assert ranks and all(name.endswith(("intermediate.dense", ".output.dense"))
                         and ".attention." not in name for name in ranks)
    _assert_servable(output, data.validation_texts[:8])
    graph = onnx.load(str(onnx_path(output, "fp32"))).graph
    assert sum(node.op_type == "Attention" for node in graph.node) == 4


@pytest.mark.parametrize(("method", "options", "field"), [
    ("distill", {"student_layers": 0}, "student_layers"),
    ("distill", {"student_layers": "3"}, "student_layers"),
    ("distill", {"layer_choice": "middle"}, "layer_choice"),
    ("distill", {"epochs": True}, "epochs"),
    ("distill", {"alpha": 1.5}, "alpha"),
    ("distill", {"teacher": "x"}, "teacher"),
    ("prune", {"drop_layers": 1, "target_layers": 3}, "target_layers"),
    ("prune", {"ffn_keep": 0}, "ffn_keep"),
    ("prune", {"drop_layers": 0}, "drop_layers"),
    ("prune", {"recovery_epochs": 0}, "recovery_epochs"),
    ("low-rank", {"energy": 1.5}, "energy"),
    ("low-rank", {"modules": "heads"}, "modules"),
    ("low-rank", {"temperature": 0}, "temperature"),
])
def test_bad_options_name_the_field(method, options, field):
    with pytest.raises(ValueError, match=f"^{field}"):
        options_clean(method, options)


@pytest.mark.parametrize("method", ["distill", "prune", "low-rank"])
def test_cleaned_options_clean_to_themselves(method):
    cleaned = options_clean(method, {})
    assert options_clean(method, cleaned) == cleaned


@pytest.mark.parametrize(("method", "options", "field"), [
    ("distill", {"student_layers": 4}, "student_layers"),
    ("prune", {"target_layers": 5}, "target_layers"),
    ("prune", {"target_layers": 4}, "target_layers"),
    ("prune", {"drop_layers": 4}, "drop_layers"),
    ("low-rank", {"energy": 0.9999}, "energy"),
])
def test_options_beyond_the_source_name_the_field(teacher, data, tmp_path, method, options,
                                                  field):
    with pytest.raises(ValueError, match=f"^{field}"):
        compress(method, source_dir=teacher, output_dir=tmp_path / "out", data=data,
                 options=options)
    assert not (tmp_path / "out").exists()


def test_distillation_defaults_are_the_measured_ones():
    from slm_platform.ml.compression import options_clean

    cleaned = options_clean("distill", {})
    assert (cleaned["student_layers"], cleaned["layer_choice"], cleaned["epochs"],
            cleaned["learning_rate"], cleaned["alpha"]) == (3, "alternate", 8, 2e-4, 0.9)
    assert options_clean("prune", {})["learning_rate"] == 1e-4  # recovery keeps its own


def test_checking_options_imports_no_torch():
    code = ("import sys; from slm_platform.ml.compression import options_clean; "
            "[options_clean(m, {}) for m in ('distill', 'prune', 'low-rank')]; "
            "print('torch' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=Path(__file__).resolve().parents[2])
    assert result.stdout.strip() == "False"

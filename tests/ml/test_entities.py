"""Entity extraction in the ML core: BIO targets, decoding back to character spans, the
entity-level metric, and both backends learning a small task."""

import pytest

from slm_platform.ml.entities import (
    EntityExtractor,
    decode,
    entity_report,
    token_targets,
    train_token_classifier,
)
from slm_platform.ml.types import TrainConfig
from tests.ml.bio import INDEX, TAGS


def test_token_targets_mark_the_first_token_b_and_the_rest_i():
    # "Acme Corp in Paris": tokens with their character offsets, plus specials as (0, 0).
    offsets = [(0, 0), (0, 4), (5, 9), (10, 12), (13, 18), (0, 0)]
    spans = [(0, 9, "ORG"), (13, 18, "CITY")]
    names = [TAGS[i] if i >= 0 else None for i in token_targets(offsets, spans, INDEX)]
    assert names == [None, "B-ORG", "I-ORG", "O", "B-CITY", None]


def test_decode_turns_tags_into_spans_of_the_original_text():
    text = "Acme Corp in Paris"
    offsets = [(0, 0), (0, 4), (5, 9), (10, 12), (13, 18), (0, 0)]
    tags = [0, INDEX["B-ORG"], INDEX["I-ORG"], INDEX["O"], INDEX["I-CITY"], 0]
    entities = decode(offsets, tags, [1.0, 0.9, 0.7, 1.0, 0.8, 1.0], TAGS, text)
    assert [(e["text"], e["label"]) for e in entities] == [("Acme Corp", "ORG"),
                                                           ("Paris", "CITY")]
    assert entities[0]["score"] == pytest.approx(0.8)


def test_entity_report_counts_only_exact_spans():
    gold = [[(0, 9, "ORG"), (13, 18, "CITY")]]
    guess = [[(0, 4, "ORG"), (13, 18, "CITY")]]
    report = entity_report(gold, guess, ["ORG", "CITY"])
    assert report["per_label"]["CITY"]["f1"] == 1.0
    assert report["per_label"]["ORG"]["f1"] == 0.0
    assert report["micro_f1"] == 0.5


def _toy_data(count: int):
    companies, cities = ["Acme", "Globex", "Initech", "Umbrella"], ["Paris", "Oslo", "Lima"]
    texts, spans = [], []
    for i in range(count):
        company, city = companies[i % 4], cities[i % 3]
        text = f"{company} opened an office in {city} this year"
        texts.append(text)
        spans.append([(0, len(company), "ORG"),
                      (text.index(city), text.index(city) + len(city), "CITY")])
    return texts, spans


@pytest.mark.real_model
def test_minilm_token_classifier_learns_a_small_task(tmp_path):
    texts, spans = _toy_data(96)
    config = TrainConfig(epochs=4, learning_rate=2e-4, batch_size=16, max_length=24)
    train_token_classifier(texts[:80], spans[:80], entity_types=["ORG", "CITY"],
                           config=config, output_dir=tmp_path,
                           validation=(texts[80:], spans[80:]))
    extractor = EntityExtractor.load(tmp_path)
    report = extractor.evaluate(texts[80:], spans[80:])
    assert report["micro_f1"] > 0.8, report
    entities = extractor.serve(["Globex opened an office in Oslo this year"])[0]["entities"]
    assert {"start", "end", "label", "text", "score"} <= set(entities[0])


@pytest.mark.real_model
def test_spacy_backend_learns_new_entity_types(tmp_path):
    from slm_platform.ml.spacy_ner import SpacyExtractor, train_spacy_ner

    texts, spans = _toy_data(96)
    config = TrainConfig(epochs=6, batch_size=8, patience=6)
    train_spacy_ner(texts[:80], spans[:80], entity_types=["ORG", "CITY"], config=config,
                    output_dir=tmp_path, validation=(texts[80:], spans[80:]))
    report = SpacyExtractor.load(tmp_path).evaluate(texts[80:], spans[80:])
    assert report["micro_f1"] > 0.8, report


@pytest.mark.real_model
def test_shaped_token_classifier_artifact_round_trips_and_old_artifacts_still_load(tmp_path):
    import json

    from slm_platform.ml.entities import TOKEN_TYPE
    from slm_platform.ml.types import ARTIFACT_FILE

    texts, spans = _toy_data(48)
    config = TrainConfig(epochs=2, learning_rate=2e-4, batch_size=16, max_length=24,
                         shape_features=True, train_on_validation=True, average_horizon=0.7)
    result = train_token_classifier(texts[:40], spans[:40], entity_types=["ORG", "CITY"],
                                    config=config, output_dir=tmp_path / "new",
                                    validation=(texts[40:], spans[40:]))
    assert result.train_examples == 48  # train + validation
    assert [record.epoch for record in result.history] == [1, 2]
    meta = json.loads((tmp_path / "new" / ARTIFACT_FILE).read_text())
    assert meta == {"type": TOKEN_TYPE, "decoding": "word-viterbi", "shapes": "word-case-v1"}
    extractor = EntityExtractor.load(tmp_path / "new")
    assert extractor.shape_features and extractor.decoding == "word-viterbi"
    served = extractor.serve(["Globex opened an office in Oslo this year"])[0]["entities"]
    assert all({"start", "end", "label", "text", "score"} <= set(e) for e in served)

    # An artifact written before shapes and word-level decoding: plain model, token decoding.
    plain = TrainConfig(epochs=1, learning_rate=2e-4, batch_size=16, max_length=24)
    train_token_classifier(texts[:40], spans[:40], entity_types=["ORG", "CITY"], config=plain,
                           output_dir=tmp_path / "old", validation=(texts[40:], spans[40:]))
    (tmp_path / "old" / ARTIFACT_FILE).write_text(json.dumps({"type": TOKEN_TYPE}))
    old = EntityExtractor.load(tmp_path / "old")
    assert not old.shape_features and old.decoding == "token"
    assert old.serve(["Acme opened an office in Lima this year"])

"""A task whose starter test holds out whole groups (merchants) gives its own validation rows,
cut the same way; the starter recipe validates on them instead of a random tenth of train."""

import json

from django.core.files.storage import default_storage

from slm_platform.core.catalog import StarterData, TaskKind, TaskSpec
from slm_platform.ml.splitting import stratified_split
from slm_platform.registry.starter import (
    starter_classifier_split,
    starter_fingerprint,
    starter_train_config,
)
from slm_platform.registry.training import _fit_and_upload

SPEC = TaskSpec(slug="test.validation", kind=TaskKind.CLASSIFICATION, title="t",
                description="d", labels=("debit", "credit"), max_length_tokens=16,
                preprocess=str.lower)


def _rows(count: int, offset: int = 0) -> list[tuple[str, str]]:
    return [(f"{'REFUND FROM' if i % 2 else 'PAID TO'} SHOP {i}", "credit" if i % 2 else "debit")
            for i in range(offset, offset + count)]


def _metrics(name: str) -> dict:
    with default_storage.open(f"{name}/metrics.json") as handle:
        return json.loads(handle.read())


def test_the_starter_datas_own_validation_rows_are_used_preprocessed():
    train, validation = _rows(50), _rows(8, offset=500)
    (texts, targets), (held_texts, held_targets) = starter_classifier_split(
        spec=SPEC, train=train, validation=validation, fraction=0.1, seed=13)
    assert texts == [text.lower() for text, _ in train]  # every train row is trained on
    assert targets == [label for _, label in train]
    assert held_texts == [text.lower() for text, _ in validation]
    assert held_targets == [label for _, label in validation]


def test_without_validation_rows_the_fine_tunes_stratified_tenth_is_carved():
    train = _rows(100)
    (texts, _), (held_texts, _) = starter_classifier_split(
        spec=SPEC, train=train, validation=None, fraction=0.1, seed=13)
    keep, held = stratified_split([text.lower() for text, _ in train],
                                  [label for _, label in train], fraction=0.1, seed=13)
    assert held_texts == [train[i][0].lower() for i in held] and len(held) == 10
    assert texts == [train[i][0].lower() for i in keep]


def test_validation_rows_change_the_fingerprint_and_their_absence_keeps_it():
    config, train, test = {"epochs": 1}, _rows(10), _rows(4, offset=100)
    plain = starter_fingerprint(spec=SPEC, config=config, train=train, test=test)
    assert plain == starter_fingerprint(spec=SPEC, config=config, train=train, test=test,
                                        validation=None)
    with_rows = starter_fingerprint(spec=SPEC, config=config, train=train, test=test,
                                    validation=_rows(4, offset=200))
    assert with_rows != plain
    assert with_rows != starter_fingerprint(spec=SPEC, config=config, train=train, test=test,
                                            validation=_rows(4, offset=300))


def test_a_classification_starter_validates_on_its_own_rows_and_trains_on_all_of_train(
        tmp_path):
    config = starter_train_config(spec=SPEC, preset="tiny") | {"epochs": 1, "train_limit": None}
    data = StarterData(train=_rows(300), test=_rows(40, offset=1000),
                       validation=_rows(24, offset=2000))
    name = f"t/{tmp_path.name}"
    _fit_and_upload(spec=SPEC, config=config, train=data.train, data=data, name=name)
    training = _metrics(name)["training"]
    assert training["validation_examples"] == 24
    assert training["train_examples"] == 300


def test_an_entity_starter_validates_on_its_own_rows(tmp_path):
    spec = TaskSpec(slug="test.entities", kind=TaskKind.ENTITIES, title="t", description="d",
                    labels=("ORG",), max_length_tokens=24)
    rows = [(f"Acme paid {i}", [(0, 4, "ORG")]) for i in range(70)]
    data = StarterData(train=rows[:50], test=rows[50:60], validation=rows[60:])
    name = f"t/{tmp_path.name}"
    _fit_and_upload(spec=spec, config=starter_train_config(spec=spec, preset="tiny"),
                    train=data.train, data=data, name=name)
    training = _metrics(name)["training"]
    assert training["validation_examples"] == 10
    assert training["train_examples"] == 50

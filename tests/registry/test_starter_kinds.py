"""Starter models of every task kind train through the same worker-side path: entity tasks
(token classification on character spans) and multi-label tasks, on the tiny preset."""

import json

import pytest
from django.core.files.storage import default_storage

from slm_platform.core.catalog import StarterData, TaskKind, TaskSpec
from slm_platform.registry.starter import starter_train_config
from slm_platform.registry.training import _fit_and_upload


def _entity_rows(count: int, offset: int = 0):
    companies, cities = ["Acme", "Globex", "Initech", "Umbrella"], ["Paris", "Oslo", "Lima"]
    rows = []
    for i in range(offset, offset + count):
        company, city = companies[i % 4], cities[i % 3]
        text = f"{company} paid {i} to a shop in {city}"
        rows.append((text, [(0, len(company), "ORG"),
                            (text.index(city), text.index(city) + len(city), "CITY")]))
    return rows


def _metrics(name: str) -> dict:
    with default_storage.open(f"{name}/metrics.json") as handle:
        return json.loads(handle.read())


def test_an_entity_task_trains_its_starter_and_reports_entity_metrics(tmp_path):
    spec = TaskSpec(slug="test.entities", kind=TaskKind.ENTITIES, title="t", description="d",
                    labels=("ORG", "CITY"), max_length_tokens=24)
    config = starter_train_config(spec=spec, preset="tiny")
    assert config["shape_features"] and "multi_label" not in config
    data = StarterData(train=_entity_rows(60), test=_entity_rows(12, offset=100),
                       test_slices={"half": _entity_rows(6, offset=100)})
    _fit_and_upload(spec=spec, config=config, train=data.train, data=data,
                    name=f"t/{tmp_path.name}")
    metrics = _metrics(f"t/{tmp_path.name}")
    assert metrics["test"]["examples"] == 12
    assert set(metrics["test"]["per_label"]) == {"ORG", "CITY"}
    assert 0.0 <= metrics["test"]["micro_f1"] <= 1.0
    assert set(metrics["test_slices"]) == {"half"}
    # A tenth of train is the validation split (the full preset also trains on it).
    assert metrics["training"]["validation_examples"] == 6
    assert metrics["training"]["train_examples"] == 54
    full = starter_train_config(spec=spec, preset="full")
    assert full["train_on_validation"] and full["epochs"] == 10


def test_a_multi_label_task_trains_its_starter_on_label_lists(tmp_path):
    labels = ("a", "b", "c")
    spec = TaskSpec(slug="test.multi", kind=TaskKind.MULTI_LABEL, title="t", description="d",
                    labels=labels, max_length_tokens=16)
    config = starter_train_config(spec=spec, preset="tiny")
    assert config["multi_label"] is True
    rows = [(f"text {i} {'alpha' if i % 2 else ''} {'beta' if i % 3 else ''}",
             [label for label, on in zip(labels, (i % 2, i % 3, i % 5 == 0), strict=True) if on]
             or ["c"]) for i in range(90)]
    data = StarterData(train=rows[:70], test=rows[70:])
    _fit_and_upload(spec=spec, config=config, train=data.train, data=data,
                    name=f"t/{tmp_path.name}")
    report = _metrics(f"t/{tmp_path.name}")["test"]
    assert report["examples"] == 20
    assert set(report["per_label"]) == set(labels)


@pytest.mark.parametrize("kind", [TaskKind.CLASSIFICATION])
def test_a_classification_starters_config_is_unchanged(kind):
    spec = TaskSpec(slug="t.c", kind=kind, title="t", description="d", labels=("x", "y"))
    assert "multi_label" not in starter_train_config(spec=spec, preset="full")
    assert "shape_features" not in starter_train_config(spec=spec, preset="full")


def test_an_entity_task_whose_backend_is_spacy_trains_spacys_ner(tmp_path):
    from slm_platform.ml.artifacts import load_predictor
    from slm_platform.ml.spacy_ner import SpacyExtractor
    from slm_platform.registry.storage import artifact_local_dir

    spec = TaskSpec(slug="test.spacy-entities", kind=TaskKind.ENTITIES, title="t",
                    description="d", labels=("ORG", "CITY"), entity_backend="spacy")
    assert starter_train_config(spec=spec, preset="tiny").get("backend") is None
    config = starter_train_config(spec=spec, preset="full") | {"epochs": 2}
    assert config["backend"] == "spacy"
    data = StarterData(train=_entity_rows(40), test=_entity_rows(8, offset=100))
    _fit_and_upload(spec=spec, config=config, train=data.train, data=data,
                    name=f"t/{tmp_path.name}")
    assert _metrics(f"t/{tmp_path.name}")["test"]["examples"] == 8
    assert isinstance(load_predictor(artifact_local_dir(name=f"t/{tmp_path.name}")),
                      SpacyExtractor)


def test_a_classification_starter_is_prepared_for_serving_on_its_validation_split(tmp_path):
    """Like a trained version: exported to ONNX inside the artifact, its serving precision
    chosen on the validation split (a tenth of train) and recorded in the metrics, so the
    workers load a ready engine (int8 where it keeps accuracy)."""
    from slm_platform.ml.onnx_engine import selected_precision
    from slm_platform.registry.storage import artifact_local_dir

    spec = TaskSpec(slug="test.serving", kind=TaskKind.CLASSIFICATION, title="t",
                    description="d", labels=("debit", "credit"), max_length_tokens=16)
    config = starter_train_config(spec=spec, preset="tiny") | {"epochs": 1, "train_limit": None}
    rows = [(f"{'refund from' if i % 2 else 'paid to'} shop {i}", "credit" if i % 2 else "debit")
            for i in range(2200)]
    data = StarterData(train=rows[:2100], test=rows[2100:])
    name = f"t/{tmp_path.name}"
    _fit_and_upload(spec=spec, config=config, train=data.train, data=data, name=name)
    metrics = _metrics(name)
    serving = metrics["serving"]
    assert serving["engine"] == "onnx" and serving["examples"] == 210
    assert serving["precision"] in ("int8", "fp32")
    assert metrics["training"]["validation_examples"] == 210
    assert metrics["training"]["train_examples"] == 1890
    local = artifact_local_dir(name=name)
    assert selected_precision(local) == serving["precision"]
    assert (local / "onnx" / "model.fp32.onnx").exists()

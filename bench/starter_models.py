"""Each industry task's starter model: held-out metrics and throughput, in one run.

For every catalog task with starter data (or the ones named), train the starter model exactly
as the training worker does (`registry.training`, the `full` preset unless told otherwise),
then print its held-out accuracy and macro-F1 (entity tasks: micro and macro entity F1; and
each named test slice's), the same figures for the labels (entity tasks: the spans) as served
(the task's post-processing applied: e.g. health.patient-intent's red-flag rules, or
health.phi-deid's validated patterns), the training time, and how fast the served engine
predicts the test texts on one thread (ONNX Runtime for fine-tuned classifiers, as the workers
serve them).

    .venv/bin/python bench/starter_models.py                      # every task
    .venv/bin/python bench/starter_models.py --task retail.support-intent --json out.json
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

from stack import ROOT, write_results


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--task", action="append", default=None,
                        help="a task slug (repeatable; default: every task with starter data)")
    parser.add_argument("--preset", default="full", help="full (default) or tiny")
    parser.add_argument("--entity-backend", choices=("minilm", "spacy"), default="minilm",
                        help="entity tasks: the MiniLM token classifier the starter path trains "
                             "(default) or spaCy's NER on the same rows, to compare")
    parser.add_argument("--json", type=Path, help="write the results here, not to stdout")
    return parser.parse_args()


def starter_run(spec, preset: str) -> dict:
    from django.core.files.storage import default_storage

    from slm_platform.ml.artifacts import load_fast_predictor
    from slm_platform.ml.runtime import configure_threads
    from slm_platform.registry.starter import starter_fingerprint, starter_train_config
    from slm_platform.registry.storage import artifact_exists, artifact_local_dir
    from slm_platform.registry.training import _fit_and_upload

    configure_threads(os.cpu_count() or 1)
    config = starter_train_config(spec=spec, preset=preset)
    data = spec.starter_data()
    train = data.train[: config.get("train_limit") or len(data.train)]
    fingerprint = starter_fingerprint(spec=spec, config=config, train=train, test=data.test,
                                      validation=data.validation)
    name = f"bench/starter/{spec.slug}/{preset}-{fingerprint}"
    started = time.monotonic()
    cached = artifact_exists(name=name)
    if not cached:
        _fit_and_upload(spec=spec, config=config, train=train, data=data, name=name)
    seconds = time.monotonic() - started
    with default_storage.open(f"{name}/metrics.json") as handle:
        metrics = json.loads(handle.read())

    configure_threads(1)
    predictor = load_fast_predictor(artifact_local_dir(name=name), threads=1)
    texts = [spec.preprocess(text) for text, _ in data.test]
    predictor.serve(texts[:32])  # warm-up
    timed = time.perf_counter()
    predictions = predictor.serve(texts)
    rows_per_second = len(texts) / (time.perf_counter() - timed)
    # As served: the task's post-processing (e.g. rules that override the model) applied.
    entities = spec.kind == "entities"
    multi = bool(data.test) and isinstance(data.test[0][1], list | tuple) and not entities
    served = [] if entities else [
        _served_label(spec.postprocess(text, prediction), multi)
        for (text, _), prediction in zip(data.test, predictions, strict=True)]
    served_entities = served_entity_figures(spec, data.test, predictions) if entities else None

    def figures(report: dict) -> dict:
        return {"examples": report["examples"], "accuracy": round(report["accuracy"], 4),
                "macro_f1": round(report["macro_f1"], 4)}

    return {"task": spec.slug, "preset": preset, "train_examples": len(train),
            "training_seconds": None if cached else round(seconds, 1),
            "best_epoch": metrics["training"]["best_epoch"],
            "epochs_run": len(metrics["training"]["history"]),
            "test": figures(metrics["test"]),
            "test_slices": {slice_name: figures(report)
                            for slice_name, report in metrics.get("test_slices", {}).items()},
            "served_entities": served_entities,
            "served": None if entities else served_figures(
                [_served_label({"labels": label, "label": label}, multi)
                 for _, label in data.test], served),
            "engine": type(predictor).__name__, "rows_per_second_1_thread": round(rows_per_second)}


def served_entity_figures(spec, rows: list, predictions: list[dict]) -> dict:
    """Entity F1 of the spans as served (the task's rules added, checks applied)."""
    from slm_platform.ml.entities import entity_report

    report = entity_report(
        [spans for _, spans in rows],
        [[(e["start"], e["end"], e["label"]) for e in spec.postprocess(text, p)["entities"]]
         for (text, _), p in zip(rows, predictions, strict=True)], spec.labels)
    return {"micro_f1": report["micro_f1"], "macro_f1": report["macro_f1"],
            "precision": report["precision"], "recall": report["recall"],
            "f1_per_type": {kind: row["f1"] for kind, row in report["per_label"].items()}}


def _served_label(prediction: dict, multi: bool):
    """A prediction's label, or for multi-label tasks its set of labels."""
    return frozenset(prediction.get("labels") or ()) if multi else prediction["label"]


def spacy_run(spec) -> dict:
    """An entity task's starter rows through spaCy's NER instead (the `spacy` recipe), the
    same tenth of train as validation and the same test: the comparison an entity task's
    backend is chosen by."""
    import tempfile

    from slm_platform.ml.spacy_ner import SpacyExtractor, train_spacy_ner
    from slm_platform.ml.types import TrainConfig
    from slm_platform.registry.training import entity_validation_split
    from slm_platform.training.recipes import RECIPE_DEFAULTS

    data = spec.starter_data()
    config = TrainConfig(**RECIPE_DEFAULTS["spacy"])
    validation, fitted = entity_validation_split(data.train, seed=config.seed)
    with tempfile.TemporaryDirectory(prefix="slm-bench-spacy-") as workdir:
        started = time.monotonic()
        result = train_spacy_ner(
            [text for text, _ in fitted], [spans for _, spans in fitted],
            entity_types=list(spec.labels), config=config, output_dir=Path(workdir),
            validation=([text for text, _ in validation], [spans for _, spans in validation]))
        seconds = time.monotonic() - started
        extractor = SpacyExtractor.load(Path(workdir))

        def figures(rows: list) -> dict:
            report = extractor.evaluate([text for text, _ in rows], [spans for _, spans in rows])
            return {"examples": report["examples"], "accuracy": round(report["micro_f1"], 4),
                    "macro_f1": round(report["macro_f1"], 4)}

        texts = [text for text, _ in data.test]
        timed = time.perf_counter()
        predictions = extractor.serve(texts)
        rows_per_second = len(texts) / (time.perf_counter() - timed)
        return {"task": spec.slug, "preset": "spacy", "train_examples": len(fitted),
                "training_seconds": round(seconds, 1), "best_epoch": result.best_epoch,
                "epochs_run": len(result.history), "test": figures(data.test),
                "test_slices": {name: figures(rows) for name, rows in data.test_slices.items()},
                "served_entities": served_entity_figures(spec, data.test, predictions),
                "served": None, "engine": "spaCy", "rows_per_second_1_thread":
                round(rows_per_second)}


def served_figures(truth: list, predicted: list) -> dict:
    """Accuracy (exact set match for multi-label), macro-F1 and per-label recall of the
    labels as served."""
    multi = bool(truth) and isinstance(truth[0], frozenset)
    sets_true = [t if multi else {t} for t in truth]
    sets_pred = [p if multi else {p} for p in predicted]
    labels = sorted(set().union(*sets_true))
    recall, f1 = {}, []
    for label in labels:
        hits = sum(label in t and label in p for t, p in zip(sets_true, sets_pred, strict=True))
        support = sum(label in t for t in sets_true)
        chosen = sum(label in p for p in sets_pred)
        recall[label] = round(hits / support, 4)
        f1.append(2 * hits / (support + chosen) if support + chosen else 0.0)
    accuracy = sum(t == p for t, p in zip(truth, predicted, strict=True)) / len(truth)
    return {"accuracy": round(accuracy, 4), "macro_f1": round(sum(f1) / len(f1), 4),
            "recall": recall}


def main() -> int:
    args = parse_args()
    import django

    django.setup()
    from slm_platform.core.catalog import catalog

    specs = [spec for spec in catalog.all() if spec.starter_data is not None
             and (args.task is None or spec.slug in args.task)]
    unknown = set(args.task or ()) - {spec.slug for spec in specs}
    if unknown:
        print(f"no starter data for: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    results = []
    for spec in specs:
        spacy = args.entity_backend == "spacy" and spec.kind == "entities"
        print(f"{spec.slug}: training the {'spaCy' if spacy else args.preset} starter model...",
              flush=True)
        result = spacy_run(spec) if spacy else starter_run(spec, args.preset)
        results.append(result)
        trained = (f"{result['training_seconds']} s" if result["training_seconds"] is not None
                   else "cached artifact")
        print(f"  trained on {result['train_examples']} rows ({trained}, kept epoch "
              f"{result['best_epoch']} of {result['epochs_run']})")
        for label, report in {"held-out test": result["test"], **result["test_slices"]}.items():
            print(f"  {label:<32} n={report['examples']:>5}  accuracy {report['accuracy']:.3f}"
                  f"  macro-F1 {report['macro_f1']:.3f}")
        served = result["served"]
        if served is not None:
            print(f"  as served (with the task's post-processing): accuracy "
                  f"{served['accuracy']:.3f}  macro-F1 {served['macro_f1']:.3f}; recall per "
                  "label: " + ", ".join(f"{label} {value:.2f}"
                                        for label, value in served["recall"].items()))
        served_entities = result.get("served_entities")
        if served_entities is not None:
            print(f"  as served (validated patterns added, checks applied): entity micro-F1 "
                  f"{served_entities['micro_f1']:.3f}  macro-F1 {served_entities['macro_f1']:.3f}"
                  f"  (P {served_entities['precision']:.3f}, R {served_entities['recall']:.3f}); "
                  "F1 per type: " + ", ".join(f"{kind} {value:.2f}" for kind, value
                                              in served_entities["f1_per_type"].items()))
        print(f"  {result['engine']}, 1 thread: {result['rows_per_second_1_thread']:,} rows/s",
              flush=True)
    write_results({"starter_models": results}, args.json)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "slm_platform.settings")
    sys.path.insert(0, str(ROOT))
    sys.exit(main())

"""The platform's training recipe on real public intent data, through the API, beside published
results.

What is measured, in one run on this machine, the way a user would do it over HTTP:

- a custom classification task (POST /api/v1/tasks, labels taken from the dataset), a CSV upload
  with the dataset's own split (POST /api/v1/datasets; its data-quality summary is printed), and
  one training run (POST /api/v1/training-runs) with the chosen recipe and hyperparameters;
- training time: the wall clock from the training-run POST until polling (every 2 s, so up to
  2 s late) sees it finished, and the run's own duration (lineage `duration_seconds`);
- test-set quality from the model version's metrics: CLINC150 in-scope accuracy and
  out-of-scope recall (the paper's "oos-train" setting: the out-of-scope queries are one more
  label, `oos`), HWU64 accuracy and macro-F1, WNUT-17 entity-level F1 (exact spans, micro
  over types, as the shared task scored it); plus the calibrated ECE and the temperature.

The results are printed beside the published numbers in ../shared/data/README.md, with a
verdict for each target (printed, not asserted: the exit status is non-zero only when the run
fails). The datasets are read from ../shared/data beside the checkout (--data-root elsewhere).

The stack is self-contained: a temporary DATA_DIR (SQLite, Redis data, process logs, MODEL_DIR),
an embedded Redis on a free port unless REDIS_URL is set, the web server, one training worker
and one bulk worker, with TRAINING_THREADS = the machine's CPU count. If DATABASE_URL or
REDIS_URL is set, that database or Redis is used, so point them at something disposable. The
temporary directory is removed after a successful run and kept (its path printed) after a failure.

    .venv/bin/python bench/train_real.py --dataset clinc150                 # full recipe
    .venv/bin/python bench/train_real.py --dataset hwu64 --recipe fast
    .venv/bin/python bench/train_real.py --dataset hwu64 --limit 300 \\
        --hyperparameters '{"epochs": 1}'                                   # smoke run

A full-size run takes about 10 minutes on 2 cores. --limit N keeps N rows per split, for smoke
runs only: its numbers are not comparable with the published ones.
"""

import argparse
import csv
import json
import os
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter
from stack import (
    ROOT,
    Stack,
    bench_api_key,
    free_port,
    prepare_database,
    run_in_stack,
    write_results,
)
from urllib3.util.retry import Retry

from slm_platform.processes import wait_for_port, web_command, worker_command

POLL_SECONDS = 2
HTTP_TIMEOUT_SECONDS = 300
LIMIT_SEED = 0
FINISHED = ("succeeded", "failed", "cancelled")
METRIC_NAMES = {"in_scope_accuracy": "in-scope accuracy %", "oos_recall": "out-of-scope recall %",
                "accuracy": "accuracy %", "macro_f1": "macro-F1 %",
                "entity_f1": "entity F1 (micro) %"}


@dataclass(frozen=True)
class Target:
    description: str
    max_seconds: float
    metric: str | None = None
    minimum: float = 0.0
    recipe: str | None = None  # None: the target holds for every recipe

    def met(self, metrics: dict, seconds: float) -> bool:
        good = self.metric is None or metrics[self.metric] >= self.minimum
        return good and seconds <= self.max_seconds


def read_clinc150(root: Path) -> list[tuple[str, str, str]]:
    """(text, label, split) rows; out-of-scope queries get the label `oos`, as in oos-train."""
    data = json.loads((root / "clinc150" / "data_full.json").read_text())
    splits = {"train": "train", "val": "validation", "test": "test"}
    rows = []
    for key, split in splits.items():
        rows += [(text, intent, split) for text, intent in data[key]]
        rows += [(text, "oos", split) for text, _ in data[f"oos_{key}"]]
    return rows


def read_hwu64(root: Path) -> list[tuple[str, str, str]]:
    """(text, label, split) rows; no validation split: the platform carves one from train."""
    rows = []
    for name, split in (("train_folds2-10.csv", "train"), ("test_fold1.csv", "test")):
        with (root / "hwu64" / name).open(newline="", encoding="utf-8") as handle:
            rows += [(row["text"], row["intent"], split) for row in csv.DictReader(handle)]
    return rows


WNUT_FILES = (("wnut17train.conll", "train"), ("emerging.dev.conll", "validation"),
              ("emerging.test.annotated", "test"))


def read_wnut17(root: Path) -> list[dict]:
    """{text, entities, split} rows from the CoNLL files, read by the platform's own reader."""
    from slm_platform.ingest.readers import read_entities

    rows = []
    for name, split in WNUT_FILES:
        parsed = read_entities((root / "wnut17" / name).read_bytes(), filename=name)
        rows += [{"text": record.text, "split": split,
                  "entities": [[span.start, span.end, span.label] for span in record.spans]}
                 for record in parsed.records]
    return rows


def wnut17_metrics(report: dict) -> dict[str, float]:
    return {"entity_f1": 100 * report["micro_f1"], "macro_f1": 100 * report["macro_f1"]}


def in_scope_accuracy(report: dict) -> float:
    """Correct predictions among test rows whose true label is not `oos` (confusion matrix)."""
    matrix = report["confusion_matrix"]
    rows = [(i, row) for i, (label, row) in enumerate(zip(matrix["labels"], matrix["matrix"],
                                                          strict=True)) if label != "oos"]
    return sum(row[i] for i, row in rows) / sum(sum(row) for _, row in rows)


def clinc150_metrics(report: dict) -> dict[str, float]:
    return {"in_scope_accuracy": 100 * in_scope_accuracy(report),
            "oos_recall": 100 * report["per_label"]["oos"]["recall"]}


def hwu64_metrics(report: dict) -> dict[str, float]:
    return {"accuracy": 100 * report["accuracy"], "macro_f1": 100 * report["macro_f1"]}


@dataclass(frozen=True)
class Benchmark:
    title: str
    read: Callable[[Path], list]
    metrics: Callable[[dict], dict[str, float]]
    published_source: str
    published: dict[str, float]
    targets: tuple[Target, ...]
    kind: str = "classification"  # or "entities": rows are dicts, uploaded as JSONL


BENCHMARKS = {
    "clinc150": Benchmark(
        "CLINC150 (data_full.json, oos-train)", read_clinc150, clinc150_metrics,
        "BERT, Larson et al. 2019", {"in_scope_accuracy": 96.9, "oos_recall": 40.3},
        (Target("in-scope accuracy >= 96.0 within 10 min", 600, "in_scope_accuracy", 96.0),
         Target("fast recipe finishes within 2 min", 120, recipe="fast")),
    ),
    "hwu64": Benchmark(
        "HWU64 (folds 2-10 / fold 1)", read_hwu64, hwu64_metrics,
        "USE+ConveRT, Casanueva et al. 2020", {"accuracy": 92.6},
        (Target("accuracy >= 92.6 within 10 min", 600, "accuracy", 92.6),),
    ),
    "wnut17": Benchmark(
        "WNUT-17 (train / dev / test)", read_wnut17, wnut17_metrics,
        "2017 shared-task best; BERTweet 56.5", {"entity_f1": 41.9},
        (Target("entity F1 >= 45", float("inf"), "entity_f1", 45.0),),
        kind="entities",
    ),
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", choices=sorted(BENCHMARKS), required=True)
    parser.add_argument("--recipe", choices=("full", "fast", "spacy"), default="full",
                        help="fast: single-label only; spacy: entities only")
    parser.add_argument("--hyperparameters", type=json.loads,
                        help='JSON object sent with the run, e.g. \'{"epochs": 3}\'')
    parser.add_argument("--limit", type=int, help="keep N rows per split (smoke runs only)")
    parser.add_argument("--data-root", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--timeout", type=float, default=3600,
                        help="seconds to wait for the training run")
    parser.add_argument("--json", type=Path, help="write the results here, not to stdout")
    return parser.parse_args()


def _split_of(row) -> str:
    return row["split"] if isinstance(row, dict) else row[2]


def limit_rows(rows: list, limit: int) -> list:
    """A seeded sample of `limit` rows of each split (the files are sorted by label)."""
    rng = random.Random(LIMIT_SEED)
    kept = []
    for split in ("train", "validation", "test"):
        part = [row for row in rows if _split_of(row) == split]
        kept += rng.sample(part, min(limit, len(part)))
    return kept


def write_csv(args: argparse.Namespace, directory: Path) -> Path:
    bench = BENCHMARKS[args.dataset]
    rows = bench.read(args.data_root)
    if args.limit:
        rows = limit_rows(rows, args.limit)
    if bench.kind == "entities":
        path = directory / f"{args.dataset}.jsonl"
        path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
        return path
    path = directory / f"{args.dataset}.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label", "split"])
        writer.writerows(rows)
    return path


def configure_environment(data_dir: Path) -> None:
    """Settings come from the environment: set it before Django or any subprocess reads it."""
    os.environ["DATA_DIR"] = str(data_dir)
    os.environ["MODEL_DIR"] = str(data_dir / "models")
    os.environ["DJANGO_SETTINGS_MODULE"] = "slm_platform.settings"


def wait_for_workers(stack: Stack, queues: tuple[str, ...], timeout: float = 120) -> None:
    """Until each queue's worker beats in Redis, so worker start-up is not timed as training."""
    from slm_platform.serving.heartbeat import workers_alive

    deadline = time.monotonic() + timeout
    while not all(workers_alive(queue=queue) for queue in queues):
        stack.check_alive()
        if time.monotonic() > deadline:
            raise TimeoutError(f"no heartbeat from the {queues} workers within {timeout:g}s")
        time.sleep(0.5)


def start_stack(stack: Stack) -> tuple[str, str]:
    """Migrate, create the bench organization, start web and workers; (API base URL, key)."""
    prepare_database(stack)
    _, key = bench_api_key("train-real")
    threads = {"TRAINING_THREADS": str(os.cpu_count())}
    port = free_port()
    stack.start("web", web_command(host="127.0.0.1", port=port), env=threads)
    stack.start("training", worker_command(queue="training", concurrency=1), env=threads)
    stack.start("bulk", worker_command(queue="bulk", concurrency=1))
    wait_for_port("127.0.0.1", port, timeout=30)
    wait_for_workers(stack, ("training", "bulk"))
    return f"http://127.0.0.1:{port}/api/v1", key


class Api:
    """The platform's REST API with one API key; any non-2xx answer raises with its body."""

    def __init__(self, base: str, key: str):
        self.base = base
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {key}"
        # A poll can race the server closing an idle keep-alive connection: retry reads once.
        retry = Retry(total=2, connect=2, read=2, allowed_methods={"GET"}, backoff_factor=0.2)
        self.session.mount("http://", HTTPAdapter(max_retries=retry))

    def call(self, method: str, path: str, **kwargs) -> dict:
        response = self.session.request(method, f"{self.base}{path}",
                                        timeout=HTTP_TIMEOUT_SECONDS, **kwargs)
        if not response.ok:
            raise RuntimeError(f"{method} {path} answered {response.status_code}: "
                               f"{response.text[:2000]}")
        return response.json()


def upload_dataset(api: Api, slug: str, path: Path) -> dict:
    """Upload the CSV with its split column and print the data-quality summary."""
    with path.open("rb") as handle:
        version = api.call("POST", "/datasets", files={"file": (path.name, handle,
                                                                "application/octet-stream")},
                           data={"task": slug, "split_column": "split"})
    quality = version["quality"]
    warnings = ", ".join(f"{w['code']} ({w['count']} rows)" for w in quality["warnings"])
    print(f"dataset version {version['id']}: {version['row_count']:,} rows, "
          f"{len(version['labels'])} labels, splits {quality['split_counts']}, "
          f"{len(quality['warnings'])} warnings{': ' + warnings if warnings else ''}", flush=True)
    return version


def progress_line(run: dict, elapsed: float) -> str:
    progress = run["progress"]
    line = f"  [{elapsed:5.0f}s] {run['status']}, {progress.get('phase', '-')}"
    if "step" in progress:
        eta = progress.get("eta_seconds")
        line += (f", epoch {progress['epoch']}, step {progress['step']}/"
                 f"{progress['total_steps']}, loss {progress['loss']:.4f}, "
                 f"ETA {'-' if eta is None else f'{eta:.0f}s'}")
    return line


def train(api: Api, stack: Stack, payload: dict, timeout: float) -> tuple[dict, float]:
    """POST the run, poll it until it finishes; (the finished run, wall seconds since POST)."""
    started = time.monotonic()
    run = api.call("POST", "/training-runs", json=payload)
    while run["status"] not in FINISHED:
        elapsed = time.monotonic() - started
        if elapsed > timeout:
            raise TimeoutError(f"training run {run['id']} not finished within {timeout:g}s")
        stack.check_alive()
        print(progress_line(run, elapsed), flush=True)
        time.sleep(POLL_SECONDS)
        run = api.call("GET", f"/training-runs/{run['id']}")
    seconds = time.monotonic() - started
    if run["status"] != "succeeded":
        raise RuntimeError(f"training run {run['id']} {run['status']}:\n{run['error']}")
    return run, seconds


def benchmark(args: argparse.Namespace, stack: Stack, data_dir: Path) -> dict:
    path = write_csv(args, data_dir)
    api = Api(*start_stack(stack))
    bench = BENCHMARKS[args.dataset]
    slug = f"{args.dataset}-{'entities' if bench.kind == 'entities' else 'intents'}"
    api.call("POST", "/tasks", json={
        "slug": slug, "kind": bench.kind,
        "description": f"{bench.title}, from bench/train_real.py"})
    dataset = upload_dataset(api, slug, path)
    payload = {"task": slug, "dataset": dataset["id"], "recipe": args.recipe}
    if args.hyperparameters is not None:
        payload["hyperparameters"] = args.hyperparameters
    print(f"training: {json.dumps(payload)}", flush=True)
    run, seconds = train(api, stack, payload, args.timeout)
    return summarize(args, dataset, api.call("GET", f"/models/{run['model_version']['id']}"),
                     seconds)


def summarize(args: argparse.Namespace, dataset: dict, version: dict, seconds: float) -> dict:
    bench = BENCHMARKS[args.dataset]
    test = version["metrics"]["test"]
    metrics = bench.metrics(test)
    targets = [target for target in bench.targets if target.recipe in (None, args.recipe)]
    return {
        "dataset": args.dataset, "recipe": args.recipe, "limit": args.limit,
        "comparable": not args.limit, "model_version": version["name"],
        "hyperparameters": version["lineage"]["hyperparameters"],
        "dataset_rows": dataset["row_count"], "labels": len(dataset["labels"]),
        "quality_warnings": len(dataset["quality"]["warnings"]),
        "split_counts": version["metrics"]["split"]["counts"],
        "training_wall_seconds": round(seconds, 1),
        "epochs": [{"epoch": h["epoch"], "validation_accuracy": h["validation_accuracy"],
                    "validation_macro_f1": h["validation_macro_f1"],
                    "seconds": round(h["seconds"], 1)}
                   for h in version["metrics"]["training"]["history"]],
        "best_epoch": version["metrics"]["training"]["best_epoch"],
        "run_duration_seconds": version["lineage"]["duration_seconds"],
        "hardware": version["lineage"]["hardware"], "metrics": metrics,
        # Entity extraction reports no calibration.
        "ece_calibrated": test.get("calibration", {}).get("calibrated", {}).get("ece"),
        "ece_uncalibrated": test.get("calibration", {}).get("uncalibrated", {}).get("ece"),
        "temperature": test.get("calibration", {}).get("temperature"),
        "serving": version["metrics"].get("serving"),
        "published": {"source": bench.published_source, **bench.published},
        "targets": [{"target": target.description, "met": target.met(metrics, seconds)}
                    for target in targets],
    }


def print_report(results: dict) -> None:
    bench = BENCHMARKS[results["dataset"]]
    hardware = results["hardware"]
    print(f"\n{bench.title}, {results['recipe']} recipe, {results['model_version']}: "
          f"split {results['split_counts']}, {hardware['cpu_count']} CPUs, "
          f"{hardware['torch_threads']} torch threads")
    print(f"training time: {results['training_wall_seconds']:.1f} s wall clock from POST to "
          f"finish (the run's own duration {results['run_duration_seconds']:.1f} s)")
    for epoch in results["epochs"]:
        print(f"  epoch {epoch['epoch']}: validation accuracy {epoch['validation_accuracy']:.4f}, "
              f"macro-F1 {epoch['validation_macro_f1']:.4f} ({epoch['seconds']:.0f} s)"
              + ("  <- kept" if epoch["epoch"] == results["best_epoch"] else ""))
    if not results["comparable"]:
        print(f"SMOKE RUN (--limit {results['limit']} rows per split): these numbers are NOT "
              f"comparable with the published ones")
    row = "{:<30}{:>10}   {}"
    print(row.format("metric", "this run", f"published ({bench.published_source})"))
    for name, value in results["metrics"].items():
        published = bench.published.get(name)
        print(row.format(METRIC_NAMES[name], f"{value:.2f}",
                         "-" if published is None else f"{published:.1f}"))
    if results["ece_calibrated"] is not None:
        print(row.format("ECE calibrated (uncal.)", f"{results['ece_calibrated']:.4f}",
                         f"- (uncalibrated {results['ece_uncalibrated']:.4f})"))
        print(row.format("temperature", f"{results['temperature']:.3f}", "-"))
    if results["serving"]:
        print(f"serving: {json.dumps(results['serving'])}")
    print_verdicts(results)


def print_verdicts(results: dict) -> None:
    caveat = "" if results["comparable"] else " (smoke run, not comparable)"
    print()
    for target in results["targets"]:
        verdict = "MET" if target["met"] else "NOT MET"
        print(f"target: {target['target']}: {verdict}{caveat}")


def main() -> int:
    args = parse_args()
    if not (args.data_root / args.dataset).is_dir():
        sys.exit(f"{args.data_root / args.dataset} not found: the real datasets live in "
                 f"../shared/data beside the checkout; point --data-root at them")
    results = run_in_stack("slm-train-real-", configure_environment,
                           lambda stack, data_dir: benchmark(args, stack, data_dir))
    print_report(results)
    write_results(results, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())

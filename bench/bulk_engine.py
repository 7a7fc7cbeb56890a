"""Bulk CPU inference engines for one fine-tuned MiniLM classifier, side by side in one run.

What is measured, all in one run on this machine, each engine in its own fresh process (so its
peak RSS is its own and its thread settings cannot leak into the next):

- naive: a `transformers.pipeline("text-classification")` called once per row, as a user
  would write the loop. It is timed on the first --naive-rows rows of the file and its rows/s
  extrapolated to the whole file (printed as such);
- torch-fp32: the platform's TextClassifier (batches of 64, sorted by length), inference_mode;
- torch-bf16: the same under bf16 autocast (AVX-512 BF16 where the CPU has it);
- torch-int8: the same with torch's dynamic int8 quantization of every Linear layer;
- ort-fp32 / ort-int8: slm_platform.ml.onnx_engine (fused ONNX graph, dynamic int8 weights);
- ort-int8 2x1: two processes of one thread each, each predicting half the file, as two
  bulk workers would (rows/s = all rows / the slower process's time; RSS is the sum).

Every engine reads the same --rows-row CSV (CLINC150 texts cycled, so lengths are realistic),
predicts it in chunks of --chunk rows through serve() (the platform's output: label, score and
every label's score), and keeps the labels. Rows/s covers reading the CSV, tokenization,
inference and building the output dicts; model loading and the one-off ONNX export are timed
apart. Each engine except the naive loop also predicts CLINC150's test split (4,500 in-scope
queries and 1,000 out-of-scope ones, labelled `oos`): accuracy, and label agreement with
torch-fp32 there and on the whole file. Timings are medians of --repeats runs; the 2-core
machine may be shared, so the spread is printed too.

    .venv/bin/python bench/bulk_engine.py                    # trains the artifact on first run
    .venv/bin/python bench/bulk_engine.py --artifact DIR --rows 20000 --json out.json

Without --artifact, the first run fine-tunes all-MiniLM-L6-v2 on CLINC150's training split
(15,100 queries, the full recipe's hyperparameters, one epoch: about 10 minutes on 2 cores) into
var/bench-models/bulk-engine-clinc150 and later runs reuse it.
"""

import argparse
import csv
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from stack import ROOT, write_results

DATA = ROOT.parent / "shared" / "data" / "clinc150" / "data_full.json"
DEFAULT_ARTIFACT = ROOT / "var" / "bench-models" / "bulk-engine-clinc150"
CSV_DIR = ROOT / "var" / "bench-data"
REFERENCE = "torch-fp32"
# (engine, threads per process, processes)
RUNS = [("naive", 2, 1), ("naive", 1, 1), ("torch-fp32", 2, 1), ("torch-fp32", 1, 1),
        ("torch-bf16", 2, 1), ("torch-int8", 2, 1), ("ort-fp32", 2, 1), ("ort-fp32", 1, 1),
        ("ort-int8", 2, 1), ("ort-int8", 1, 1), ("ort-int8", 1, 2)]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--artifact", type=Path, default=None,
                        help="a fine-tuned classifier artifact (default: train one)")
    parser.add_argument("--data", type=Path, default=DATA, help="CLINC150 data_full.json")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--naive-rows", type=int, default=2_000)
    parser.add_argument("--chunk", type=int, default=8_192,
                        help="rows per serve() call; 512 is the platform's JOB_CHUNK_SIZE "
                             "(measured 2-7%% slower: less to sort into even batches)")
    parser.add_argument("--repeats", type=int, default=1, help="timed runs per engine")
    parser.add_argument("--only", default=None,
                        help="comma-separated engines to run, each an engine name or "
                             "ENGINE:THREADS:PROCESSES for one setup (default: all)")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--threads", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--csv", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--part", default="0/1", help=argparse.SUPPRESS)
    parser.add_argument("--limit", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--labels-out", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--quality", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


def clinc150(path: Path) -> dict[str, list[tuple[str, str]]]:
    """Splits of (text, label) with the out-of-scope queries labelled `oos` (oos-train)."""
    data = json.loads(path.read_text())
    return {split: [tuple(row) for row in data[split]]
            + [(text, "oos") for text, _ in data[f"oos_{split}"]]
            for split in ("train", "val", "test")}


def ensure_artifact(args) -> Path:
    if args.artifact:
        return args.artifact
    if (DEFAULT_ARTIFACT / "calibration.json").exists():
        return DEFAULT_ARTIFACT
    from slm_platform.ml.finetune import train_classifier
    from slm_platform.ml.runtime import configure_threads
    from slm_platform.ml.types import TrainConfig

    configure_threads(os.cpu_count() or 1)
    splits = clinc150(args.data)
    config = TrainConfig(epochs=1, learning_rate=1.5e-4, batch_size=32, pooling="mean",
                         head_lr_multiplier=10.0, max_length=64)
    print(f"fine-tuning all-MiniLM-L6-v2 on {len(splits['train'])} CLINC150 queries, 1 epoch "
          f"-> {DEFAULT_ARTIFACT}", flush=True)
    train_classifier([t for t, _ in splits["train"]], [y for _, y in splits["train"]],
                     label_set=sorted({y for _, y in splits["train"]}), config=config,
                     output_dir=DEFAULT_ARTIFACT,
                     validation=([t for t, _ in splits["val"]], [y for _, y in splits["val"]]))
    return DEFAULT_ARTIFACT


def ensure_csv(args) -> Path:
    path = CSV_DIR / f"clinc150-{args.rows}.csv"
    if path.exists():
        return path
    texts = [text for split in clinc150(args.data).values() for text, _ in split]
    CSV_DIR.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    with partial.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "text"])
        writer.writerows((i, texts[i % len(texts)]) for i in range(args.rows))
    os.replace(partial, path)
    return path


# --- worker side: one engine, one process ---------------------------------------------------

def load_engine(name: str, artifact: Path, threads: int):
    """A ClassifierBase for `name`, or for the naive loop a function text -> dict."""
    from slm_platform.ml.runtime import configure_threads

    configure_threads(threads)
    if name.startswith("ort-"):
        from slm_platform.ml.onnx_engine import OnnxClassifier

        return OnnxClassifier.load(artifact, precision=name[4:], threads=threads)
    from slm_platform.ml.classifier import TextClassifier

    classifier = TextClassifier.load(artifact, device="cpu")
    if name == "naive":
        from transformers import pipeline

        # The loaded model object, not the directory: a mean-pooled artifact loaded by name
        # would get BertForSequenceClassification with an untrained [CLS] pooler.
        return pipeline("text-classification", model=classifier.model,
                        tokenizer=classifier.tokenizer, device="cpu")
    if name == "torch-bf16":
        classifier._batch_logits = _bf16(classifier._batch_logits)
    if name == "torch-int8":
        import torch

        classifier.model = torch.ao.quantization.quantize_dynamic(
            classifier.model, {torch.nn.Linear}, dtype=torch.qint8)
    return classifier


def _bf16(batch_logits):
    import torch

    def autocast_logits(texts):
        with torch.autocast(device_type="cpu", dtype=torch.bfloat16):
            return batch_logits(texts)

    return autocast_logits


def read_texts(path: Path, part: str, limit: int) -> list[str]:
    with path.open(newline="") as handle:
        texts = [row["text"] for row in csv.DictReader(handle)]
    texts = texts[:limit] if limit else texts
    index, parts = (int(x) for x in part.split("/"))
    size = -(-len(texts) // parts)
    return texts[index * size : (index + 1) * size]


def predict_rows(engine, name: str, path: Path, args) -> tuple[list[str], float]:
    started = time.perf_counter()
    texts = read_texts(path, args.part, args.limit)
    labels = []
    if name == "naive":
        labels = [engine(text)[0]["label"] for text in texts]
    else:
        for start in range(0, len(texts), args.chunk):
            labels += [item["label"] for item in engine.serve(texts[start : start + args.chunk])]
    return labels, time.perf_counter() - started


def run_worker(args) -> None:
    started = time.perf_counter()
    engine = load_engine(args.worker, args.artifact, args.threads)
    result = {"load_seconds": time.perf_counter() - started}
    labels, seconds = predict_rows(engine, args.worker, args.csv, args)
    result |= {"rows": len(labels), "seconds": seconds}
    if args.labels_out:
        args.labels_out.write_text(json.dumps(labels))
    if args.quality:
        test = clinc150(args.data)["test"]
        result["test_labels"] = [p["label"] for p in engine.serve([t for t, _ in test])]
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


# --- orchestrator ---------------------------------------------------------------------------

def run_engine(args, artifact: Path, path: Path, engine: str, threads: int, processes: int,
               workdir: Path, *, quality: bool) -> dict:
    limit = args.naive_rows if engine == "naive" else 0
    commands = []
    for index in range(processes):
        command = [sys.executable, __file__, "--worker", engine, "--threads", str(threads),
                   "--artifact", str(artifact), "--csv", str(path), "--data", str(args.data),
                   "--part", f"{index}/{processes}", "--limit", str(limit),
                   "--chunk", str(args.chunk),
                   "--labels-out", str(workdir / f"{engine}-{threads}-{processes}-{index}.json")]
        commands.append(command + (["--quality"] if quality and index == 0 else []))
    children = [subprocess.Popen(c, cwd=ROOT, stdout=subprocess.PIPE, text=True)
                for c in commands]
    outputs = []
    for child in children:
        stdout, _ = child.communicate()
        if child.returncode:
            raise RuntimeError(f"{engine} worker exited with {child.returncode}")
        outputs.append(json.loads(stdout.strip().splitlines()[-1]))
    labels = [label for index in range(processes) for label in json.loads(
        (workdir / f"{engine}-{threads}-{processes}-{index}.json").read_text())]
    rows = sum(o["rows"] for o in outputs)
    return {"rows": rows, "seconds": max(o["seconds"] for o in outputs),
            "load_seconds": max(o["load_seconds"] for o in outputs),
            "peak_rss_mb": sum(o["peak_rss_mb"] for o in outputs), "labels": labels,
            "test_labels": outputs[0].get("test_labels")}


def quality(test_labels: list[str], reference: list[str] | None, test) -> dict:
    truth = [y for _, y in test]
    in_scope = [i for i, y in enumerate(truth) if y != "oos"]
    out_of_scope = [i for i, y in enumerate(truth) if y == "oos"]
    out = {"accuracy": 100 * np.mean([a == b for a, b in zip(test_labels, truth, strict=True)]),
           "in_scope_accuracy": 100 * np.mean([test_labels[i] == truth[i] for i in in_scope]),
           "oos_recall": 100 * np.mean([test_labels[i] == "oos" for i in out_of_scope])}
    if reference:
        out["test_agreement"] = 100 * np.mean(
            [a == b for a, b in zip(test_labels, reference, strict=True)])
    return out


def export_seconds(artifact: Path) -> dict:
    """One-off ONNX export and quantization, timed when not cached yet."""
    from slm_platform.ml.onnx_engine import ensure_onnx, onnx_path

    timings = {}
    for precision in ("fp32", "int8"):
        cached = onnx_path(artifact, precision).exists()
        started = time.perf_counter()
        ensure_onnx(artifact, precision)
        timings[precision] = None if cached else round(time.perf_counter() - started, 1)
    return timings


def main() -> None:
    args = parse_args()
    if args.worker:
        return run_worker(args)
    artifact = ensure_artifact(args)
    path = ensure_csv(args)
    exports = export_seconds(artifact)
    test = clinc150(args.data)["test"]
    only = set(args.only.split(",")) if args.only else None
    runs = [run for run in RUNS if only is None or run[0] in only
            or f"{run[0]}:{run[1]}:{run[2]}" in only]
    results = {"artifact": str(artifact), "rows": args.rows, "chunk": args.chunk,
               "export_seconds": exports, "engines": []}
    reference = None
    with tempfile.TemporaryDirectory(prefix="bulk-engine-") as workdir:
        for engine, threads, processes in runs:
            timings, measured = [], None
            for repeat in range(args.repeats):
                wanted_quality = repeat == 0 and engine != "naive" and threads == 2
                measured_now = run_engine(args, artifact, path, engine, threads, processes,
                                          Path(workdir), quality=wanted_quality)
                measured = measured if measured and not wanted_quality else measured_now
                timings.append(measured_now["rows"] / measured_now["seconds"])
            row = summarise(engine, threads, processes, measured, timings, args, test)
            if engine == REFERENCE and threads == 2:
                reference = measured
            add_agreement(row, measured, reference, test)
            results["engines"].append(row)
            print_row(row, flush=True)
    finish(results, args)


def summarise(engine, threads, processes, measured, timings, args, test) -> dict:
    row = {"engine": engine, "threads": threads, "processes": processes,
           "rows_timed": measured["rows"], "rows_per_second": statistics.median(timings),
           "rows_per_second_runs": [round(x, 1) for x in timings],
           "seconds_for_file": args.rows / statistics.median(timings),
           "extrapolated": measured["rows"] < args.rows,
           "load_seconds": measured["load_seconds"], "peak_rss_mb": measured["peak_rss_mb"]}
    if measured["test_labels"]:
        row |= quality(measured["test_labels"], None, test)
    return row


def add_agreement(row: dict, measured: dict, reference: dict | None, test) -> None:
    if reference is None or row["engine"] == "naive":
        return
    if measured["test_labels"]:
        row |= quality(measured["test_labels"], reference["test_labels"], test)
    shared = min(len(measured["labels"]), len(reference["labels"]))
    row["file_agreement"] = 100 * np.mean([a == b for a, b in zip(
        measured["labels"][:shared], reference["labels"][:shared], strict=True)])


HEADER = (f"{'engine':<12} {'thr':>3} {'proc':>4} {'rows/s':>8} {'file s':>7} {'load s':>6} "
          f"{'RSS MB':>7} {'test acc':>8} {'in-scope':>8} {'oos rec':>7} {'agree test':>10} "
          f"{'agree file':>10}  runs")


def print_row(row: dict, flush: bool = False) -> None:
    if not getattr(print_row, "header", False):
        print(HEADER)
        print_row.header = True

    def cell(key, width):
        value = row.get(key)
        return f"{value:>{width}.1f}" if value is not None else f"{'-':>{width}}"

    marker = "*" if row["extrapolated"] else " "
    print(f"{row['engine']:<12} {row['threads']:>3} {row['processes']:>4} "
          f"{row['rows_per_second']:>8.1f} {row['seconds_for_file']:>6.0f}{marker} "
          f"{row['load_seconds']:>6.1f} {row['peak_rss_mb']:>7.0f} {cell('accuracy', 8)} "
          f"{cell('in_scope_accuracy', 8)} {cell('oos_recall', 7)} {cell('test_agreement', 10)} "
          f"{cell('file_agreement', 10)}  {row['rows_per_second_runs']}", flush=flush)


def finish(results: dict, args) -> None:
    engines = results["engines"]
    naive = max((r for r in engines if r["engine"] == "naive"),
                key=lambda r: r["rows_per_second"], default=None)
    best = max((r for r in engines if r["engine"] != "naive"),
               key=lambda r: r["rows_per_second"], default=None)
    print("* extrapolated from the rows timed (naive loop: the first "
          f"{args.naive_rows} rows)")
    print(f"one-off ONNX export / int8 quantization seconds (None = cached): "
          f"{results['export_seconds']}")
    if naive and best:
        results["best"] = {"engine": best["engine"], "threads": best["threads"],
                           "processes": best["processes"],
                           "ratio_to_naive": best["rows_per_second"] / naive["rows_per_second"]}
        print(f"best: {best['engine']} ({best['threads']} thread(s) x {best['processes']} "
              f"process(es)) {best['rows_per_second']:.0f} rows/s = "
              f"{results['best']['ratio_to_naive']:.1f}x the naive pipeline loop's best "
              f"({naive['rows_per_second']:.0f} rows/s, {naive['threads']} threads)")
    write_results(results, args.json)


if __name__ == "__main__":
    main()

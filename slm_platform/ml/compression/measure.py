"""Measure an artifact as it is served: size, parameters, speed, memory and quality.

`measure(artifact_dir, texts, targets)` loads the artifact through `load_fast_predictor` in a
fresh Python process (so the peak memory is this artifact's alone, and thread settings cannot
leak between artifacts) and returns:

    engine             "onnx" or "torch": what load_fast_predictor chose
    precision          "fp32", "int8", "int8-static" (ONNX) or "fp32", "bf16" (torch)
    threads            intra-op threads the engine ran with
    size_bytes         bytes on disk of what serving reads: `counted_files`
    counted_files      {relative path: bytes}: the engine file actually served (the ONNX file,
                       or for torch model.safetensors + config.json), the tokenizer files,
                       labels.json, training_config.json, calibration.json and
                       onnx/precision.json when present. Files serving does not read (the
                       fp32 weights beside an ONNX engine, metrics, reports) are not counted.
    parameters         stored parameter elements: for ONNX every initializer's elements
                       (int8 weights, their scales and zero points, fp32 embeddings...), for
                       torch every parameter's
    parameters_by_type {element type: elements}, e.g. {"int8": ..., "float32": ...}
    load_seconds       load_fast_predictor's time (an ONNX export, if the artifact had none
                       cached, is done in an earlier process and not counted)
    latency_ms         median ms of predict([text]) over `latency_rows` single texts, after
                       warm-up; latency_p90_ms its 90th percentile
    throughput_rows_per_s  rows/s of predict(batch) over batches of `batch_size` (32) texts
                       in input order, `throughput_rows` rows in all
    latency_cpu_ms, throughput_cpu_ms_per_row   the same runs in CPU time of the process (all
                       its threads): steadier than wall time on a machine that other work
                       shares, where wall time measures the share of the cores it got
    baseline_rss_mb    resident memory of the process after the imports, before loading
    peak_rss_mb        the process's peak resident memory (VmHWM) after load, the timed
                       runs and the evaluation
    quality            predictor.evaluate(texts, targets): examples, accuracy, macro_f1,
                       micro_f1 (and hamming_loss for multi-label), per_label
                       {label: {precision, recall, f1, support}}, calibrated ece
    exported_first     true when the engine had to be exported (into the artifact, as serving
                       would) by an earlier process before this one measured

`report(source, compressed)` compares two measurements (ratios are source/compressed for
size and memory, compressed/source for speed; deltas are compressed - source, in points of
percentage):

    size_ratio, parameters_ratio, peak_rss_ratio      how many times smaller
    latency_speedup, throughput_speedup                how many times faster (wall time)
    cpu_latency_speedup, cpu_throughput_speedup        the same in CPU time
    accuracy_delta_points, macro_f1_delta_points
    per_label_f1_delta_points                          {label: points}
    largest_f1_drops                                   up to 5 [label, points], worst first
    source, compressed                                 engine, precision, size_bytes,
                                                       latency_ms, throughput_rows_per_s,
                                                       peak_rss_mb, accuracy, macro_f1

Run as a module it is the measuring process itself (reads a job file, writes the result).
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

LATENCY_ROWS = 64
WARMUP_ROWS = 8
BATCH_SIZE = 32
THROUGHPUT_ROWS = 1024
MEASURE_TIMEOUT_S = 3600
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
                   "vocab.txt", "added_tokens.json")
SERVING_FILES = ("labels.json", "training_config.json", "calibration.json",
                 "onnx/precision.json", "low_rank.json")
TORCH_FILES = ("model.safetensors", "config.json")


def measure(artifact_dir: Path, texts: Sequence[str], targets: Sequence, *, threads: int = 2,
            precision: str | None = None, engine: str = "served",
            latency_rows: int = LATENCY_ROWS, throughput_rows: int = THROUGHPUT_ROWS,
            batch_size: int = BATCH_SIZE) -> dict:
    """The measurement of one artifact (keys in the module docstring). `precision` overrides
    the pinned one as load_fast_predictor's argument does; engine="torch" measures the
    torch fp32 predictor (load_predictor on CPU) instead of the served engine."""
    if engine not in ("served", "torch"):
        raise ValueError(f"engine must be 'served' or 'torch', not {engine!r}")
    if not texts or len(texts) != len(targets):
        raise ValueError("texts: need at least one text, and one target per text")
    job = {"artifact_dir": str(artifact_dir), "texts": list(texts), "targets": list(targets),
           "threads": threads, "precision": precision, "engine": engine,
           "latency_rows": latency_rows, "throughput_rows": throughput_rows,
           "batch_size": batch_size}
    with tempfile.TemporaryDirectory(prefix="measure-") as folder:
        job_path, result_path = Path(folder) / "job.json", Path(folder) / "result.json"
        job_path.write_text(json.dumps(job))
        for attempt in range(2):  # a second run when the first only exported the engine
            _run_child(job_path, result_path, threads)
            result = json.loads(result_path.read_text())
            if not result.get("exported_only"):
                return result | {"exported_first": attempt > 0}
    raise RuntimeError(f"{artifact_dir}: the engine was exported but still missing")


def _run_child(job_path: Path, result_path: Path, threads: int) -> None:
    root = Path(__file__).resolve().parents[3]
    env = os.environ | {"OMP_NUM_THREADS": str(threads),
                        "PYTHONPATH": os.pathsep.join(filter(None, [str(root),
                                                                    os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, "-m", "slm_platform.ml.compression.measure",
                           str(job_path), str(result_path)], env=env, capture_output=True,
                          text=True, timeout=MEASURE_TIMEOUT_S)
    if done.returncode != 0:
        raise RuntimeError(f"measuring process failed ({done.returncode}): "
                           f"{done.stderr.strip()[-2000:]}")


def report(source: dict, compressed: dict) -> dict:
    """The compressed artifact against its source (keys in the module docstring)."""
    def ratio(a: float, b: float) -> float | None:
        return round(a / b, 3) if b else None

    def points(a: float, b: float) -> float:
        return round(100 * (a - b), 2)

    before, after = source["quality"], compressed["quality"]
    per_label = {label: points(after["per_label"][label]["f1"], scores["f1"])
                 for label, scores in before["per_label"].items()
                 if label in after["per_label"]}
    drops = sorted(((label, delta) for label, delta in per_label.items() if delta < 0),
                   key=lambda pair: pair[1])[:5]
    return {
        "size_ratio": ratio(source["size_bytes"], compressed["size_bytes"]),
        "parameters_ratio": ratio(source["parameters"], compressed["parameters"]),
        "peak_rss_ratio": ratio(source["peak_rss_mb"], compressed["peak_rss_mb"]),
        "latency_speedup": ratio(source["latency_ms"], compressed["latency_ms"]),
        "throughput_speedup": ratio(compressed["throughput_rows_per_s"],
                                    source["throughput_rows_per_s"]),
        "cpu_latency_speedup": ratio(source["latency_cpu_ms"], compressed["latency_cpu_ms"]),
        "cpu_throughput_speedup": ratio(source["throughput_cpu_ms_per_row"],
                                        compressed["throughput_cpu_ms_per_row"]),
        "accuracy_delta_points": points(after["accuracy"], before["accuracy"]),
        "macro_f1_delta_points": points(after["macro_f1"], before["macro_f1"]),
        "per_label_f1_delta_points": per_label,
        "largest_f1_drops": [list(pair) for pair in drops],
        "source": _summary(source),
        "compressed": _summary(compressed),
    }


def _summary(measured: dict) -> dict:
    keys = ("engine", "precision", "size_bytes", "latency_ms", "throughput_rows_per_s",
            "peak_rss_mb")
    return {**{key: measured[key] for key in keys},
            "accuracy": measured["quality"]["accuracy"],
            "macro_f1": measured["quality"]["macro_f1"]}


# --- the measuring process -------------------------------------------------------------------

def _status_mb(field: str) -> float:
    """A memory figure of /proc/self/status in MB: VmRSS now, VmHWM the peak. (Not
    getrusage's ru_maxrss: Linux carries it across exec, so a process started from a large
    worker would report the worker's peak.)"""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _child(job_path: Path, result_path: Path) -> None:
    job = json.loads(Path(job_path).read_text())
    artifact_dir, threads = Path(job["artifact_dir"]), job["threads"]
    from slm_platform.ml import onnx_engine
    from slm_platform.ml.artifacts import load_fast_predictor, load_predictor
    from slm_platform.ml.runtime import configure_threads

    configure_threads(threads)
    if job["engine"] == "served" and _needs_export(artifact_dir, job["precision"]):
        # Exporting loads the torch model too: done in this process, measured in the next.
        load_fast_predictor(artifact_dir, threads=threads, precision=job["precision"])
        Path(result_path).write_text(json.dumps({"exported_only": True}))
        return
    baseline = _status_mb("VmRSS")
    started = time.perf_counter()
    if job["engine"] == "torch":
        predictor = load_predictor(artifact_dir, device="cpu")
    else:
        predictor = load_fast_predictor(artifact_dir, threads=threads,
                                        precision=job["precision"])
    load_seconds = time.perf_counter() - started
    timings = _timings(predictor, job["texts"], job["latency_rows"], job["throughput_rows"],
                       job["batch_size"])
    quality = _quality(predictor.evaluate(job["texts"], job["targets"]))
    peak = _status_mb("VmHWM")
    if isinstance(predictor, onnx_engine.OnnxClassifier):
        engine, precision = "onnx", predictor.precision
        served = [onnx_engine.onnx_path(artifact_dir, precision)]
        parameters = _onnx_parameters(served[0])
    else:
        engine, precision = "torch", _torch_precision(predictor.model)
        served = [artifact_dir / name for name in TORCH_FILES]
        parameters = _torch_parameters(predictor.model)
    counted = _counted_files(artifact_dir, served)
    result = {"engine": engine, "precision": precision, "threads": threads,
              "size_bytes": sum(counted.values()), "counted_files": counted,
              "parameters": sum(parameters.values()), "parameters_by_type": parameters,
              "load_seconds": round(load_seconds, 3), **timings,
              "baseline_rss_mb": round(baseline, 1), "peak_rss_mb": round(peak, 1),
              "quality": quality}
    Path(result_path).write_text(json.dumps(result))


def _needs_export(artifact_dir: Path, precision: str | None) -> bool:
    from slm_platform.ml import onnx_engine
    from slm_platform.ml.artifacts import is_sequence_classifier

    precision = precision or onnx_engine.selected_precision(artifact_dir)
    return (is_sequence_classifier(artifact_dir) and precision in onnx_engine.PRECISIONS
            and precision not in onnx_engine.CALIBRATED_PRECISIONS
            and not onnx_engine.onnx_path(artifact_dir, precision).exists())


def _timings(predictor, texts: list[str], latency_rows: int, throughput_rows: int,
             batch_size: int) -> dict:
    """Single-text latency and batched throughput, texts cycled to the row counts."""
    def cycled(count: int, offset: int = 0) -> list[str]:
        return [texts[(offset + i) % len(texts)] for i in range(count)]

    for text in cycled(WARMUP_ROWS):
        predictor.predict([text])
    predictor.predict(cycled(batch_size))
    latencies, cpu_latencies = [], []
    for text in cycled(latency_rows, WARMUP_ROWS):
        started, cpu_started = time.perf_counter(), time.process_time()
        predictor.predict([text])
        latencies.append(1000 * (time.perf_counter() - started))
        cpu_latencies.append(1000 * (time.process_time() - cpu_started))
    rows = cycled(throughput_rows)
    started, cpu_started = time.perf_counter(), time.process_time()
    for start in range(0, len(rows), batch_size):
        predictor.predict(rows[start : start + batch_size])
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    return {"latency_ms": round(statistics.median(latencies), 3),
            "latency_p90_ms": round(statistics.quantiles(latencies, n=10)[-1], 3)
            if len(latencies) > 1 else round(latencies[0], 3),
            "latency_cpu_ms": round(statistics.median(cpu_latencies), 3),
            "latency_rows": len(latencies),
            "throughput_rows_per_s": round(len(rows) / seconds, 1),
            "throughput_cpu_ms_per_row": round(1000 * cpu_seconds / len(rows), 3),
            "throughput_rows": len(rows), "batch_size": batch_size}


def _quality(report: dict) -> dict:
    kept = ("examples", "accuracy", "macro_f1", "micro_f1", "hamming_loss", "per_label")
    quality = {key: report[key] for key in kept if key in report}
    calibrated = report.get("calibration", {}).get("calibrated", {})
    quality["ece"] = calibrated.get("ece")
    return quality


def _onnx_parameters(path: Path) -> dict:
    import math

    import onnx

    model = onnx.load(str(path), load_external_data=False)
    counts: dict[str, int] = {}
    for tensor in model.graph.initializer:
        kind = onnx.helper.tensor_dtype_to_np_dtype(tensor.data_type).name
        counts[kind] = counts.get(kind, 0) + math.prod(tensor.dims)
    return counts


def _torch_parameters(model) -> dict:
    counts: dict[str, int] = {}
    for parameter in model.parameters():
        kind = str(parameter.dtype).removeprefix("torch.")
        counts[kind] = counts.get(kind, 0) + parameter.numel()
    return counts


def _torch_precision(model) -> str:
    kind = str(next(model.parameters()).dtype)
    return {"torch.bfloat16": "bf16", "torch.float32": "fp32",
            "torch.float16": "fp16"}.get(kind, kind)


def _counted_files(artifact_dir: Path, served: list[Path]) -> dict[str, int]:
    names = [*TOKENIZER_FILES, *SERVING_FILES]
    paths = [*served, *(artifact_dir / name for name in names)]
    return {str(path.relative_to(artifact_dir)): path.stat().st_size
            for path in paths if path.exists()}


if __name__ == "__main__":
    _child(Path(sys.argv[1]), Path(sys.argv[2]))

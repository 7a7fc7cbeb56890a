"""Realtime predict latency through the whole stack, beside the raw model measured in the same run.

What is measured, all in one run on this machine:

- "REST + Celery": single-item POST /api/v1/tasks/finance.transaction-category/predict through
  gunicorn, Django, Redis and a realtime Celery worker, at each client concurrency level
  (p50/p99/mean latency of the successful requests, requests/s over the level's wall time,
  non-200 answers and connection failures counted as errors);
- "raw model in-process": the same model version loaded in this process by the worker's own
  predict function (same engine: ONNX Runtime on CPU; the task's pre- and post-processing),
  with the worker's CPU thread setting, timed on single-item calls, plus batch-32 throughput
  for reference.

The last column is the ratio that matters: stack p50 / raw p50, both measured here and now.
Absolute figures depend on the machine, so nothing here asserts a threshold; the exit status is
non-zero only when more than 1% of the stack's requests failed.

The stack is self-contained: a temporary DATA_DIR (SQLite database, Redis data, process logs),
an embedded Redis on a free port unless REDIS_URL is set, and MODEL_DIR=var/bench-models so the
trained starter artifact (keyed by a fingerprint of data and recipe) is reused by later runs.
If DATABASE_URL or REDIS_URL is set, that database or Redis is used instead, so point them at
something disposable, never at a running platform's. The temporary directory is removed after
a successful run and kept (its path printed) after a failure.

    .venv/bin/python bench/realtime.py                      # full preset: the real starter model
    .venv/bin/python bench/realtime.py --preset tiny --requests 40      # quick smoke run

The first full run trains the real all-MiniLM-L6-v2 starter model (minutes on a small CPU).
"""

import argparse
import os
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import requests
from stack import (
    ROOT,
    Stack,
    bench_api_key,
    free_port,
    prepare_database,
    run_in_stack,
    write_results,
)

from slm_platform.processes import wait_for_port, web_command, worker_command

TASK = "finance.transaction-category"
TEXT_SEED = 2024
BATCH_SIZE = 32
BATCH_ROUNDS = 10
RAW_WARMUP_CALLS = 10
REQUEST_TIMEOUT_SECONDS = 60
MAX_ERROR_RATE = 0.01


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="requests per level")
    parser.add_argument("--preset", choices=("full", "tiny"), default="full")
    parser.add_argument("--concurrency", default="1,4,16",
                        help="client concurrency levels, comma-separated")
    parser.add_argument("--realtime-concurrency", type=int, default=2,
                        help="processes of the realtime Celery worker")
    parser.add_argument("--warmup", type=int, default=10, help="warm-up requests")
    parser.add_argument("--model-dir", type=Path, default=ROOT / "var" / "bench-models")
    parser.add_argument("--train-timeout", type=float, default=1800,
                        help="seconds to wait for the starter model")
    parser.add_argument("--json", type=Path, help="write the results here, not to stdout")
    args = parser.parse_args()
    args.concurrency = [int(level) for level in args.concurrency.split(",")]
    return args


def configure_environment(args: argparse.Namespace, data_dir: Path) -> None:
    """Settings come from the environment: set it before Django or any subprocess reads it."""
    os.environ["DATA_DIR"] = str(data_dir)
    os.environ["MODEL_DIR"] = str(args.model_dir.resolve())
    os.environ["DJANGO_SETTINGS_MODULE"] = "slm_platform.settings"
    os.environ["STARTER_MODEL_PRESET"] = args.preset


def wait_for_active_version(organization, stack: Stack, timeout: float):
    """Poll the registry until the task has an active version, printing progress."""
    from slm_platform.registry.models import ModelVersion, VersionStatus

    started = time.monotonic()
    last_report = -1.0
    while time.monotonic() - started < timeout:
        version = ModelVersion.objects.filter(organization=organization, task_slug=TASK).first()
        if version is not None and version.status == VersionStatus.ACTIVE:
            return version
        if version is not None and version.status == VersionStatus.FAILED:
            raise RuntimeError(f"training {version.name} failed:\n{version.error[-2000:]}")
        stack.check_alive()
        elapsed = time.monotonic() - started
        if elapsed - last_report >= 15:
            status = version.status if version else "not created"
            print(f"  {TASK}: {status}, {elapsed:.0f}s", flush=True)
            last_report = elapsed
        time.sleep(1)
    raise TimeoutError(f"no active {TASK} model within {timeout:g}s")


def sample_texts(count: int, *, seed: int) -> list[str]:
    from tasks_finance.transaction_category.starter_data import generate_examples

    return [description for description, _ in generate_examples(count, seed=seed)]


def post_predict(session: requests.Session, url: str, text: str) -> tuple[int, float]:
    """(HTTP status or 0 when the connection failed, seconds) of one single-item predict."""
    started = time.perf_counter()
    try:
        status = session.post(url, json={"inputs": [text]},
                              timeout=REQUEST_TIMEOUT_SECONDS).status_code
    except requests.RequestException:
        status = 0
    return status, time.perf_counter() - started


def client_run(url: str, key: str, texts: list[str]) -> list[tuple[int, float]]:
    """One client: its own session, its texts one after another."""
    with requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {key}"
        return [post_predict(session, url, text) for text in texts]


def run_level(url: str, key: str, texts: list[str], clients: int) -> dict:
    """All texts spread over `clients` threads; latency of the 200s, the rest counted as errors."""
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        chunks = pool.map(lambda i: client_run(url, key, texts[i::clients]), range(clients))
        results = [result for chunk in chunks for result in chunk]
    wall = time.perf_counter() - started
    latencies = [seconds for status, seconds in results if status == 200]
    errors = Counter(str(status) for status, _ in results if status != 200)
    return latency_summary(latencies) | {
        "clients": clients, "requests": len(results), "req_per_s": len(results) / wall,
        "errors": sum(errors.values()), "error_statuses": dict(errors),
    }


def latency_summary(latencies: list[float]) -> dict:
    if not latencies:
        return {"p50_ms": float("nan"), "p99_ms": float("nan"), "mean_ms": float("nan")}
    p50, p99 = np.percentile(latencies, [50, 99]) * 1000
    return {"p50_ms": float(p50), "p99_ms": float(p99), "mean_ms": float(np.mean(latencies)) * 1000}


def wait_for_first_answer(url: str, key: str, stack: Stack, timeout: float = 120) -> None:
    """Until a realtime worker answers: 503 (no worker heartbeat yet) means try again."""
    deadline = time.monotonic() + timeout
    with requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {key}"
        while time.monotonic() < deadline:
            response = session.post(url, json={"inputs": ["ACH DEPOSIT ACME CORP PAYROLL"]},
                                    timeout=REQUEST_TIMEOUT_SECONDS)
            if response.status_code == 200:
                return
            if response.status_code != 503:
                raise RuntimeError(f"predict answered {response.status_code}: {response.text}")
            stack.check_alive()
            time.sleep(0.5)
    raise TimeoutError(f"no 200 from predict within {timeout:g}s:\n{stack.log_tail('realtime')}")


def measure_raw(version, texts: list[str]) -> dict:
    """The version's model in this process, with the workers' thread setting, through the
    worker's own predict function (same engine, ONNX Runtime on CPU, and the task's pre- and
    post-processing) minus Celery, Redis and HTTP: single items."""
    from django.conf import settings

    from slm_platform.ml.runtime import configure_threads
    from slm_platform.serving.worker import predict_with_version

    configure_threads(settings.ML_THREADS_PER_WORKER)

    def predict(batch: list[str]) -> list[dict]:
        return predict_with_version(version_id=version.pk, inputs=batch)

    for text in texts[:RAW_WARMUP_CALLS]:
        predict([text])
    latencies = []
    for text in texts:
        started = time.perf_counter()
        predict([text])
        latencies.append(time.perf_counter() - started)
    single = latency_summary(latencies) | {"items_per_s": len(latencies) / sum(latencies)}
    return {"single": single, "batch_items_per_s": batch_throughput(predict)}


def batch_throughput(predict) -> float:
    """Items/s predicting BATCH_ROUNDS batches of BATCH_SIZE fresh texts."""
    texts = sample_texts(BATCH_SIZE * BATCH_ROUNDS, seed=TEXT_SEED + 1)
    batches = [texts[i : i + BATCH_SIZE] for i in range(0, len(texts), BATCH_SIZE)]
    started = time.perf_counter()
    for batch in batches:
        predict(batch)
    return len(texts) / (time.perf_counter() - started)


def print_table(results: dict) -> None:
    print(f"\nrealtime predict, {results['model_version']} (preset {results['preset']}), "
          f"{results['requests']} requests per level, realtime worker concurrency "
          f"{results['realtime_concurrency']}, CPU threads per worker "
          f"{results['threads_per_worker']}, {results['cpus']} CPUs")
    row = "{:<22}{:>7}{:>9}{:>9}{:>9}{:>9}{:>8}{:>15}"
    print(row.format("path", "clients", "p50 ms", "p99 ms", "mean ms", "req/s", "errors",
                     "p50 / raw p50"))
    raw = results["raw"]
    print(row.format("raw model in-process", 1, f"{raw['p50_ms']:.2f}", f"{raw['p99_ms']:.2f}",
                     f"{raw['mean_ms']:.2f}", f"{raw['items_per_s']:.1f}", "-", "1.00"))
    for level in results["rest"]:
        print(row.format("REST + Celery", level["clients"], f"{level['p50_ms']:.2f}",
                         f"{level['p99_ms']:.2f}", f"{level['mean_ms']:.2f}",
                         f"{level['req_per_s']:.1f}", level["errors"],
                         f"{level['p50_ratio']:.2f}"))
    print(row.format(f"raw model batch {BATCH_SIZE}", 1, "", "", "",
                     f"{results['raw_batch_items_per_s']:.1f}", "", "(items/s)"))


def start_stack(args: argparse.Namespace, stack: Stack) -> tuple[str, str, object]:
    """Migrate, create the bench organization, start processes, wait for the starter model.

    Returns (predict URL, API key, active model version)."""
    prepare_database(stack)
    from slm_platform.registry.services import starter_models_ensure

    organization, key = bench_api_key()
    port = free_port()
    stack.start("training", worker_command(queue="training", concurrency=1))
    stack.start("realtime", worker_command(queue="realtime",
                                           concurrency=args.realtime_concurrency))
    # gunicorn's control socket defaults to one path per user: keep off a running platform's.
    stack.start("web", web_command(host="127.0.0.1", port=port))
    starter_models_ensure(organization=organization, preset=args.preset)
    print(f"waiting for the {args.preset} starter model of {TASK} "
          f"(first full run trains it: minutes)", flush=True)
    version = wait_for_active_version(organization, stack, args.train_timeout)
    wait_for_port("127.0.0.1", port, timeout=30)
    return f"http://127.0.0.1:{port}/api/v1/tasks/{TASK}/predict", key, version


def benchmark(args: argparse.Namespace, stack: Stack) -> dict:
    from django.conf import settings

    url, key, version = start_stack(args, stack)
    texts = sample_texts(args.requests, seed=TEXT_SEED)
    wait_for_first_answer(url, key, stack)
    run_level(url, key, sample_texts(args.warmup, seed=TEXT_SEED + 2), args.realtime_concurrency)
    print("measuring the raw model in-process", flush=True)
    raw = measure_raw(version, texts)
    rest = []
    for clients in args.concurrency:
        print(f"measuring REST + Celery, {clients} clients", flush=True)
        level = run_level(url, key, texts, clients)
        rest.append(level | {"p50_ratio": level["p50_ms"] / raw["single"]["p50_ms"]})
    return {
        "task": TASK, "model_version": version.name, "artifact": version.artifact_path,
        "preset": args.preset, "requests": args.requests, "cpus": os.cpu_count(),
        "realtime_concurrency": args.realtime_concurrency,
        "threads_per_worker": settings.ML_THREADS_PER_WORKER,
        "raw": raw["single"], "raw_batch_items_per_s": raw["batch_items_per_s"], "rest": rest,
    }


def main() -> int:
    args = parse_args()
    results = run_in_stack("slm-bench-", lambda data_dir: configure_environment(args, data_dir),
                           lambda stack, _data_dir: benchmark(args, stack))
    print_table(results)
    write_results(results, args.json)
    failed = sum(level["errors"] for level in results["rest"])
    total = sum(level["requests"] for level in results["rest"])
    if failed > MAX_ERROR_RATE * total:
        print(f"{failed} of {total} requests failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

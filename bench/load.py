"""Load: many concurrent clients against the whole stack for minutes, mixing predict, small
bulk-job uploads and job-status polling; failures, latency per endpoint, worker memory.

What runs, all on this machine and over loopback only:

- a fresh stack (bench/stack.py): a temporary DATA_DIR (SQLite unless DATABASE_URL is set), an
  embedded Redis unless REDIS_URL is set, gunicorn with --web-workers processes of
  --web-threads threads (a thread per client at least: a predict waits on its Celery result),
  and the realtime and bulk Celery workers exactly as `make run` starts them;
- the starter model of finance.transaction-category, trained by a training worker that is
  stopped before the load starts (MODEL_DIR=var/bench-models keeps the artifact for later
  runs); one predict and one small job go first, so that worker start-up and model loading are
  not part of what is measured;
- locust, headless, in a subprocess (bench/load_users.py): --users clients, started at
  --spawn-rate a second, each waiting 0.5-1.5 s between its requests, for --duration seconds:
  a single-text predict (10 in 14 requests), a 5-row CSV job upload (1 in 14) and the status
  of one of its last jobs (3 in 14). Any status but 200 (202 for an upload) is a failure.

The platform's rate limits would answer such a load with 429s, which are not what is measured:
the bench sets RATE_LIMIT_PREDICT_PER_KEY/_PER_IP and RATE_LIMIT_UPLOAD_PER_KEY/_PER_IP to
10000000/min for its own stack (the limit checks still run), and prints that it did.

Reported: requests tried and failed per endpoint, failures by type, p50/p95/p99 per endpoint
(locust's figures, ms) and requests/s; the resident memory of the realtime and bulk workers
(every process of each) sampled every 5 s: before the load, after 1,000 predictions (warm),
after 10,000 and at the end. Worker memory is flat when each worker grew by at most
LEAK_BOUND_MB from warm to the end, judged when the run made 10,000 predictions. The exit status
is 1 when any request failed or the memory was not flat.

    # the full run, on a quiet machine, against a disposable PostgreSQL database (created
    # first: createdb slm_load) and the real starter model: 100 clients for 5 minutes
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/slm_load \
        .venv/bin/python bench/load.py --users 100 --duration 300 --json load.json
    # a short check (SQLite; the tiny starter model trains in a minute)
    .venv/bin/python bench/load.py --users 20 --duration 30 --preset tiny

On SQLite every write waits for the one writer: 100 clients on a busy 2-core machine got 503
database_unavailable answers (30 of 879 requests in 60 s), which is why the full run takes
PostgreSQL, as production does.

The full run on PostgreSQL 15 (2 cores with AMX, other niced work beside it): 14,308 requests,
0 failed; p99 2.7 s (predict 2.8 s, upload 2.6 s, status 1.4 s), 47.8 requests/s; 10,152
predictions; realtime workers 1,329 -> 1,330 MB from warm to the end, bulk 1,330 -> 1,332 MB:
flat. Before the web server pooled its database connections (a connection per thread: 2 x 64
plus the workers, past PostgreSQL's 100) and before audit rows were group-committed (every
predict call queued on its organization's audit-chain lock), the same run failed 157 of 8,034
requests (503 database_unavailable) at p99 15 s and 26.7 requests/s.
"""

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
from realtime import TASK, sample_texts, wait_for_active_version, wait_for_first_answer
from stack import (
    ROOT,
    Stack,
    bench_api_key,
    free_port,
    prepare_database,
    run_in_stack,
    write_results,
)
from train_real import Api, wait_for_workers

from slm_platform.processes import (
    BIN,
    wait_for_port,
    web_command,
    web_database_pool,
    worker_command,
)
from slm_platform.run import processes

RATE_LIMIT = "10000000/min"
RATE_LIMIT_SETTINGS = (
    "RATE_LIMIT_PREDICT_PER_KEY",
    "RATE_LIMIT_PREDICT_PER_IP",
    "RATE_LIMIT_UPLOAD_PER_KEY",
    "RATE_LIMIT_UPLOAD_PER_IP",
)
ENDPOINTS = ("predict", "job upload", "job status")
LEAK_BOUND_MB = 50
WARM_PREDICTIONS = 1_000
LEAK_PREDICTIONS = 10_000
SAMPLE_SECONDS = 5
TEXT_COUNT = 2_000


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=100, help="concurrent clients")
    parser.add_argument("--duration", type=int, default=300, help="seconds of load")
    parser.add_argument("--spawn-rate", type=float, default=10, help="clients started a second")
    parser.add_argument("--preset", choices=("full", "tiny"), default="full")
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn processes")
    parser.add_argument("--web-threads", type=int, default=64, help="threads per process")
    parser.add_argument("--model-dir", type=Path, default=ROOT / "var" / "bench-models")
    parser.add_argument(
        "--train-timeout", type=float, default=1800, help="seconds to wait for the starter model"
    )
    parser.add_argument("--json", type=Path, help="write the results here, not to stdout")
    args = parser.parse_args()
    if args.web_workers * args.web_threads < args.users:
        parser.error("--web-workers x --web-threads must be at least --users")
    return args


def configure_environment(args: argparse.Namespace, data_dir: Path) -> None:
    """Settings come from the environment: set it before Django or any subprocess reads it."""
    os.environ["DATA_DIR"] = str(data_dir)
    os.environ["MODEL_DIR"] = str(args.model_dir.resolve())
    os.environ["DJANGO_SETTINGS_MODULE"] = "slm_platform.settings"
    for name in RATE_LIMIT_SETTINGS:
        os.environ[name] = RATE_LIMIT
    print(
        f"rate limits for this stack: {', '.join(RATE_LIMIT_SETTINGS)} = {RATE_LIMIT}", flush=True
    )


def stop(stack: Stack, name: str) -> None:
    """Stop one of the stack's processes, its pool too, as Stack.stop stops them all."""
    process = stack.processes[name]
    process.terminate()
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # its own session: the pool children too
        process.wait()
    del stack.processes[name]


def train_starter(organization, stack: Stack, args: argparse.Namespace):
    """The task's starter version, trained (or its artifact found in MODEL_DIR) by a training
    worker that is stopped once the version is active."""
    from slm_platform.audit.services import Actor
    from slm_platform.celery import app
    from slm_platform.core.catalog import catalog
    from slm_platform.registry.services import model_version_create
    from slm_platform.registry.starter import starter_train_config

    config = starter_train_config(spec=catalog.get(TASK), preset=args.preset)
    version = model_version_create(
        organization=organization,
        task_slug=TASK,
        base_model=config["base_model"],
        source="starter",
        training_config={"preset": args.preset, "config": config},
        actor=Actor.system(),
    )
    stack.start("training", worker_command(queue="training", concurrency=1))
    app.send_task("training.train_model_version", args=[version.pk], queue="training")
    print(f"waiting for the {args.preset} starter model of {TASK}", flush=True)
    version = wait_for_active_version(organization, stack, args.train_timeout)
    stop(stack, "training")
    return version


def job_run(api: Api, texts: list[str], timeout: float = 600) -> None:
    """One small job, uploaded and waited for: the bulk worker has loaded the model after."""
    body = "text\n" + "".join(f'"{text.replace(chr(34), chr(34) * 2)}"\n' for text in texts)
    job = api.call(
        "POST",
        "/jobs",
        files={"files": ("warm.csv", body.encode(), "text/csv")},
        data={"task": TASK},
    )
    deadline = time.monotonic() + timeout
    while job["status"] in ("queued", "running"):
        if time.monotonic() > deadline:
            raise TimeoutError(f"the warm-up job was still {job['status']} after {timeout:g}s")
        time.sleep(0.5)
        job = api.call("GET", f"/jobs/{job['id']}")
    if job["status"] != "succeeded":
        raise RuntimeError(f"the warm-up job {job['status']}: {job['error']}")


def start_stack(args: argparse.Namespace, stack: Stack) -> tuple[str, str]:
    """Migrate, create the bench organization, train, start web and workers, warm them.
    Returns (base URL, API key)."""
    prepare_database(stack)
    organization, key = bench_api_key("load")
    train_starter(organization, stack, args)
    port = free_port()
    stack.start(
        "web",
        web_command(
            host="127.0.0.1", port=port, threads=args.web_threads, workers=args.web_workers
        ),
    )
    workers = processes()
    stack.start("realtime", workers["realtime"])
    stack.start("bulk", workers["bulk"])
    wait_for_port("127.0.0.1", port, timeout=30)
    wait_for_workers(stack, ("realtime", "bulk"))
    base = f"http://127.0.0.1:{port}"
    wait_for_first_answer(f"{base}/api/v1/tasks/{TASK}/predict", key, stack)
    job_run(Api(f"{base}/api/v1", key), sample_texts(5, seed=7))
    return base, key


def rss_mb(stack: Stack, name: str) -> float:
    """Resident memory of a process and all its children (a worker's pool), in MB."""
    root = psutil.Process(stack.processes[name].pid)
    total = 0
    for process in [root, *root.children(recursive=True)]:
        try:
            total += process.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total / 2**20


def predictions_so_far(history: Path) -> int:
    """Predict requests made so far, from locust's stats history (one row a second)."""
    if not history.exists():
        return 0
    with history.open(newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row.get("Name") == "predict"]
    return int(rows[-1]["Total Request Count"]) if rows else 0


class MemorySampler(threading.Thread):
    """Every SAMPLE_SECONDS: (seconds, predictions, realtime MB, bulk MB, web MB)."""

    def __init__(self, stack: Stack, history: Path):
        super().__init__(daemon=True)
        self.stack, self.history = stack, history
        self.samples: list[tuple[float, int, float, float, float]] = []
        self.done = threading.Event()
        self.started_at = time.monotonic()

    def sample(self) -> None:
        self.samples.append(
            (
                round(time.monotonic() - self.started_at, 1),
                predictions_so_far(self.history),
                *(round(rss_mb(self.stack, name), 1) for name in ("realtime", "bulk", "web")),
            )
        )

    def run(self) -> None:
        while not self.done.wait(SAMPLE_SECONDS):
            self.sample()


def run_locust(args: argparse.Namespace, base: str, key: str, out: Path) -> Path:
    """Locust, headless, for the duration; its CSV files go to `out`. Returns their prefix."""
    texts = out / "texts.json"
    texts.write_text(json.dumps(sample_texts(TEXT_COUNT, seed=2025)))
    prefix = out / "load"
    command = [
        str(BIN / "locust"),
        "-f",
        str(ROOT / "bench" / "load_users.py"),
        "--headless",
        "--host",
        base,
        "--users",
        str(args.users),
        "--spawn-rate",
        str(args.spawn_rate),
        "--run-time",
        f"{args.duration}s",
        "--stop-timeout",
        "30",
        "--csv",
        str(prefix),
        "--csv-full-history",
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    env = {**os.environ, "LOAD_API_KEY": key, "LOAD_TASK": TASK, "LOAD_TEXTS": str(texts)}
    with (out / "locust.log").open("w") as log:
        subprocess.run(
            command,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            timeout=args.duration + 300,
        )
    return prefix


def endpoint_stats(prefix: Path) -> dict:
    with Path(f"{prefix}_stats.csv").open(newline="") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    return {
        name: {
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "p50_ms": float(row["50%"]),
            "p95_ms": float(row["95%"]),
            "p99_ms": float(row["99%"]),
            "max_ms": float(row["Max Response Time"]),
            "req_per_s": round(float(row["Requests/s"]), 1),
        }
        for name, row in rows.items()
        if name in (*ENDPOINTS, "Aggregated")
    }


def failure_types(prefix: Path) -> dict[str, int]:
    with Path(f"{prefix}_failures.csv").open(newline="") as handle:
        return {
            f"{row['Name']}: {row['Error']}"[:300]: int(row["Occurrences"])
            for row in csv.DictReader(handle)
        }


def memory_summary(before: tuple, samples: list[tuple]) -> dict:
    """Worker memory before the load, warm, after 10,000 predictions and at the end."""

    def at(predictions: int) -> tuple | None:
        return next((sample for sample in samples if sample[1] >= predictions), None)

    points = {
        "before_load": before,
        "warm": at(WARM_PREDICTIONS),
        "after_10000_predictions": at(LEAK_PREDICTIONS),
        "end": samples[-1] if samples else None,
    }
    summary = {
        name: None
        if point is None
        else {
            "seconds": point[0],
            "predictions": point[1],
            "realtime_mb": point[2],
            "bulk_mb": point[3],
            "web_mb": point[4],
        }
        for name, point in points.items()
    }
    before, warm, end = points["before_load"], points["warm"], points["end"]
    for index, worker in ((2, "realtime"), (3, "bulk")):
        summary[f"{worker}_growth_mb"] = round(end[index] - warm[index], 1) if warm else None
        summary[f"{worker}_growth_since_before_load_mb"] = round(end[index] - before[index], 1)
    judged = points["after_10000_predictions"] is not None
    growths = [summary["realtime_growth_mb"], summary["bulk_growth_mb"]]
    summary["flat"] = all(growth <= LEAK_BOUND_MB for growth in growths) if judged else None
    return summary


def benchmark(args: argparse.Namespace, stack: Stack, data_dir: Path) -> dict:
    base, key = start_stack(args, stack)
    out = data_dir / "locust"
    out.mkdir()
    sampler = MemorySampler(stack, Path(f"{out / 'load'}_stats_history.csv"))
    sampler.sample()
    before = sampler.samples.pop()
    print(f"load: {args.users} clients for {args.duration}s against {base}", flush=True)
    sampler.start()
    try:
        prefix = run_locust(args, base, key, out)
    finally:
        sampler.done.set()
        sampler.join()
    sampler.sample()
    stack.check_alive()
    from django.db import connection

    return {
        "database": connection.vendor,
        "users": args.users,
        "duration_s": args.duration,
        "preset": args.preset,
        "web": f"{args.web_workers} processes x {args.web_threads} threads, "
        f"{web_database_pool(args.web_threads)} database connections each",
        "rate_limits": {name: RATE_LIMIT for name in RATE_LIMIT_SETTINGS},
        "cpus": os.cpu_count(),
        "endpoints": endpoint_stats(prefix),
        "failures": failure_types(prefix),
        "memory": memory_summary(before, sampler.samples),
        "samples": sampler.samples,
    }


def print_report(results: dict) -> None:
    print(
        f"\nload: {results['users']} clients, {results['duration_s']}s, starter model "
        f"{results['preset']}, {results['database']}, web {results['web']}, {results['cpus']} "
        f"CPUs; rate limits set to {RATE_LIMIT} for this run"
    )
    row = "{:<12}{:>10}{:>10}{:>10}{:>10}{:>10}{:>10}{:>8}"
    print(
        row.format(
            "endpoint", "requests", "failures", "p50 ms", "p95 ms", "p99 ms", "max ms", "req/s"
        )
    )
    for name, stats in results["endpoints"].items():
        print(
            row.format(
                name,
                stats["requests"],
                stats["failures"],
                f"{stats['p50_ms']:.0f}",
                f"{stats['p95_ms']:.0f}",
                f"{stats['p99_ms']:.0f}",
                f"{stats['max_ms']:.0f}",
                f"{stats['req_per_s']:.1f}",
            )
        )
    for failure, count in results["failures"].items():
        print(f"  failed {count}x  {failure}")
    memory = results["memory"]
    print("worker memory (MB, all processes of each):")
    for point in ("before_load", "warm", "after_10000_predictions", "end"):
        sample = memory[point]
        print(
            f"  {point:<24}"
            + (
                "not reached"
                if sample is None
                else f"{sample['predictions']:>7} predictions  realtime "
                f"{sample['realtime_mb']:.0f}  bulk {sample['bulk_mb']:.0f}  "
                f"web {sample['web_mb']:.0f}"
            )
        )
    flat = {True: "flat", False: "NOT flat", None: "not judged (fewer than 10,000 predictions)"}
    print(
        f"  growth from warm to end: realtime {memory['realtime_growth_mb']} MB, bulk "
        f"{memory['bulk_growth_mb']} MB (from before the load: "
        f"{memory['realtime_growth_since_before_load_mb']} and "
        f"{memory['bulk_growth_since_before_load_mb']}); bound {LEAK_BOUND_MB} MB each: "
        f"{flat[memory['flat']]}"
    )


def main() -> int:
    args = parse_args()
    results = run_in_stack(
        "slm-load-",
        lambda data_dir: configure_environment(args, data_dir),
        lambda stack, data_dir: benchmark(args, stack, data_dir),
    )
    print_report(results)
    write_results(results, args.json)
    failed = results["endpoints"]["Aggregated"]["failures"]
    return 1 if failed or results["memory"]["flat"] is False else 0


if __name__ == "__main__":
    sys.exit(main())

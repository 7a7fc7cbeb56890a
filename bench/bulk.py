"""Bulk jobs at the machine's speed: the platform against the raw engine and a naive loop.

In one run on this machine, over the same 100,000-row CSV (CLINC150 queries, cycled) and the
same fine-tuned MiniLM classifier artifact:

(a) the raw engine: bench/bulk_engine.py's engines in-process (torch and ONNX Runtime, fp32,
    bf16, int8; threads per process), the best rows/s kept, and that setup timed again after
    (b): the machine's speed drifts within minutes, so (b) is compared with the mean of both;
(b) the platform: a fresh stack (web + the bulk worker `make run` starts: one single-threaded
    process per core), the artifact registered as the active version of a custom task, and the wall
    time from POST /api/v1/jobs with the CSV until the results CSV is downloaded; the bulk
    worker's memory (RSS of its processes) is sampled through the run;
(c) a naive `transformers.pipeline("text-classification")` loop over the rows (timed on a
    sample by bulk_engine.py, extrapolated, and said so).

It prints (b)/(a) (target >= 0.90) and (a)/(c) (target >= 10), and the worker's RSS at the
first and last quarter of the job (steady = no growth with rows done).

    .venv/bin/python bench/bulk.py                          # trains the artifact on first run
    .venv/bin/python bench/bulk.py --rows 20000 --artifact DIR --json out.json
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
from stack import (
    ROOT,
    Stack,
    bench_api_key,
    free_port,
    prepare_database,
    run_in_stack,
    write_results,
)
from train_real import Api, configure_environment, wait_for_workers

from slm_platform.processes import PYTHON, wait_for_port, web_command
from slm_platform.run import processes

POLL_SECONDS = 0.5
TASK = "clinc-intents"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--artifact", type=Path, default=None,
                        help="a fine-tuned classifier artifact (default: bulk_engine.py's)")
    parser.add_argument("--engines-json", type=Path, default=None,
                        help="take (a) and (c) from an earlier bulk_engine.py --json run "
                             "instead of running it (the figures then come from two runs)")
    parser.add_argument("--engines", default="ort-int8,naive",
                        help="bulk_engine.py --only: the engines timed for (a) and (c); the "
                             "platform serves with ONNX Runtime, and the torch engines take "
                             "minutes each at 100,000 rows (all: every engine)")
    parser.add_argument("--json", type=Path, help="write the results here, not to stdout")
    return parser.parse_args()


def engines(args: argparse.Namespace, out: Path) -> dict:
    """(a) and (c), by bulk_engine.py in its own processes; its JSON plus the best of each."""
    if args.engines_json is None:
        command = [PYTHON, str(ROOT / "bench" / "bulk_engine.py"), "--rows", str(args.rows),
                   "--json", str(out)]
        if args.artifact:
            command += ["--artifact", str(args.artifact)]
        if args.engines != "all":
            command += ["--only", args.engines]
        subprocess.run(command, check=True, cwd=ROOT)
    report = json.loads((args.engines_json or out).read_text())
    runs = report["engines"]
    report["best"] = max((run for run in runs if run["engine"] != "naive"),
                         key=lambda run: run["rows_per_second"])
    report["naive"] = max((run for run in runs if run["engine"] == "naive"),
                          key=lambda run: run["rows_per_second"])
    for run in (report["best"], report["naive"]):
        run["name"] = f"{run['engine']} ({run['threads']} thread(s) x {run['processes']})"
    return report


def engine_again(args: argparse.Namespace, best: dict, artifact: Path) -> float:
    """The best engine setup of (a) timed once more (rows/s), after the platform's run."""
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "again.json"
        command = [PYTHON, str(ROOT / "bench" / "bulk_engine.py"), "--rows", str(args.rows),
                   "--json", str(out), "--artifact", str(artifact),
                   "--only", f"{best['engine']}:{best['threads']}:{best['processes']}"]
        subprocess.run(command, check=True, cwd=ROOT)
        return json.loads(out.read_text())["engines"][0]["rows_per_second"]


def choose_precision(artifact: Path) -> dict:
    """Measure int8 against fp32 on CLINC150's validation split and record the faster one if it
    holds accuracy, as onnx_engine.select_precision does (training runs do not call it yet)."""
    from bulk_engine import DATA

    from slm_platform.ml.onnx_engine import select_precision

    data = json.loads(DATA.read_text())
    rows = data["val"] + [(text, "oos") for text, _ in data["oos_val"]]
    return select_precision(artifact, [text for text, _ in rows], [label for _, label in rows])


def register_artifact(organization, artifact: Path) -> None:
    """The artifact as the active version of a custom task, as a finished training would."""
    from slm_platform.audit.services import Actor
    from slm_platform.core.task_services import custom_task_create
    from slm_platform.registry.services import (
        model_version_activate,
        model_version_create,
        model_version_mark_ready,
    )
    from slm_platform.registry.storage import artifact_upload

    id2label = json.loads((artifact / "config.json").read_text())["id2label"]
    labels = [id2label[key] for key in sorted(id2label, key=int)]
    system = Actor.system()
    custom_task_create(organization=organization, slug=TASK, kind="classification",
                       labels=labels, actor=system)
    version = model_version_create(organization=organization, task_slug=TASK,
                                   base_model="all-MiniLM-L6-v2", source="bench",
                                   training_config={}, actor=system)
    name = artifact_upload(local_dir=artifact, name=f"bench-{TASK}-{version.pk}")
    version = model_version_mark_ready(version=version, artifact_path=name, metrics={},
                                       training_config={})
    model_version_activate(version=version, actor=system)


def worker_rss(stack: Stack) -> int:
    process = psutil.Process(stack.processes["bulk"].pid)
    return sum(p.memory_info().rss for p in [process, *process.children(recursive=True)])


def wait_until_idle(stack: Stack, name: str, timeout: float = 60) -> None:
    """Until the worker's pool processes have finished starting (they import the serving
    stack first, a few seconds of CPU): a job then meets a worker as it would in production,
    long after start-up."""
    process = psutil.Process(stack.processes[name].pid)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        tree = [process, *process.children(recursive=True)]
        for member in tree:
            member.cpu_percent()
        time.sleep(1.0)
        if sum(member.cpu_percent() for member in tree if member.is_running()) < 10:
            return
    raise TimeoutError(f"the {name} worker was still busy {timeout:g} s after it started")


def job_phases(job_id: int) -> dict:
    """Seconds the job spent queued (upload stored -> a worker starts reading), reading the
    files into items, predicting (first chunk stored -> finished; it overlaps reading) and
    predicting after the last row was read, from its own timestamps."""
    from slm_platform.jobs.models import Job

    job = Job.objects.get(pk=job_id)

    def seconds(start, end) -> float:
        return round((end - start).total_seconds(), 1)

    return {"queued": seconds(job.created_at, job.started_at),
            "reading": seconds(job.started_at, job.read_at),
            "predicting": seconds(job.predicting_since, job.finished_at),
            "predicting_after_reading": seconds(job.read_at, job.finished_at)}


def platform_run(stack: Stack, csv_path: Path, artifact: Path) -> dict:
    prepare_database(stack)
    organization, key = bench_api_key("bulk")
    register_artifact(organization, artifact)
    port = free_port()
    stack.start("web", web_command(host="127.0.0.1", port=port))
    stack.start("bulk", processes()["bulk"])  # exactly what `make run` starts
    wait_for_port("127.0.0.1", port, timeout=30)
    wait_for_workers(stack, ("bulk",))
    wait_until_idle(stack, "bulk")
    api = Api(f"http://127.0.0.1:{port}/api/v1", key)

    started = time.monotonic()
    with csv_path.open("rb") as handle:
        job = api.call("POST", "/jobs", files={"files": (csv_path.name, handle, "text/csv")},
                       data={"task": TASK, "text_column": "text"})
    samples = []  # (fraction done, worker RSS)
    while job["status"] in ("queued", "running"):
        stack.check_alive()
        time.sleep(POLL_SECONDS)
        job = api.call("GET", f"/jobs/{job['id']}")
        progress = job["progress"]
        if progress["total"]:
            samples.append((progress["done"] / progress["total"], worker_rss(stack)))
            print(f"  {progress['done']:,}/{progress['total']:,} items, "
                  f"{progress['items_per_second'] or 0:.0f}/s", flush=True)
    predicted = time.monotonic()
    response = api.session.get(f"{api.base}/jobs/{job['id']}/results?format=csv", stream=True,
                               timeout=600)
    response.raise_for_status()
    lines = sum(chunk.count(b"\n") for chunk in response.iter_content(1 << 20))
    seconds = time.monotonic() - started
    if job["status"] != "succeeded":
        raise RuntimeError(f"job {job['id']} {job['status']}: {job['error']}")
    phases = job_phases(job["id"])
    phases["download"] = round(time.monotonic() - predicted, 1)
    early = [rss for fraction, rss in samples if fraction <= 0.25] or [samples[0][1]]
    late = [rss for fraction, rss in samples if fraction >= 0.75] or [samples[-1][1]]
    return {"rows": job["progress"]["total"], "result_lines": lines - 1,
            "seconds": round(seconds, 1), "predict_seconds": round(predicted - started, 1),
            "rows_per_second": round(job["progress"]["total"] / seconds, 1),
            "phase_seconds": phases,
            "worker_rss_mb_first_quarter": round(max(early) / 2**20, 1),
            "worker_rss_mb_last_quarter": round(max(late) / 2**20, 1)}


def main() -> int:
    args = parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        engine = engines(args, Path(scratch) / "engines.json")
    artifact = Path(engine["artifact"])
    csv_path = ROOT / "var" / "bench-data" / f"clinc150-{engine['rows']}.csv"
    precision = choose_precision(artifact)
    print(f"serving precision: {json.dumps(precision)}", flush=True)
    platform = run_in_stack("slm-bench-bulk-", configure_environment,
                            lambda stack, _: platform_run(stack, csv_path, artifact))
    best = engine["best"]
    naive = engine["naive"]
    # The machine's speed drifts within minutes: (a) is timed again after (b), with the best
    # setup, and (b) is compared with the mean of the two.
    after = engine_again(args, best, artifact)
    raw = (best["rows_per_second"] + after) / 2
    results = {"platform": platform, "engines": engine, "precision": precision,
               "raw_after_platform": round(after, 1), "raw_mean": round(raw, 1)}
    results["platform_over_raw"] = round(platform["rows_per_second"] / raw, 3)
    results["raw_over_naive"] = round(best["rows_per_second"] / naive["rows_per_second"], 1)
    print(f"(a) raw engine, best: {best['name']} {best['rows_per_second']:,.0f} rows/s before "
          f"(b), {after:,.0f} after; mean {raw:,.0f}")
    print(f"(b) platform, upload to results: {platform['rows_per_second']:,.0f} rows/s "
          f"({platform['seconds']} s for {platform['rows']:,} rows) = "
          f"{results['platform_over_raw']:.2f} x (a)'s mean   [target >= 0.90]")
    print(f"(c) naive pipeline loop: {naive['rows_per_second']:,.0f} rows/s; (a)/(c) = "
          f"{results['raw_over_naive']:.1f}   [target >= 10]")
    print(f"platform phases, seconds: {json.dumps(platform['phase_seconds'])} (upload: the rest "
          f"of {platform['seconds']} s)")
    print(f"bulk worker RSS: {platform['worker_rss_mb_first_quarter']} MB in the first "
          f"quarter, {platform['worker_rss_mb_last_quarter']} MB in the last")
    write_results(results, args.json)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "slm_platform.settings")
    sys.exit(main())

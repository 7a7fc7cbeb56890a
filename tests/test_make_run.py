"""`make run`'s launcher end to end, on the default path a newcomer gets: no DATABASE_URL (SQLite),
no REDIS_URL (embedded redis-server), web + one worker per queue, a printed login and API key,
predict answered once the starter model is trained, and a clean stop on Ctrl-C."""

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
import requests

from slm_platform.processes import port_open, wait_for_port
from tests.conftest import _free_port

ROOT = Path(__file__).resolve().parent.parent
PREDICT = "/api/v1/tasks/finance.transaction-category/predict"


def _wait_for(pattern: str, log: Path, process, timeout: float) -> re.Match:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = re.search(pattern, log.read_text())
        if found:
            return found
        assert process.poll() is None, log.read_text()[-3000:]
        time.sleep(0.2)
    raise AssertionError(f"{pattern!r} not seen:\n{log.read_text()[-3000:]}")


def _predict_when_ready(base: str, key: str, timeout: float) -> requests.Response:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = requests.post(base + PREDICT, json={"inputs": ["UBER *TRIP HELP.UBER.COM"]},
                                 headers={"Authorization": f"Bearer {key}"}, timeout=30)
        if response.status_code != 503:
            return response
        assert response.headers["Retry-After"]
        time.sleep(1)
    raise AssertionError("the starter model was not served in time")


@pytest.fixture
def platform(tmp_path):
    port, redis_port = _free_port(), _free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env |= {"DATA_DIR": str(tmp_path), "PORT": str(port), "EMBEDDED_REDIS_PORT": str(redis_port),
            "STARTER_MODEL_PRESET": "tiny", "REALTIME_CONCURRENCY": "1"}
    log = tmp_path / "run.log"
    with log.open("w") as output:
        process = subprocess.Popen([sys.executable, "-m", "slm_platform.run"], cwd=ROOT, env=env,
                                   stdout=output, stderr=subprocess.STDOUT)
    yield process, log, f"http://127.0.0.1:{port}", redis_port
    if process.poll() is None:
        process.kill()


def test_run_serves_predictions_and_stops_cleanly(platform):
    process, log, base, redis_port = platform
    key = _wait_for(r"API key:\s+(\S+)", log, process, timeout=120).group(1)
    _wait_for(r"Login:\s+admin / \S+", log, process, timeout=5)
    _wait_for(r"SLM Platform: http", log, process, timeout=30)
    wait_for_port("127.0.0.1", int(base.rsplit(":", 1)[1]), timeout=60)

    response = _predict_when_ready(base, key, timeout=240)
    assert response.status_code == 200, response.text
    assert response.json()["predictions"][0]["label"]
    events = requests.get(base + "/api/v1/audit-events?action=predict",
                          headers={"Authorization": f"Bearer {key}"}, timeout=10).json()
    assert events["results"][0]["outcome"] == "success"

    children = psutil.Process(process.pid).children(recursive=True)
    assert len(children) >= 5  # redis, web, three workers (and their pool processes)
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=60) in (0, 130)  # 130: the conventional status after Ctrl-C
    gone, alive = psutil.wait_procs(children, timeout=30)
    assert alive == [], f"left running: {[p.cmdline() for p in alive]}"
    assert not port_open("127.0.0.1", redis_port), "the embedded Redis was left running"
    credentials = json.loads((log.parent / "demo-credentials.json").read_text())
    assert credentials["api_key"] == key

"""Waiting on the API for asynchronous work (jobs, training runs) to reach a status."""

import time


def wait_for_status(client, url: str, *, until, timeout: float, interval: float = 0.2) -> dict:
    """GET `url` until its `status` is one of `until`; fail naming the last status and
    progress seen."""
    deadline = time.monotonic() + timeout
    body = {}
    while time.monotonic() < deadline:
        body = client.get(url).json()
        if body["status"] in until:
            return body
        time.sleep(interval)
    raise AssertionError(f"{url} still {body.get('status')}: {body.get('progress')}")

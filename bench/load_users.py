"""The clients bench/load.py runs under locust: each one predicts (most of its requests),
uploads small bulk jobs and polls their status, as an integration would.

Not run on its own: bench/load.py starts locust with this file and sets LOAD_API_KEY (the bench
organization's key), LOAD_TASK (the task to predict) and LOAD_TEXTS (a JSON file of texts).
Every answer other than the expected status is a failure, named by endpoint and status.
"""

import json
import os
import random
import uuid
from pathlib import Path

from locust import FastHttpUser, between, task

TASK = os.environ.get("LOAD_TASK", "finance.transaction-category")
TEXTS = json.loads(Path(os.environ["LOAD_TEXTS"]).read_text()) if "LOAD_TEXTS" in os.environ else []
JOB_ROWS = 5
WAIT_SECONDS = (
    float(os.environ.get("LOAD_WAIT_MIN", "0.5")),
    float(os.environ.get("LOAD_WAIT_MAX", "1.5")),
)


def job_body(texts: list[str]) -> tuple[bytes, str]:
    """A multipart form with the task and a CSV of `texts`: (body, content type)."""
    boundary = uuid.uuid4().hex
    rows = "".join(f'"{text.replace(chr(34), chr(34) * 2)}"\n' for text in texts)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="task"\r\n\r\n{TASK}\r\n',
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="rows.csv"'
        f"\r\nContent-Type: text/csv\r\n\r\ntext\n{rows}\r\n",
        f"--{boundary}--\r\n",
    ]
    return "".join(parts).encode(), f"multipart/form-data; boundary={boundary}"


class Integration(FastHttpUser):
    wait_time = between(*WAIT_SECONDS)

    def on_start(self) -> None:
        self.jobs: list[int] = []  # this client's latest uploads, whose status it polls
        self.upload_job()

    def expect(self, name: str, status: int, *, headers: dict | None = None, **kwargs):
        """The request, counted as a failure unless it answers `status`."""
        headers = {"Authorization": f"Bearer {os.environ['LOAD_API_KEY']}", **(headers or {})}
        with self.client.request(
            name=name, catch_response=True, headers=headers, **kwargs
        ) as response:
            if response.status_code != status:
                response.failure(f"{name}: {response.status_code} {response.text[:200]!r}")
                return None
            response.success()
            return response

    @task(10)
    def predict(self) -> None:
        self.expect(
            "predict",
            200,
            method="POST",
            url=f"/api/v1/tasks/{TASK}/predict",
            json={"inputs": [random.choice(TEXTS)]},
        )

    @task(1)
    def upload_job(self) -> None:
        body, content_type = job_body(random.sample(TEXTS, JOB_ROWS))
        response = self.expect(
            "job upload",
            202,
            method="POST",
            url="/api/v1/jobs",
            data=body,
            headers={"Content-Type": content_type},
        )
        if response is not None:
            self.jobs = [*self.jobs[-4:], response.json()["id"]]

    @task(3)
    def job_status(self) -> None:
        if self.jobs:
            self.expect(
                "job status", 200, method="GET", url=f"/api/v1/jobs/{random.choice(self.jobs)}"
            )

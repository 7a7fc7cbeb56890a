"""Upload and polling helpers shared by the job tests."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.polling import wait_for_status

TASK = "finance.transaction-category"
FINISHED = ("succeeded", "failed", "cancelled", "partially_failed")
MERCHANTS = ["STARBUCKS STORE 1234 SEATTLE WA", "SHELL OIL 5744 HOUSTON TX",
             "NETFLIX.COM 866-579-7172 CA", "UBER *TRIP HELP.UBER.COM", "WALGREENS #4411",
             "AMZN Mktp US*2K4LL0YH2 Amzn.com/bill WA", "DELTA AIR 0062345 ATLANTA"]


def transactions_csv(rows: int, *, delimiter: str = ",") -> bytes:
    lines = [delimiter.join(["id", "description", "amount"])]
    for number in range(rows):
        merchant = MERCHANTS[number % len(MERCHANTS)]
        lines.append(delimiter.join([str(number), f'"{merchant} {number}"',
                                     f"{-(number % 90 + 1.25):.2f}"]))
    return ("\n".join(lines) + "\n").encode()


def upload(client, files: dict[str, bytes], *, task: str = TASK, headers: dict | None = None,
           **fields):
    body = {"task": task, "files": [SimpleUploadedFile(name, data) for name, data in
                                    files.items()], **fields}
    return client.post("/api/v1/jobs", body, format="multipart", headers=headers or {})


def zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def wait_for_job(client, job_id: int, *, until=FINISHED, timeout: float = 120) -> dict:
    return wait_for_status(client, f"/api/v1/jobs/{job_id}", until=until, timeout=timeout)


def content(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content

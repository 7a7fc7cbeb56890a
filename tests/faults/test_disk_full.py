"""A full upload disk: job, dataset and knowledge-document uploads answer 507 naming the
file and keep nothing of it (no row, no partial file), and work again once space is freed.
The disk is a small tmpfs mounted over the job upload folder, which the suite's worker reads
too, so a job uploaded after space is freed runs end to end."""

import errno
import os
import subprocess
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from slm_platform.chat.models import KnowledgeDocument
from slm_platform.datasets.models import Dataset, DatasetVersion
from slm_platform.jobs.models import Job
from tests.jobs.helpers import transactions_csv, upload, wait_for_job

pytestmark = pytest.mark.django_db(transaction=True)
ROWS = 300


class FullDisk:
    def __init__(self, root: Path):
        self.root = root
        self.filler = root / "filler"
        self.store = root / "store"  # the dataset storage's folder, on the same disk
        for folder in (root / "incoming", self.store):
            folder.mkdir()
        descriptor = os.open(self.filler, os.O_WRONLY | os.O_CREAT)
        try:
            while True:
                os.write(descriptor, b"\0" * 65536)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
        finally:
            os.close(descriptor)

    def assert_nothing_left(self) -> None:
        """No file but the filler: no stored upload, no partial one (folders may stay)."""
        assert [path for path in self.root.rglob("*") if not path.is_dir()] == [self.filler]

    def free(self) -> None:
        self.filler.unlink()


@pytest.fixture
def full_disk(settings):
    root = Path(settings.JOB_UPLOAD_DIR)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(root)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"a small tmpfs cannot be mounted here (needs root): {mounted.stderr}")
    try:
        disk = FullDisk(root)
        settings.STORAGES = settings.STORAGES | {"default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(disk.store)}}}
        yield disk
    finally:
        if subprocess.run(["umount", str(root)]).returncode != 0:
            subprocess.run(["umount", "-l", str(root)], check=True)


def _assert_insufficient_storage(response, name: str, field: str) -> None:
    assert response.status_code == 507, response.content[:500]
    error = response.json()["error"]
    assert error["code"] == "insufficient_storage"
    assert name in error["message"]
    assert error["details"] == {"field": field, "file": name}


def test_a_job_upload_on_a_full_disk_is_refused_and_keeps_nothing(admin_client, trained_model,
                                                                  full_disk, settings):
    data = transactions_csv(ROWS)
    response = upload(admin_client, {"small.csv": data}, text_column="description")
    _assert_insufficient_storage(response, "small.csv", "files")
    # Larger than this, an upload arrives in a temporary file on the upload disk.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = len(data) // 4
    response = upload(admin_client, {"large.csv": data}, text_column="description")
    _assert_insufficient_storage(response, "large.csv", "files")
    assert not Job.objects.exists()
    full_disk.assert_nothing_left()

    full_disk.free()
    response = upload(admin_client, {"large.csv": data}, text_column="description")
    assert response.status_code == 202, response.content
    job = wait_for_job(admin_client, response.json()["id"])
    assert job["status"] == "succeeded" and job["progress"]["done"] == ROWS


def test_dataset_and_document_uploads_on_a_full_disk_are_refused_and_keep_nothing(
        admin_client, full_disk):
    admin_client.post("/api/v1/tasks", {"slug": "support-intents", "kind": "classification"},
                      format="json")
    rows = [f"Please cancel order {n} now,cancel" for n in range(6)] + \
        [f"Where is my parcel number {n},delivery" for n in range(6)]
    dataset = SimpleUploadedFile("intents.csv", ("text,label\n" + "\n".join(rows)).encode())
    response = admin_client.post("/api/v1/datasets", {"file": dataset, "task": "support-intents"},
                                 format="multipart")
    _assert_insufficient_storage(response, "intents.csv", "file")
    assert not Dataset.objects.exists() and not DatasetVersion.objects.exists()

    knowledge_base = admin_client.post("/api/v1/knowledge-bases", {"name": "Help centre"},
                                       format="json").json()
    document = SimpleUploadedFile("refunds.md", b"# Refunds\n\nRefunds take five days.\n")
    response = admin_client.post(f"/api/v1/knowledge-bases/{knowledge_base['id']}/documents",
                                 {"file": document}, format="multipart")
    _assert_insufficient_storage(response, "refunds.md", "file")
    assert not KnowledgeDocument.objects.exists()
    full_disk.assert_nothing_left()

    full_disk.free()
    dataset.seek(0)
    response = admin_client.post("/api/v1/datasets", {"file": dataset, "task": "support-intents"},
                                 format="multipart")
    assert response.status_code == 201, response.content
    assert DatasetVersion.objects.get().row_count == 12

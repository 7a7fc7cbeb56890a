"""A job upload's files as paths on disk, for job_create, from the API and the dashboard."""

import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

from slm_platform.core.errors import InsufficientStorage, disk_full
from slm_platform.jobs.services import Upload


@contextlib.contextmanager
def uploads_on_disk(files, *, field: str = "files") -> Iterator[list[Upload]]:
    """Each uploaded file as a path: large ones are already in a temporary file (on the upload
    disk, so job_create moves them with a rename); small ones are written under
    JOB_UPLOAD_DIR. Whatever job_create did not take is removed afterwards. A full disk is a
    507 naming the file, with nothing of the upload left behind."""
    uploads: list[Upload] = []
    try:
        for upload in files:
            uploads.append(_on_disk(upload, field))
        yield uploads
    finally:
        for stored in uploads:
            stored.path.unlink(missing_ok=True)


def _on_disk(upload, field: str) -> Upload:
    if hasattr(upload, "temporary_file_path"):
        return Upload(name=upload.name, path=Path(upload.temporary_file_path()))
    settings.JOB_UPLOAD_DIR.mkdir(parents=True, exist_ok=True)
    path = None
    try:
        with tempfile.NamedTemporaryFile(dir=settings.JOB_UPLOAD_DIR, delete=False,
                                         prefix="upload-") as stored:
            path = Path(stored.name)
            for block in upload.chunks():
                stored.write(block)
    except OSError as exc:
        if path is not None:
            path.unlink(missing_ok=True)
        if disk_full(exc):
            raise InsufficientStorage.for_file(upload.name, field=field) from exc
        raise
    return Upload(name=upload.name, path=path)

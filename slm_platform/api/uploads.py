"""Uploads in API requests: refuse one by its declared size before Django reads a byte of its
body, and hand the document endpoints their files (or text) as Documents."""

import contextlib
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from django.conf import settings

from slm_platform.core.errors import (
    InsufficientStorage,
    PayloadTooLarge,
    ValidationFailed,
    disk_full,
)
from slm_platform.ingest.documents import Document


def declared_size_check(request, *, limit: int, what: str, field: str,
                        slack: int = 0) -> None:
    """413 when the request's Content-Length is over `limit` (+ `slack` for the multipart
    envelope around the file) bytes; `what` names the limit ("datasets may be")."""
    declared = int(request.META.get("CONTENT_LENGTH") or 0)
    if declared > limit + slack:
        raise PayloadTooLarge(f"the upload is {declared / 1e6:.1f} MB; {what} at most "
                              f"{limit / 1e6:.0f} MB", details={"field": field})


def request_fields(request) -> Mapping:
    """The request's fields: a form's, or a JSON body's, which must then be an object (a JSON
    list or a bare value holds no fields: 400, not an error deep in the view)."""
    if not isinstance(request.data, Mapping):
        raise ValidationFailed("the body must be a JSON object", details={"field": "body"})
    return request.data


@contextlib.contextmanager
def request_documents(request, fields: tuple[str, ...], what: str) -> Iterator[list[Document]]:
    """One Document per field: an uploaded file written to a temporary directory on the upload
    disk (removed afterwards; a full disk is a 507 naming the file), or text sent in the
    field; `what` says what the field takes, for the error when it is missing."""
    upload_dir = Path(settings.FILE_UPLOAD_TEMP_DIR)
    upload_dir.mkdir(parents=True, exist_ok=True)
    data = request_fields(request)
    with tempfile.TemporaryDirectory(prefix="slm-upload-", dir=upload_dir) as workdir:
        documents = []
        for field in fields:
            upload = request.FILES.get(field)
            value = data.get(field)
            if upload is not None:
                path = Path(workdir) / field
                _write(upload, path, field)
                documents.append(Document(field=field, name=upload.name or field, path=path))
            elif isinstance(value, str):
                documents.append(Document(field=field, name=field, text=value))
            else:
                raise ValidationFailed(f"{field} is required: {what}", details={"field": field})
        yield documents


def _write(upload, path: Path, field: str) -> None:
    try:
        with path.open("wb") as out:
            for block in upload.chunks():
                out.write(block)
    except OSError as exc:
        if disk_full(exc):
            raise InsufficientStorage.for_file(upload.name or field, field=field) from exc
        raise


def model_version_field(request) -> int | None:
    """The optional `model_version` id of a request; 400 naming the field when it is no id."""
    value = request_fields(request).get("model_version")
    if value in (None, ""):
        return None
    try:
        if isinstance(value, bool):
            raise ValueError
        return int(value)
    except (TypeError, ValueError):
        raise ValidationFailed("model_version must be an integer id",
                               details={"field": "model_version"}) from None

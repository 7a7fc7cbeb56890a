"""Artifact directories through Django's storage API.

Training writes a directory locally and uploads it file by file; workers get a local directory
back: the storage's own path when it is a local disk, otherwise a downloaded copy under
MODEL_DIR/cache.
"""

from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

COMPLETE_MARKER = "_COMPLETE"


def artifact_upload(*, local_dir: Path, name: str) -> str:
    """Copy every file under local_dir to storage under `name`/; return the stored prefix."""
    for path in sorted(Path(local_dir).rglob("*")):
        if path.is_file():
            relative = path.relative_to(local_dir).as_posix()
            with path.open("rb") as handle:
                stored = default_storage.save(f"{name}/{relative}", File(handle))
            if stored != f"{name}/{relative}":
                raise FileExistsError(f"artifact file {name}/{relative} already existed")
    # Written last: a directory without it is an interrupted upload, never served.
    default_storage.save(f"{name}/{COMPLETE_MARKER}", ContentFile(b"ok\n"))
    return name


def artifact_exists(*, name: str) -> bool:
    return default_storage.exists(f"{name}/{COMPLETE_MARKER}")


def artifact_local_dir(*, name: str) -> Path:
    try:
        return Path(default_storage.path(name))
    except NotImplementedError:
        return _download(name, Path(settings.MODEL_DIR) / "cache" / name)


def _download(name: str, target: Path) -> Path:
    if (target / COMPLETE_MARKER).exists():
        return target
    directories, files = default_storage.listdir(name)
    target.mkdir(parents=True, exist_ok=True)
    for filename in files:
        with default_storage.open(f"{name}/{filename}", "rb") as source:
            (target / filename).write_bytes(source.read())
    for directory in directories:
        _download(f"{name}/{directory}", target / directory)
    return target

"""Django's upload handler for large files (written to FILE_UPLOAD_TEMP_DIR while they
arrive), except that a full disk is a 507 naming the file, with its partial copy removed at
once, rather than an OSError that becomes a 500."""

import contextlib
import os

from django.core.files import uploadhandler

from slm_platform.core.errors import InsufficientStorage, disk_full


class TemporaryFileUploadHandler(uploadhandler.TemporaryFileUploadHandler):
    def new_file(self, *args, **kwargs):
        self._guarded(super().new_file, *args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        self._guarded(super().receive_data_chunk, raw_data, start)

    def file_complete(self, file_size):
        return self._guarded(super().file_complete, file_size)  # flushes the last bytes

    def _guarded(self, step, *args, **kwargs):
        try:
            return step(*args, **kwargs)
        except OSError as exc:
            if not disk_full(exc):
                raise
            self._discard()
            raise InsufficientStorage.for_file(self.file_name or "the upload",
                                               field=self.field_name or "file") from exc

    def _discard(self) -> None:
        """Close and delete the partial file. Closing flushes what is buffered, which fails
        again on a full disk; the file goes all the same."""
        file = getattr(self, "file", None)
        if file is None:
            return
        path = file.temporary_file_path()
        with contextlib.suppress(OSError):
            file.close()
        with contextlib.suppress(FileNotFoundError):
            os.remove(path)

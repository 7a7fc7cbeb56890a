"""One exception family for the platform; the API turns each into a JSON error with its status."""

import errno


class ApplicationError(Exception):
    status_code = 400
    code = "invalid_request"

    def __init__(self, message: str, *, details: dict | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or {}
        if code:
            self.code = code


class ValidationFailed(ApplicationError):
    status_code = 400
    code = "validation_error"


class NotFound(ApplicationError):
    status_code = 404
    code = "not_found"


class PayloadTooLarge(ApplicationError):
    status_code = 413
    code = "payload_too_large"


class Conflict(ApplicationError):
    status_code = 409
    code = "conflict"


class ServiceUnavailable(ApplicationError):
    """The request was fine but nothing can answer it now; the client should retry later."""

    status_code = 503
    code = "service_unavailable"

    def __init__(self, message: str, *, retry_after: int, details: dict | None = None,
                 code: str | None = None):
        super().__init__(message, details=details, code=code)
        self.retry_after = retry_after


class WorkerFailed(ApplicationError):
    """A worker raised while serving the request: the platform's fault, reported as 502."""

    status_code = 502
    code = "worker_error"


class InsufficientStorage(ApplicationError):
    """The disk that would hold an upload is full: nothing of it was kept (507)."""

    status_code = 507
    code = "insufficient_storage"

    @classmethod
    def for_file(cls, name: str, *, field: str) -> "InsufficientStorage":
        return cls(f"no disk space left to store {name}; nothing was stored, retry when "
                   "space is freed", details={"field": field, "file": name})


def disk_full(exc: BaseException) -> bool:
    """Whether `exc` is a write refused for want of space (a full disk or a used-up quota)."""
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)

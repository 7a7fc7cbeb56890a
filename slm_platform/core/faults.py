"""What a request gets when something under the platform fails: the database cannot be
reached (503 with Retry-After; the next request opens a new connection, so service comes back
by itself), or the disk an upload was going to is full (507; the upload paths keep nothing of
it). The API's exception handler turns these errors into its JSON shape (fault_error); this
middleware does it for the dashboard's views (a plain page), and handler500 for errors raised
outside any view (a session read in a middleware).
"""

import logging
import sqlite3

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.utils.html import escape

from slm_platform.core.errors import (
    ApplicationError,
    InsufficientStorage,
    ServiceUnavailable,
    disk_full,
)

logger = logging.getLogger(__name__)
API_PREFIXES = ("/api/", "/v1/")
# SQLite has no server to lose: only these of its errors mean the file cannot be used now.
SQLITE_UNAVAILABLE = ("database is locked", "unable to open database file", "disk i/o error")


def database_unavailable(exc: BaseException) -> bool:
    """Whether `exc` is a database connection refused, lost or shut down, rather than the
    error of one statement (a constraint, a deadlock, a cancelled query)."""
    if isinstance(exc, InterfaceError):  # a connection already closed
        return True
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    if isinstance(cause, sqlite3.Error):
        return str(cause).lower().startswith(SQLITE_UNAVAILABLE)
    # psycopg: connection failures are raised by the client (no SQLSTATE) or carry class 08
    # (connection exception) or 57P (admin or crash shutdown, cannot connect now).
    sqlstate = getattr(cause, "sqlstate", None)
    return sqlstate is None or sqlstate.startswith(("08", "57P"))


def fault_error(exc: BaseException) -> ApplicationError | None:
    """The platform's error for a fault of the database or the disk, else None."""
    if database_unavailable(exc):
        logger.warning("the database is unavailable: %s", str(exc).strip()[:300])
        return ServiceUnavailable("the database cannot be reached just now; retry shortly",
                                  code="database_unavailable",
                                  retry_after=settings.RETRY_AFTER_SECONDS)
    if disk_full(exc):
        logger.error("a write failed for want of disk space: %s", exc)
        return InsufficientStorage("no disk space left on the server; nothing was stored, "
                                   "retry when space is freed")
    if isinstance(exc, InsufficientStorage):
        return exc
    return None


def fault_response(request, exc: BaseException | None) -> HttpResponse | None:
    """The response for a fault (JSON on API paths, a plain page elsewhere), else None."""
    error = fault_error(exc) if exc is not None else None
    if error is None:
        return None
    if request.path.startswith(API_PREFIXES):
        from slm_platform.api.errors import error_body

        response = JsonResponse(error_body(error.code, error.message, error.details),
                                status=error.status_code)
    else:
        # No template: rendering one could read the session or the user, from the database.
        title = "Service unavailable" if error.status_code == 503 else "Insufficient storage"
        response = HttpResponse(
            f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}"
            f"</title></head><body><h1>{title}</h1><p>{escape(error.message)}.</p></body></html>",
            status=error.status_code, content_type="text/html; charset=utf-8")
    if isinstance(error, ServiceUnavailable):
        response["Retry-After"] = str(error.retry_after)
    return response


class FaultResponseMiddleware:
    """A view that fails on an unreachable database or a full disk answers 503 or 507, not
    500 (API views get the same from the API's exception handler)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        return fault_response(request, exception)

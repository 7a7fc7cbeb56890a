"""One access-log line per authenticated request: which API key (its prefix, never the key),
which user, method, path, status and time taken, as a JSON object on the `slm_platform.access`
logger (also handed to handlers as `record.access`). Audit events record the changes; this
records every call, reads included."""

import json
import logging
import time

from django.db import DatabaseError

from slm_platform.accounts.models import ApiKey

logger = logging.getLogger("slm_platform.access")


class AccessLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        try:
            # Resolving a session's user, or a key's organization, may need the database.
            if user is None or not user.is_authenticated:
                return response
            record = access_record(
                request, response.status_code, elapsed_ms=1000 * (time.perf_counter() - started)
            )
        except DatabaseError:  # it is away: the response (a 503) says so; no line to write
            return response
        logger.info(json.dumps(record), extra={"access": record})
        return response


def access_record(request, status: int, *, elapsed_ms: float) -> dict:
    # DRF puts the API key it authenticated with on the underlying request as `auth`.
    api_key = getattr(request, "auth", None)
    api_key = api_key if isinstance(api_key, ApiKey) else None
    organization = api_key.organization if api_key else getattr(request, "organization", None)
    return {
        "key": api_key.prefix if api_key else None,
        "key_role": api_key.role if api_key else None,
        "user": request.user.get_username(),
        "organization": organization.slug if organization else None,
        "method": request.method,
        "path": request.path,
        "status": status,
        "ms": round(elapsed_ms, 1),
    }

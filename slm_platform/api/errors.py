"""One error shape for every API failure: {"error": {"code", "message", "details"}}."""

import logging
import sys

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, JsonResponse
from django.views.defaults import page_not_found
from rest_framework import exceptions, status
from rest_framework.response import Response

from slm_platform.core.errors import ApplicationError, ServiceUnavailable
from slm_platform.core.faults import fault_error, fault_response

logger = logging.getLogger(__name__)


def error_body(code: str, message: str, details: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "details": details or {}}}


def _drf_message(detail) -> tuple[str, dict]:
    if isinstance(detail, dict):
        fields = {key: [str(item) for item in value] if isinstance(value, list) else str(value)
                  for key, value in detail.items()}
        first_field, first_error = next(iter(fields.items()))
        first = first_error[0] if isinstance(first_error, list) else first_error
        return f"{first_field}: {first}", {"fields": fields}
    if isinstance(detail, list):
        return "; ".join(str(item) for item in detail), {}
    return str(detail), {}


def _drf_code(exc: exceptions.APIException) -> str:
    codes = exc.get_codes()
    return codes if isinstance(codes, str) else exc.default_code


def exception_handler(exc, context):
    # An unreachable database or a full disk: 503 or 507, not 500 (core/faults.py).
    exc = fault_error(exc) or exc
    if isinstance(exc, ApplicationError):
        response = Response(error_body(exc.code, exc.message, exc.details), status=exc.status_code)
        if isinstance(exc, ServiceUnavailable):
            response["Retry-After"] = str(exc.retry_after)
        return response
    if isinstance(exc, RequestDataTooBig):
        return Response(error_body("payload_too_large", "the request body is too large"),
                        status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, exceptions.Throttled):
        return rate_limited_response(retry_after=int(exc.wait or 1))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.APIException):
        message, details = _drf_message(exc.detail)
        response = Response(error_body(_drf_code(exc), message, details), status=exc.status_code)
        if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
            response["WWW-Authenticate"] = "Bearer"
        if getattr(exc, "wait", None):
            response["Retry-After"] = str(int(exc.wait))
        return response
    logger.exception("unhandled error in %s", context.get("view"))
    return Response(error_body("internal_error", "an unexpected error occurred"),
                    status=status.HTTP_500_INTERNAL_SERVER_ERROR)


def rate_limited_response(*, retry_after: int) -> Response:
    """429 with Retry-After: the caller went over one of its rate limits (api/throttling.py)."""
    response = Response(error_body("rate_limited",
                                   f"too many requests: retry in {retry_after} s",
                                   {"retry_after": retry_after}),
                        status=status.HTTP_429_TOO_MANY_REQUESTS)
    response["Retry-After"] = str(retry_after)
    return response


def json_not_found_or_page(request, exception=None):
    """API paths get the JSON error shape; pages get Django's ordinary 404."""
    if request.path.startswith(("/api/", "/v1/")):
        return JsonResponse(error_body("not_found", f"no such endpoint: {request.path}"),
                            status=404)
    return page_not_found(request, exception)


def json_server_error(request):
    # Django calls this while handling the error: a fault raised outside any view (reading
    # the session in a middleware) gets its 503 or 507 here.
    response = fault_response(request, sys.exc_info()[1])
    if response is not None:
        return response
    return JsonResponse(error_body("internal_error", "an unexpected error occurred"), status=500)

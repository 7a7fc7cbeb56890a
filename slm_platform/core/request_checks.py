"""A request with a NUL (0x00) character in its path, a query parameter or a JSON body is
refused with a 400 naming where, before any view runs.

No name, slug, text or filter of the platform holds one, and PostgreSQL cannot hold one in
text: a query with it failed in the database (a 500, after the statement had already aborted
the request's transaction), while SQLite stored it. Found by the API fuzzing test
(tests/security/test_fuzzing.py). Multipart forms are not read here (their size is checked by
the views before a byte is read); their text fields go through serializers, which refuse NUL.
"""

import json

from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, JsonResponse

API_PREFIXES = ("/api/", "/v1/")
NUL = "\x00"


def _in_json(value: object, where: str) -> str | None:
    """The first place in a parsed JSON value holding a NUL: "messages[0].content"."""
    if isinstance(value, str):
        return where if NUL in value else None
    if isinstance(value, list):
        items = ((f"{where}[{index}]", item) for index, item in enumerate(value))
    elif isinstance(value, dict):
        if any(NUL in key for key in value):
            return where or "body"
        items = ((f"{where}.{key}" if where else key, item) for key, item in value.items())
    else:
        return None
    return next((found for path, item in items if (found := _in_json(item, path))), None)


def _json_body_field(request) -> str | None:
    if request.content_type != "application/json":
        return None
    try:
        body = request.body
    except RequestDataTooBig:
        return None  # the view answers 413
    # A NUL in JSON text is always escaped; only a body that has the escape is parsed here.
    if b"\\u0000" not in body:
        return None
    try:
        return _in_json(json.loads(body), "")
    except (ValueError, RecursionError):
        return None  # the view's parser answers 400


def nul_field(request) -> str | None:
    """Where the request holds a NUL: "path", a query parameter's name, or a JSON body's
    field; None when nowhere."""
    if NUL in request.path:
        return "path"
    for name, values in request.GET.lists():
        if NUL in name or any(NUL in value for value in values):
            return name.replace(NUL, "\\x00")
    return _json_body_field(request)


class NulCharacterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        field = nul_field(request)
        if field is None:
            return self.get_response(request)
        message = f"{field} contains a NUL (0x00) character"
        if request.path.startswith(API_PREFIXES):
            from slm_platform.api.errors import error_body

            return JsonResponse(error_body("validation_error", message, {"field": field}),
                                status=400)
        return HttpResponse(f"Bad request: {message}.", status=400,
                            content_type="text/plain; charset=utf-8")

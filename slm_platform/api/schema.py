"""The OpenAPI schema's error responses: one `Error` component (the shape every API failure
has, slm_platform/api/errors.py) declared on every operation for the statuses it can answer, so
a client generated from the schema knows them and the fuzzing test can hold every response to
the schema (tests/security/test_fuzzing.py).

Registered in SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]: it runs after the schema is built.
"""

ERROR_SCHEMA = {
    "type": "object",
    "description": "Every API failure: a stable code, a message naming the field, row or file "
                   "at fault, and details (the field under `field`, per-field messages under "
                   "`fields`).",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string", "example": "validation_error"},
                "message": {"type": "string", "example": "inputs[0] is empty"},
                "details": {"type": "object", "additionalProperties": True,
                            "example": {"field": "inputs[0]"}},
            },
            "required": ["code", "message", "details"],
        },
    },
    "required": ["error"],
}

# Every operation: bad input, no or a wrong key, a role that may not, an id of nothing the
# caller's organization holds, a state that forbids the change, and the database out of reach
# (core/faults.py) or a worker the answer waits on not running.
ANY_OPERATION = {
    "400": "The input is invalid: the message and details name the field.",
    "401": "No API key was given, or it is unknown, revoked or expired.",
    "403": "The key's role may not do this.",
    "404": "Nothing of that id (or slug) in the caller's organization.",
    "409": "The object's state forbids this now (for instance a version not yet trained).",
    "503": "Not available just now (the database, the queue broker or a worker); "
           "Retry-After says when to try again.",
}
WITH_BODY = {
    "413": "The request body or an uploaded file is too large.",
    "415": "The body's media type is not one the operation reads.",
}
WITH_UPLOAD = {"507": "No disk space left to store the upload; nothing was kept."}
RATE_LIMITED = {"429": "Over a rate limit (settings.RATE_LIMITS); Retry-After says when to "
                       "try again."}
RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer"},
                               "description": "Seconds to wait before trying again."}}


def _throttled(generator) -> set[tuple[str, str]]:
    """(path, method) of the operations a rate limit applies to (api/throttling.py)."""
    limited = set()
    for path, _regex, method, callback in generator.endpoints or []:
        scopes = getattr(getattr(callback, "cls", None), "throttle_scopes", {})
        if method.upper() in scopes:
            limited.add((path, method.lower()))
    return limited


def _error_response(description: str, status: str) -> dict:
    response = {"description": description,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    if status in ("429", "503"):
        response["headers"] = RETRY_AFTER
    return response


def error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: the Error component and each operation's error
    responses (those an operation already declares are kept)."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    limited = _throttled(generator)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            statuses = dict(ANY_OPERATION)
            body = operation.get("requestBody", {}).get("content", {})
            if body:
                statuses |= WITH_BODY
            if "multipart/form-data" in body:
                statuses |= WITH_UPLOAD
            if (path, method) in limited:
                statuses |= RATE_LIMITED
            for status, description in statuses.items():
                operation["responses"].setdefault(status, _error_response(description, status))
    return result

"""Server-sent events over Django's streaming response (one gthread per open stream)."""

import json
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse
from rest_framework import renderers


def sse_event(event: str | None, data: object) -> str:
    """One event; `data` as JSON (a string as written: "[DONE]")."""
    body = data if isinstance(data, str) else json.dumps(data, default=str)
    head = f"event: {event}\n" if event else ""
    return f"{head}data: {body}\n\n"


def sse_response(events: Iterable[str]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_flushed(events), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # a proxy in front must pass each event on at once
    return response


def _flushed(events: Iterable[str]) -> Iterator[bytes]:
    for event in events:
        yield event.encode()


class EventStreamRenderer(renderers.BaseRenderer):
    """Lets a view accept `Accept: text/event-stream`. The stream itself is a streaming
    response; anything rendered here is an error before streaming began: an `error` event."""

    media_type = "text/event-stream"
    format = "sse"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        return sse_event("error", data).encode()

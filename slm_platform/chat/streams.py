"""Reply streams from the realtime worker to the web process: a Redis stream per reply, the
worker appending events (`delta` with accepted text, then `end` with the result) and the web
request reading them as they come. Keys expire, so an abandoned reply leaves nothing behind."""

import json
import secrets
import time
from collections.abc import Iterator

from django.conf import settings

from slm_platform.core.connections import redis_client

KEY_PREFIX = "slm:chat:reply"
EXPIRE_SECONDS = 300
END = "end"
READ_BLOCK = 2.0  # seconds per blocking read: under the Redis client's socket timeout (5 s)


class StreamTimeout(Exception):
    """Nothing arrived on the stream in time."""


def new_key() -> str:
    return f"{KEY_PREFIX}:{secrets.token_hex(12)}"


def publish(key: str, event: str, data: dict) -> None:
    client = redis_client(settings.REDIS_URL)
    client.xadd(key, {"event": event, "data": json.dumps(data)}, maxlen=10_000,
                approximate=True)
    client.expire(key, EXPIRE_SECONDS)


def read(key: str, *, first_timeout: float, timeout: float) -> Iterator[tuple[str, dict]]:
    """Events in order until `end` (included). StreamTimeout when the first event takes longer
    than `first_timeout` (the worker may be busy with another reply) or a later one than
    `timeout`. Blocks in short reads, within the client's socket timeout."""
    client = redis_client(settings.REDIS_URL)
    last = "0-0"
    deadline = time.monotonic() + first_timeout
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise StreamTimeout(f"no reply event in time ({first_timeout:g}s / {timeout:g}s)")
            answer = client.xread({key: last}, block=max(1, int(min(left, READ_BLOCK) * 1000)),
                                  count=100)
            for entry_id, fields in answer[0][1] if answer else ():
                last = entry_id
                event = fields[b"event"].decode()
                yield event, json.loads(fields[b"data"])
                if event == END:
                    return
                deadline = time.monotonic() + timeout
    finally:
        client.delete(key)

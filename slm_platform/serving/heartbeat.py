"""Workers announce themselves in Redis so the web process can answer 503 at once when no
worker consumes a queue, instead of waiting out a timeout.

One hash per queue maps worker hostname → last beat (unix time): a check is one HGETALL on a
small hash, whatever else the Redis holds.
"""

import threading
import time

import redis
from django.conf import settings

from slm_platform.core.connections import redis_client

KEY_PREFIX = "slm:workers"
INTERVAL_SECONDS = 3
STALE_AFTER_SECONDS = 10

_stop = threading.Event()


def _key(queue: str) -> str:
    return f"{KEY_PREFIX}:{queue}"


def start_heartbeat(*, hostname: str, queues: list[str]) -> None:
    _stop.clear()
    client = redis_client(settings.REDIS_URL, socket_timeout=2)

    def beat() -> None:
        while not _stop.is_set():
            try:
                for queue in queues:
                    client.hset(_key(queue), hostname, time.time())
            except redis.RedisError:
                pass  # the broker is down; the beats go stale and the web side reports 503
            _stop.wait(INTERVAL_SECONDS)
        try:
            for queue in queues:
                client.hdel(_key(queue), hostname)
        except redis.RedisError:
            pass

    threading.Thread(target=beat, name="slm-heartbeat", daemon=True).start()


def stop_heartbeat() -> None:
    _stop.set()


def workers_alive(*, queue: str) -> list[str]:
    """Hostnames of workers that consumed `queue` within the last STALE_AFTER_SECONDS."""
    try:
        beats = redis_client(settings.REDIS_URL, socket_timeout=2).hgetall(_key(queue))
    except redis.RedisError:
        return []
    fresh_since = time.time() - STALE_AFTER_SECONDS
    return [host.decode() for host, beat in beats.items() if float(beat) >= fresh_since]

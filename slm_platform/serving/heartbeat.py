"""Workers announce themselves in Redis so the web process can answer 503 at once when no
worker consumes a queue, instead of waiting out a timeout."""

import threading

import redis
from django.conf import settings

KEY_PREFIX = "slm:worker"
INTERVAL_SECONDS = 3
TTL_SECONDS = 10

_stop = threading.Event()


def _client() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)


def _key(queue: str, hostname: str) -> str:
    return f"{KEY_PREFIX}:{queue}:{hostname}"


def start_heartbeat(*, hostname: str, queues: list[str]) -> None:
    _stop.clear()
    client = _client()

    def beat() -> None:
        while not _stop.is_set():
            try:
                for queue in queues:
                    client.set(_key(queue, hostname), "1", ex=TTL_SECONDS)
            except redis.RedisError:
                pass  # the broker is down; the keys expire and the web side reports 503
            _stop.wait(INTERVAL_SECONDS)
        for queue in queues:
            try:
                client.delete(_key(queue, hostname))
            except redis.RedisError:
                pass

    threading.Thread(target=beat, name="slm-heartbeat", daemon=True).start()


def stop_heartbeat() -> None:
    _stop.set()


def workers_alive(*, queue: str) -> list[str]:
    """Hostnames of workers that consumed `queue` within the last TTL_SECONDS."""
    prefix = f"{KEY_PREFIX}:{queue}:"
    try:
        return [key.decode()[len(prefix):] for key in _client().scan_iter(f"{prefix}*")]
    except redis.RedisError:
        return []

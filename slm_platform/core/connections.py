"""Connections to the services every process shares: the database connections of threads that
wait on something else, and Redis clients kept one pool per process."""

import functools

import redis
from django.db import connection


def connection_release_while_waiting() -> None:
    """Give this thread's database connection back to the pool before it waits on another
    process (a worker's answer, the audit writer): a pool of fewer connections than server
    threads must not be held by threads that are only waiting, or the work they wait for finds
    none free. Only a pooled connection outside a transaction is released; a persistent
    connection (no pool) is kept, since reconnecting would cost more than it frees."""
    if getattr(connection, "pool", None) is not None and not connection.in_atomic_block:
        connection.close()


@functools.cache
def redis_client(url: str, *, socket_timeout: float = 5) -> redis.Redis:
    """A Redis client for `url`, cached per URL and timeout: one connection pool per process,
    not a new connection per request. Connecting gives up after 2 s, a command after
    `socket_timeout` s (a blocking read must ask for less)."""
    return redis.Redis.from_url(url, socket_timeout=socket_timeout, socket_connect_timeout=2)

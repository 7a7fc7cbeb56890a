"""Database connections of threads that wait on something else."""

from django.db import connection


def connection_release_while_waiting() -> None:
    """Give this thread's database connection back to the pool before it waits on another
    process (a worker's answer, the audit writer): a pool of fewer connections than server
    threads must not be held by threads that are only waiting, or the work they wait for finds
    none free. Only a pooled connection outside a transaction is released; a persistent
    connection (no pool) is kept, since reconnecting would cost more than it frees."""
    if getattr(connection, "pool", None) is not None and not connection.in_atomic_block:
        connection.close()

"""Group commit of audit rows written outside any transaction (a predict call, a page view).

Each organization's audit rows form one hash chain, so appending one locks the chain's head
row until the append commits. Under many concurrent requests, every predict call of an
organization queued on that lock, and a holder that waits for the interpreter lock between its
statements (dozens of server threads on a few cores) made the queue long: the lock was held
for several round trips per row.

Here a request hands its unsaved row to one writer thread per process and waits until the row
is committed: the writer appends whatever has gathered meanwhile with one lock, one bulk insert
and one commit per organization, so the head is locked once per batch instead of once per row.
The caller returns only after its row is stored, as with a direct write, and a database error
reaches the caller as its own error (a 503 when the database is away). A row that fails for
its own reason (data the database refuses) fails alone: the batch is then written row by row.

Rows written inside a caller's transaction keep being written there (audit_record), so that an
action and its audit row commit or roll back together.
"""

import logging
import os
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import close_old_connections, connection

logger = logging.getLogger(__name__)


@dataclass
class _Pending:
    organization: object
    event: object
    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None


class GroupWriter:
    """Appends rows handed in by many threads through `append_batch(list of (organization,
    event))`, called from one thread per process, which commits them all or raises."""

    def __init__(self, append_batch: Callable[[list[tuple[object, object]]], None], *,
                 max_batch: int = 500, wait_seconds: float = 60.0) -> None:
        self.append_batch = append_batch
        self.max_batch = max_batch
        self.wait_seconds = wait_seconds
        self._start_lock = threading.Lock()
        self._pid: int | None = None
        self._queue: queue.SimpleQueue = queue.SimpleQueue()

    def write(self, organization, event):
        """Store `event` and return it once committed; raises what storing it raised."""
        pending = _Pending(organization, event)
        self._running_queue().put(pending)
        if not pending.done.wait(self.wait_seconds):
            raise TimeoutError(f"the audit writer did not store a row within "
                               f"{self.wait_seconds:g}s")
        if pending.error is not None:
            raise pending.error
        return event

    def _running_queue(self) -> queue.SimpleQueue:
        """This process's queue, its writer thread started on first use (a forked child
        starts its own: the parent's thread does not exist there)."""
        if self._pid != os.getpid():
            with self._start_lock:
                if self._pid != os.getpid():
                    self._queue = queue.SimpleQueue()
                    threading.Thread(target=self._run, args=(self._queue,), daemon=True,
                                     name="slm-audit-writer").start()
                    self._pid = os.getpid()
        return self._queue

    def _run(self, pending_rows: queue.SimpleQueue) -> None:
        while True:
            batch = [pending_rows.get()]
            while len(batch) < self.max_batch:
                try:
                    batch.append(pending_rows.get_nowait())
                except queue.Empty:
                    break
            self._store(batch)
            if pending_rows.empty():
                # Nothing waiting: give the connection back (to the pool, or closed), so an
                # idle writer holds none.
                connection.close()

    def _store(self, batch: list[_Pending]) -> None:
        try:
            close_old_connections()  # one the database dropped is not reused
            self._append(batch)
        except Exception as exc:
            if len(batch) == 1:
                batch[0].error = exc
            else:  # one row's own error must not fail the others: row by row
                for pending in batch:
                    try:
                        close_old_connections()
                        self._append([pending])
                    except Exception as row_exc:
                        pending.error = row_exc
        finally:
            for pending in batch:
                pending.done.set()

    def _append(self, rows: list[_Pending]) -> None:
        self.append_batch([(pending.organization, pending.event) for pending in rows])

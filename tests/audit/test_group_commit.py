"""Group commit of audit rows written outside a transaction: many concurrent callers' rows are
appended in batches (one chain lock per batch), each caller returns only once its row is stored,
the chain stays whole, and one row's error fails that row alone."""

import threading

import pytest
from django.db import connection, transaction

from slm_platform.audit import services
from slm_platform.audit.group_commit import GroupWriter
from slm_platform.audit.models import AuditEvent
from slm_platform.audit.selectors import audit_chain_verify
from slm_platform.audit.services import Actor, audit_record


@pytest.fixture
def batches(monkeypatch) -> list[int]:
    """The size of each batch the process's writer appends."""
    sizes: list[int] = []
    append = services._GROUP_WRITER.append_batch

    def counting(rows):
        sizes.append(len(rows))
        append(rows)

    monkeypatch.setattr(services._GROUP_WRITER, "append_batch", counting)
    return sizes


@pytest.mark.django_db(transaction=True)
def test_concurrent_callers_rows_are_appended_in_batches_and_stored_on_return(
        organization, batches):
    threads, per_thread = 12, 10
    stored_on_return: list[bool] = []
    start = threading.Barrier(threads)

    def call(worker: int) -> None:
        try:
            start.wait()
            for number in range(per_thread):
                event = audit_record(organization=organization, actor=Actor.system(),
                                     action="predict", data={"worker": worker, "n": number})
                # Committed before the call returned: visible to this thread's own connection.
                stored_on_return.append(
                    AuditEvent.objects.filter(pk=event.pk, row_hash=event.row_hash).exists())
        finally:
            connection.close()

    workers = [threading.Thread(target=call, args=(worker,)) for worker in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert len(stored_on_return) == threads * per_thread and all(stored_on_return)
    assert sum(batches) == threads * per_thread
    assert max(batches) > 1 and len(batches) < threads * per_thread  # rows shared a lock
    events = AuditEvent.objects.filter(organization=organization, action="predict")
    assert events.count() == threads * per_thread
    report = audit_chain_verify(organization=organization)
    assert report.intact and report.events_checked == threads * per_thread + 1  # + created
    times = list(AuditEvent.objects.filter(organization=organization)
                 .order_by("sequence").values_list("created_at", flat=True))
    assert times == sorted(times)  # stamped under the chain's lock, in chain order


@pytest.mark.django_db(transaction=True)
def test_a_row_written_in_a_transaction_commits_or_rolls_back_with_it(organization, batches):
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(organization=organization, actor=Actor.system(), action="undone")
        raise RuntimeError("the action failed")
    assert not AuditEvent.objects.filter(action="undone").exists()
    with transaction.atomic():
        audit_record(organization=organization, actor=Actor.system(), action="done")
    assert AuditEvent.objects.filter(action="done").count() == 1
    assert batches == []  # neither went through the group writer
    assert audit_chain_verify(organization=organization).intact


@pytest.mark.django_db(transaction=True)
def test_the_setting_turns_group_commit_off(organization, batches, settings):
    settings.AUDIT_GROUP_COMMIT = False
    audit_record(organization=organization, actor=Actor.system(), action="direct")
    assert batches == [] and AuditEvent.objects.filter(action="direct").count() == 1


def _writer_storing_into(stored: list) -> GroupWriter:
    def append(rows):
        if any(event == "refused" for _, event in rows):
            raise ValueError("a value the database refuses")
        stored.extend(event for _, event in rows)

    return GroupWriter(append, wait_seconds=10)


@pytest.mark.django_db(transaction=True)
def test_one_rows_error_reaches_its_caller_alone():
    stored: list = []
    writer = _writer_storing_into(stored)
    results: dict[str, object] = {}
    start = threading.Barrier(8)

    def call(name: str) -> None:
        start.wait()
        try:
            results[name] = writer.write("org", name)
        except ValueError as exc:
            results[name] = exc
        finally:
            connection.close()

    names = [f"row-{number}" for number in range(7)] + ["refused"]
    callers = [threading.Thread(target=call, args=(name,)) for name in names]
    for caller in callers:
        caller.start()
    for caller in callers:
        caller.join()
    assert isinstance(results["refused"], ValueError)
    assert sorted(stored) == sorted(names[:-1])
    assert all(results[name] == name for name in names[:-1])


@pytest.mark.django_db(transaction=True)
def test_an_error_of_the_whole_batch_reaches_every_caller():
    def append(rows):
        raise ConnectionError("the database went away")

    writer = GroupWriter(append, wait_seconds=10)
    for name in ("a", "b"):
        with pytest.raises(ConnectionError, match="went away"):
            writer.write("org", name)

"""The audit hash chain: built on every write, checked by `manage.py audit_verify`, which finds
rows edited or deleted behind the application's back (raw SQL, as an intruder would)."""

import io
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from slm_platform.audit.chain import HASHED_FIELDS, event_content, row_hash
from slm_platform.audit.models import AuditChainHead, AuditEvent
from slm_platform.audit.services import Actor, audit_record

TABLE = AuditEvent._meta.db_table


def _sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement.format(table=TABLE), params)


def _json_param() -> str:
    return "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"


def verify(*args) -> tuple[int, str]:
    """audit_verify's exit status and everything it wrote."""
    out = io.StringIO()
    try:
        call_command("audit_verify", *args, stdout=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue() + str(exc)
    return 0, out.getvalue()


def write_events(organization, count: int) -> list[AuditEvent]:
    return [audit_record(organization=organization, actor=Actor.system(), action="test.step",
                         object_type="step", object_id=number, latency_ms=number * 1.5,
                         data={"number": number, "ratio": number / 3, "whole": 2.0,
                               "nested": {"b": [1, "two", None], "a": "ü"}})
            for number in range(count)]


def chain_of(organization) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(organization=organization).order_by("sequence"))


@pytest.mark.django_db
class TestChainOnWrite:
    def test_each_event_links_to_the_one_before_and_hashes_its_content(self, organization):
        write_events(organization, 4)
        events = chain_of(organization)  # read back: the hash must hold for stored values
        assert [event.sequence for event in events] == [1, 2, 3, 4, 5]  # organization.create
        assert events[0].previous_hash == ""
        for previous, event in zip(events, events[1:], strict=False):
            assert event.previous_hash == previous.row_hash
        for event in events:
            assert len(event.row_hash) == 64
            assert row_hash(event_content(event)) == event.row_hash
        head = AuditChainHead.objects.get(organization=organization)
        assert (head.last_sequence, head.last_hash) == (5, events[-1].row_hash)

    def test_appending_costs_two_queries_besides_the_insert(self, organization,
                                                            django_assert_num_queries):
        # Lock and read the chain head, insert the event, move the head (predict pays this).
        with transaction.atomic(), django_assert_num_queries(3):
            audit_record(organization=organization, actor=Actor.system(), action="predict")

    def test_the_hash_covers_every_content_field(self, organization):
        event = write_events(organization, 1)[0]
        content = event_content(event)
        for name in HASHED_FIELDS:
            changed = dict(content, **{name: "x" if content[name] != "x" else "y"})
            assert row_hash(changed) != event.row_hash, name

    def test_data_is_stored_as_hashed(self, organization):
        event = audit_record(organization=organization, actor=Actor.system(), action="shape",
                             latency_ms=7, data={1: (1, 2), "big": 1e16, "small": 1e-7})
        stored = AuditEvent.objects.get(pk=event.pk)
        assert stored.data == {"1": [1, 2], "big": 1e16, "small": 1e-7}
        assert row_hash(event_content(stored)) == event.row_hash
        assert verify()[0] == 0

    def test_two_organizations_have_independent_chains(self, organization, other_organization):
        write_events(organization, 3)
        write_events(other_organization, 2)
        assert [e.sequence for e in chain_of(organization)] == [1, 2, 3, 4]
        assert [e.sequence for e in chain_of(other_organization)] == [1, 2, 3]
        assert chain_of(other_organization)[0].previous_hash == ""

    def test_deleting_an_actor_does_not_read_as_tampering(self, organization, admin_membership):
        from slm_platform.accounts.services import api_key_create

        issued = api_key_create(membership=admin_membership, name="ci")
        event = audit_record(organization=organization, actor=Actor.for_api_key(issued.api_key),
                             action="predict")
        user_id, key_id = admin_membership.user.pk, issued.api_key.pk
        admin_membership.user.delete()  # its key goes with it; the audit row keeps its refs
        stored = AuditEvent.objects.get(pk=event.pk)
        assert stored.actor_user_id is None and stored.actor_api_key_id is None
        assert (stored.actor_user_ref, stored.actor_api_key_ref) == (user_id, key_id)
        assert verify()[0] == 0


@pytest.mark.django_db
class TestAuditVerify:
    def test_an_untouched_chain_passes(self, organization, other_organization):
        write_events(organization, 5)
        status, output = verify()
        assert status == 0
        assert "acme-bank: intact, 6 events, last sequence 6" in output
        assert "globex-retail: intact, 1 events" in output

    @pytest.mark.parametrize(("column", "value"), [
        ("data", '{"number": 2, "tampered": true}'),
        ("actor_label", "user:someone-else"),
        ("object_id", "99"),
        ("latency_ms", 0.5),
        ("outcome", "denied"),
    ])
    def test_an_edited_row_is_named(self, organization, column, value):
        edited = write_events(organization, 5)[2]
        placeholder = _json_param() if column == "data" else "%s"
        _sql(f"UPDATE {{table}} SET {column} = {placeholder} WHERE id = %s", [value, edited.pk])
        status, output = verify()
        assert status == 1
        assert (f"acme-bank: BROKEN at sequence {edited.sequence} (event {edited.pk}): "
                "row_hash does not match the row's content") in output

    def test_a_deleted_middle_row_is_caught(self, organization):
        events = write_events(organization, 5)
        _sql("DELETE FROM {table} WHERE id = %s", [events[1].pk])
        status, output = verify()
        assert status == 1
        assert (f"acme-bank: BROKEN at sequence {events[2].sequence} (event {events[2].pk}): "
                f"sequence {events[1].sequence} missing before it") in output

    def test_a_deleted_last_row_is_caught_by_the_head(self, organization):
        events = write_events(organization, 5)
        _sql("DELETE FROM {table} WHERE id IN (%s, %s)", [events[-1].pk, events[-2].pk])
        status, output = verify()
        assert status == 1
        assert (f"acme-bank: BROKEN at sequence {events[-2].sequence} (no event): sequence "
                f"{events[-2].sequence}–{events[-1].sequence} missing at the end") in output

    def test_a_re_hashed_row_still_breaks_the_next_link(self, organization):
        events = write_events(organization, 4)
        forged = dict(event_content(events[1]), outcome="denied")
        _sql("UPDATE {table} SET outcome = %s, row_hash = %s WHERE id = %s",
             ["denied", row_hash(forged), events[1].pk])
        status, output = verify()
        assert status == 1
        assert f"BROKEN at sequence {events[2].sequence} (event {events[2].pk}): " \
            "previous_hash does not match" in output

    def test_a_deleted_head_is_caught(self, organization):
        write_events(organization, 2)
        _sql(f"DELETE FROM {AuditChainHead._meta.db_table} WHERE organization_id = %s",
             [organization.pk])
        status, output = verify()
        assert status == 1 and "the chain head is missing" in output

    def test_one_organization_is_checked_alone(self, organization, other_organization):
        events = write_events(organization, 3)
        _sql("DELETE FROM {table} WHERE id = %s", [events[0].pk])
        assert verify("--organization", other_organization.slug)[0] == 0
        status, output = verify("--organization", organization.slug)
        assert status == 1 and "globex" not in output
        assert verify("--organization", "nobody")[1] == "no organization with slug 'nobody'"


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_a_chain(organization):
    def append(worker: int) -> None:
        try:
            for number in range(8):
                audit_record(organization=organization, actor=Actor.system(), action="race",
                             data={"worker": worker, "number": number})
        finally:
            connection.close()

    threads = [threading.Thread(target=append, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [event.sequence for event in chain_of(organization)] == list(range(1, 34))
    assert verify()[0] == 0


@pytest.mark.django_db(transaction=True)
def test_the_migration_chains_events_written_before_the_chain():
    """Migrate the audit app back to the chain's columns (nullable, empty), write events as
    they were before, migrate forward: 0003 chains them per organization, oldest first."""
    import datetime

    from django.db.migrations.executor import MigrationExecutor

    from slm_platform.core.models import Organization

    before = [("audit", "0002_chain_columns")]
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        organizations = old.get_model("core", "Organization")
        acme = organizations.objects.create(name="Acme", slug="acme")
        globex = organizations.objects.create(name="Globex", slug="globex")
        quiet = organizations.objects.create(name="Quiet", slug="quiet")
        user = old.get_model("auth", "User").objects.create(username="old-timer")
        start = datetime.datetime(2025, 1, 1, 12, tzinfo=datetime.UTC)
        # Inserted newest first: the chain must follow created_at, then id.
        old.get_model("audit", "AuditEvent").objects.bulk_create([
            old.get_model("audit", "AuditEvent")(
                organization=organization, created_at=start + datetime.timedelta(
                    seconds=minutes // 2), actor_user=user, actor_label="user:old-timer",
                action="legacy", object_id=str(minutes), data={"minute": minutes})
            for minutes in range(6, 0, -1) for organization in (acme, globex)])
    finally:
        MigrationExecutor(connection).migrate(latest)

    events = list(AuditEvent.objects.filter(organization_id=acme.pk).order_by("sequence"))
    assert [event.sequence for event in events] == [1, 2, 3, 4, 5, 6]
    assert [(event.created_at, event.pk) for event in events] == \
        sorted((event.created_at, event.pk) for event in events)
    assert {event.actor_user_ref for event in events} == {user.pk}
    status, output = verify()
    assert status == 0 and "acme: intact, 6 events" in output, output
    later = audit_record(organization=Organization.objects.get(pk=acme.pk),
                         actor=Actor.system(), action="after")
    assert later.sequence == 7 and later.previous_hash == events[-1].row_hash
    assert AuditChainHead.objects.filter(organization_id=quiet.pk, last_sequence=0).exists()
    assert verify()[0] == 0


@pytest.mark.django_db
def test_a_bulk_append_continues_the_chain(organization):
    from slm_platform.audit.services import audit_events_append

    audit_events_append(organization=organization, events=[
        AuditEvent(actor_label="api_key:bench", action="predict", object_id=str(number),
                   data={"inputs": 1, "secret": "s3cret-value"}) for number in range(5)])
    audit_record(organization=organization, actor=Actor.system(), action="after")
    events = chain_of(organization)
    assert [event.sequence for event in events] == list(range(1, 8))
    assert events[1].data == {"inputs": 1, "secret": "[redacted]"}
    assert verify()[0] == 0

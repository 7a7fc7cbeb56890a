"""Audit rows are written by the service that performs an action, inside its transaction."""

import datetime
import json
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from slm_platform.audit.chain import ChainReport, event_content, row_hash
from slm_platform.audit.group_commit import GroupWriter
from slm_platform.audit.models import AuditChainHead, AuditEvent
from slm_platform.audit.redaction import data_redact
from slm_platform.audit.selectors import audit_chain_verify, audit_events_for_export
from slm_platform.core.connections import connection_release_while_waiting
from slm_platform.core.models import Organization


@dataclass(frozen=True)
class Actor:
    """Who acts: a user, a user through an API key, the platform itself, or nobody known."""

    label: str
    user: object | None = None
    api_key: object | None = None

    @classmethod
    def for_user(cls, user) -> "Actor":
        return cls(label=f"user:{user.username}", user=user)

    @classmethod
    def for_api_key(cls, api_key) -> "Actor":
        return cls(label=f"api_key:{api_key.prefix} ({api_key.user.username})",
                   user=api_key.user, api_key=api_key)

    @classmethod
    def system(cls) -> "Actor":
        return cls(label="system")

    @classmethod
    def anonymous(cls) -> "Actor":
        return cls(label="anonymous")


def audit_record(
    *, organization: Organization, actor: Actor, action: str, object_type: str = "",
    object_id: object = "", outcome: str = "success", latency_ms: float | None = None,
    data: dict | None = None,
) -> AuditEvent:
    """Append an event to the organization's hash chain, inside the caller's transaction.

    The chain head's row lock is the last lock this takes (the insert checks no foreign key:
    see AuditEvent.organization), and the caller's transaction holds it until it commits, so
    a service should write its audit row after its other changes. Called outside any
    transaction, the row is appended with others by this process's group commit
    (audit.group_commit, AUDIT_GROUP_COMMIT) and stored when this returns."""
    event = AuditEvent(
        organization=organization, actor_user=actor.user, actor_api_key=actor.api_key,
        actor_label=actor.label, action=action, object_type=object_type,
        object_id="" if object_id is None else str(object_id), outcome=outcome,
        latency_ms=latency_ms, data=data or {},
    )
    if settings.AUDIT_GROUP_COMMIT and not connection.in_atomic_block:
        connection_release_while_waiting()
        return _GROUP_WRITER.write(organization, event)
    with transaction.atomic(savepoint=False):
        head = _head_locked(organization)
        event.created_at = timezone.now()
        _link(event, head)
        event.save(force_insert=True)
        _head_save(head)
    return event


def audit_events_append(*, organization: Organization, events: list[AuditEvent],
                        stamp: bool = False) -> None:
    """Append unsaved events to the organization's chain in list order with one bulk insert,
    for imports and benchmark fills (a service records its action with audit_record).
    `stamp`: each event's time is taken once the chain is locked, as audit_record does."""
    with transaction.atomic(savepoint=False):
        head = _head_locked(organization)
        for event in events:
            event.organization = organization
            if stamp:
                event.created_at = timezone.now()
            _link(event, head)
        AuditEvent.objects.bulk_create(events, batch_size=1000)
        _head_save(head)


def _append_group(rows: list[tuple[Organization, AuditEvent]]) -> None:
    """The group commit's batch: one transaction, each organization's chain locked once, in
    organization order (two processes' batches never wait on each other in a cycle)."""
    by_organization: dict[int, tuple[Organization, list[AuditEvent]]] = {}
    for organization, event in rows:
        by_organization.setdefault(organization.pk, (organization, []))[1].append(event)
    with transaction.atomic():
        for pk in sorted(by_organization):
            organization, events = by_organization[pk]
            audit_events_append(organization=organization, events=events, stamp=True)


_GROUP_WRITER = GroupWriter(_append_group)


def _head_locked(organization: Organization) -> AuditChainHead:
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(organization=organization)
    return head


def _link(event: AuditEvent, head: AuditChainHead) -> None:
    """Give `event` the next place in the chain, its hash, and move `head` (in memory)."""
    event.actor_user_ref, event.actor_api_key_ref = event.actor_user_id, event.actor_api_key_id
    if event.latency_ms is not None:
        event.latency_ms = float(event.latency_ms)
    # Hashed as stored: JSON's own form (string keys, lists for tuples), secrets out.
    event.data = json.loads(json.dumps(data_redact(event.data or {})))
    event.sequence, event.previous_hash = head.last_sequence + 1, head.last_hash
    event.row_hash = row_hash(event_content(event))
    head.last_sequence, head.last_hash = event.sequence, event.row_hash


def _head_save(head: AuditChainHead) -> None:
    AuditChainHead.objects.filter(pk=head.pk).update(last_sequence=head.last_sequence,
                                                     last_hash=head.last_hash)


@dataclass(frozen=True)
class ExportFilters:
    since: datetime.datetime | None = None
    until: datetime.datetime | None = None
    action: str | None = None


def audit_export_begin(*, organization: Organization, actor: Actor, export_format: str,
                       filters: ExportFilters):
    """Record an export of the audit trail and return its events (a queryset, oldest first):
    those before the export's own event, so rows written while it streams stay out."""
    event = audit_record(organization=organization, actor=actor, action="audit.export",
                         data={"format": export_format, "action": filters.action,
                               "since": filters.since and filters.since.isoformat(),
                               "until": filters.until and filters.until.isoformat()})
    return audit_events_for_export(organization=organization,
                                   through_sequence=event.sequence - 1, since=filters.since,
                                   until=filters.until, action=filters.action)


def audit_chain_check(*, organization: Organization, actor: Actor) -> ChainReport:
    """Verify the organization's chain on demand and record that it was checked."""
    report = audit_chain_verify(organization=organization)
    audit_record(organization=organization, actor=actor, action="audit.verify",
                 outcome="success" if report.intact else "broken",
                 data={"events": report.events_checked, "last_sequence": report.last_sequence,
                       "break": report.first_break and report.first_break.as_dict()})
    return report

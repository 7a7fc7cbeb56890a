import dataclasses
import datetime

from slm_platform.audit.chain import ChainBreak, ChainReport, chain_check, records_of
from slm_platform.audit.models import AuditChainHead, AuditEvent
from slm_platform.core.models import Organization


def audit_events_for_organization(*, organization: Organization, action: str | None = None):
    events = AuditEvent.objects.filter(organization=organization).select_related("actor_api_key")
    if action:
        events = events.filter(action=action)
    return events


def audit_events_for_export(
    *, organization: Organization, through_sequence: int,
    since: datetime.datetime | None = None, until: datetime.datetime | None = None,
    action: str | None = None,
):
    """The organization's events up to `through_sequence`, in chain order (oldest first)."""
    events = AuditEvent.objects.filter(organization=organization,
                                       sequence__lte=through_sequence).order_by("sequence")
    if since:
        events = events.filter(created_at__gte=since)
    if until:
        events = events.filter(created_at__lte=until)
    if action:
        events = events.filter(action=action)
    return events


def audit_chain_verify(*, organization: Organization) -> ChainReport:
    """Recompute the organization's chain from its first event to its head and report the
    first broken link (an edited, deleted or re-ordered event, or newest events removed).
    Events appended while it runs are after the head it read first, and left out."""
    head = AuditChainHead.objects.filter(organization=organization).first()
    events = AuditEvent.objects.filter(organization=organization).order_by("sequence")
    if head is None:
        report = chain_check(records_of(events))
        if report.events_checked and report.intact:
            return dataclasses.replace(report, first_break=ChainBreak(
                None, None, "the chain head is missing: its row was deleted"))
        return report
    return chain_check(records_of(events.filter(sequence__lte=head.last_sequence)),
                       head=(head.last_sequence, head.last_hash))

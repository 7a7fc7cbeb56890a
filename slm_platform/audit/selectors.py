from slm_platform.audit.models import AuditEvent
from slm_platform.core.models import Organization


def audit_events_for_organization(*, organization: Organization, action: str | None = None):
    events = AuditEvent.objects.filter(organization=organization).select_related("actor_api_key")
    if action:
        events = events.filter(action=action)
    return events

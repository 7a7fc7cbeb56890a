import pytest

from slm_platform.audit.models import AuditEvent
from slm_platform.audit.services import Actor, audit_record

pytestmark = pytest.mark.django_db


def test_audit_rows_cannot_be_changed_or_deleted_through_code(organization):
    event = audit_record(organization=organization, actor=Actor.system(), action="x.y")
    event.action = "rewritten"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="rewritten")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "x.y"


def test_audit_log_needs_the_admin_role(member_client, admin_client):
    assert member_client.get("/api/v1/audit-events").status_code == 403
    assert admin_client.get("/api/v1/audit-events?action=api_key.create").status_code == 200

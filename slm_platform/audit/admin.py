from django.contrib import admin

from slm_platform.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log has no edit or delete path."""

    list_display = ["created_at", "organization", "sequence", "actor_label", "action",
                    "object_type", "object_id", "outcome", "latency_ms"]
    list_filter = ["action", "outcome", "organization"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

"""The dashboard's admin pages: the audit log and the organization's settings."""

from django.urls import path

from slm_platform.dashboard import views_admin as views
from slm_platform.dashboard import views_retention

urlpatterns = [
    path("audit/", views.audit_page, name="audit"),
    path("audit/export.csv", views.audit_export, name="audit-export"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/members/add", views.member_add, name="settings-member-add"),
    path("settings/members/<int:membership_id>/role", views.member_role,
         name="settings-member-role"),
    path("settings/keys/create", views.api_key_create, name="settings-key-create"),
    path("settings/keys/<int:key_id>/revoke", views.api_key_revoke, name="settings-key-revoke"),
    path("settings/webhook", views.webhook_save, name="settings-webhook"),
    path("settings/webhook/rotate", views.webhook_rotate, name="settings-webhook-rotate"),
    path("settings/retention", views_retention.retention_save, name="settings-retention"),
]

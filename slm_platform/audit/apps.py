from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "slm_platform.audit"
    label = "audit"
    verbose_name = "Audit log"

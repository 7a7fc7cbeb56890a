from django.apps import AppConfig


class HealthTasksConfig(AppConfig):
    name = "tasks_health"
    label = "tasks_health"
    verbose_name = "Health tasks"
    # Included under /api/v1/ (slm_platform/api/urls.py includes every app's `api_urls`).
    api_urls = "tasks_health.urls"
    # The rows its URLs' ids name, for the platform's 404-before-403 check
    # (slm_platform/accounts/access.py).
    url_objects = {"request_id": ("tasks_health.AppointmentRequest", "organization")}

    def ready(self) -> None:
        from slm_platform.chat.assistant_specs import assistants
        from slm_platform.core.catalog import catalog
        from tasks_health.assistant.spec import HEALTH_ASSISTANT
        from tasks_health.specs import HEALTH_TASKS

        for spec in HEALTH_TASKS:
            catalog.register(spec)
        assistants.register(HEALTH_ASSISTANT)

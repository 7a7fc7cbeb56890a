from django.apps import AppConfig


class FinanceTasksConfig(AppConfig):
    name = "tasks_finance"
    label = "tasks_finance"
    verbose_name = "Finance tasks"
    # Included under /api/v1/ (slm_platform/api/urls.py includes every app's `api_urls`).
    api_urls = "tasks_finance.urls"

    def ready(self) -> None:
        from slm_platform.core.catalog import catalog
        from tasks_finance.specs import FINANCE_TASKS

        for spec in FINANCE_TASKS:
            catalog.register(spec)

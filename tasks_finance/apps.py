from django.apps import AppConfig


class FinanceTasksConfig(AppConfig):
    name = "tasks_finance"
    label = "tasks_finance"
    verbose_name = "Finance tasks"

    def ready(self) -> None:
        from slm_platform.core.catalog import catalog
        from tasks_finance.specs import FINANCE_TASKS

        for spec in FINANCE_TASKS:
            catalog.register(spec)

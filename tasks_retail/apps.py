from django.apps import AppConfig


class RetailTasksConfig(AppConfig):
    name = "tasks_retail"
    label = "tasks_retail"
    verbose_name = "Retail tasks"
    # Included under /api/v1/ (slm_platform/api/urls.py includes every app's `api_urls`).
    api_urls = "tasks_retail.urls"
    # Sample rows for the demo organization (`manage.py bootstrap_demo`).
    demo_data = "tasks_retail.demo.demo_orders_load"

    def ready(self) -> None:
        from slm_platform.chat.assistant_specs import assistants
        from slm_platform.core.catalog import catalog
        from tasks_retail.assistant.spec import RETAIL_ASSISTANT
        from tasks_retail.specs import RETAIL_TASKS

        for spec in RETAIL_TASKS:
            catalog.register(spec)
        assistants.register(RETAIL_ASSISTANT)

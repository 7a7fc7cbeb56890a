from django.apps import AppConfig


class RetailTasksConfig(AppConfig):
    """Retail tasks register here (see tasks_finance for the pattern); none ship yet."""

    name = "tasks_retail"
    label = "tasks_retail"
    verbose_name = "Retail tasks"

from django.apps import AppConfig


class HealthTasksConfig(AppConfig):
    """Health tasks register here (see tasks_finance for the pattern); none ship yet."""

    name = "tasks_health"
    label = "tasks_health"
    verbose_name = "Health tasks"

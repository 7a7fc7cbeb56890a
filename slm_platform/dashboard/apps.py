from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "slm_platform.dashboard"
    label = "dashboard"
    verbose_name = "Dashboard"

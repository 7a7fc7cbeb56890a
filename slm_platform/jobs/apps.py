from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "slm_platform.jobs"
    label = "jobs"
    verbose_name = "Bulk jobs"

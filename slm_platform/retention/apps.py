from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "slm_platform.retention"
    label = "retention"
    verbose_name = "Data retention"

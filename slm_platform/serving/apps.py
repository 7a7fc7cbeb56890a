from django.apps import AppConfig


class ServingConfig(AppConfig):
    name = "slm_platform.serving"
    label = "serving"
    verbose_name = "Serving"

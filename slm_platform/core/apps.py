from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "slm_platform.core"
    label = "core"
    verbose_name = "Platform core"

from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "slm_platform.registry"
    label = "registry"
    verbose_name = "Model registry"

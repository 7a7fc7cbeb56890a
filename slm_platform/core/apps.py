from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "slm_platform.core"
    label = "core"
    verbose_name = "Platform core"

    def ready(self) -> None:
        from slm_platform.core import security  # noqa: F401  (registers its system check)

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "slm_platform.accounts"
    label = "accounts"
    verbose_name = "Organizations, members and API keys"

    def ready(self) -> None:
        from slm_platform.accounts import lockout  # noqa: F401  (audits lockouts)

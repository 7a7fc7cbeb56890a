from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "slm_platform.chat"
    label = "chat"
    verbose_name = "Support chat"
    # Included under /api/v1/ (slm_platform/api/urls.py includes every app's `api_urls`).
    api_urls = "slm_platform.chat.urls"

from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "slm_platform.routing"
    label = "routing"
    verbose_name = "Cascade routing"
    # Included under /api/v1/ (slm_platform/api/urls.py includes every app's `api_urls`).
    api_urls = "slm_platform.routing.urls"

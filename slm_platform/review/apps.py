from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "slm_platform.review"
    label = "review"
    verbose_name = "Review queue"

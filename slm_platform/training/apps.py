from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "slm_platform.training"
    label = "training"
    verbose_name = "Training runs"

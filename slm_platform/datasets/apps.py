from django.apps import AppConfig


class DatasetsConfig(AppConfig):
    name = "slm_platform.datasets"
    label = "datasets"
    verbose_name = "Datasets"

"""The dashboard's datasets and training pages."""

from django.urls import path

from slm_platform.core.security import rate_limited
from slm_platform.dashboard import views_datasets as views

urlpatterns = [
    path("datasets/", rate_limited("upload")(views.datasets_page), name="datasets"),
    path("datasets/<int:dataset_version_id>/", views.dataset_page, name="dataset"),
    path("datasets/<int:dataset_version_id>/train", views.training_start,
         name="training-start"),
    path("training/", views.training_page, name="training"),
    path("training/<int:run_id>/", views.training_run_page, name="training-run"),
    path("training/<int:run_id>/cancel", views.training_cancel, name="training-cancel"),
]

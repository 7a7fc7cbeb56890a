from django.urls import path

from slm_platform.api import dataset_views, training_views, views

urlpatterns = [
    path("tasks", views.TaskListApi.as_view(), name="task-list"),
    path("tasks/<str:slug>/predict", views.TaskPredictApi.as_view(), name="task-predict"),
    path("models", views.ModelVersionListApi.as_view(), name="model-list"),
    path("models/<int:version_id>", views.ModelVersionDetailApi.as_view(), name="model-detail"),
    path("models/<int:version_id>/activate", views.ModelVersionActivateApi.as_view(),
         name="model-activate"),
    path("models/<int:version_id>/archive", views.ModelVersionArchiveApi.as_view(),
         name="model-archive"),
    path("models/<int:version_id>/compare", views.ModelVersionCompareApi.as_view(),
         name="model-compare"),
    path("tasks/<str:slug>/rollback", views.TaskRollbackApi.as_view(), name="task-rollback"),
    path("tasks/<str:slug>/activations", views.ActivationHistoryApi.as_view(),
         name="task-activations"),
    path("api-keys", views.ApiKeyListCreateApi.as_view(), name="api-key-list"),
    path("api-keys/<int:key_id>", views.ApiKeyRevokeApi.as_view(), name="api-key-revoke"),
    path("audit-events", views.AuditEventListApi.as_view(), name="audit-event-list"),
    path("datasets", dataset_views.DatasetListUploadApi.as_view(), name="dataset-list"),
    path("datasets/<int:version_id>", dataset_views.DatasetVersionDetailApi.as_view(),
         name="dataset-detail"),
    path("training-runs", training_views.TrainingRunListCreateApi.as_view(),
         name="training-run-list"),
    path("training-runs/<int:run_id>", training_views.TrainingRunDetailApi.as_view(),
         name="training-run-detail"),
    path("training-runs/<int:run_id>/cancel", training_views.TrainingRunCancelApi.as_view(),
         name="training-run-cancel"),
]

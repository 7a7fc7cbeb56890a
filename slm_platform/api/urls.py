from django.apps import apps
from django.urls import include, path

from slm_platform.api import (
    audit_views,
    dataset_views,
    job_views,
    retention_views,
    training_views,
    views,
)

urlpatterns = [
    path("tasks", views.TaskListApi.as_view(), name="task-list"),
    path("tasks/<str:slug>/predict", views.TaskPredictApi.as_view(), name="task-predict"),
    path("models", views.ModelVersionListApi.as_view(), name="model-list"),
    path("models/<int:version_id>", views.ModelVersionDetailApi.as_view(), name="model-detail"),
    path("models/<int:version_id>/activate", views.ModelVersionActivateApi.as_view(),
         name="model-activate"),
    path("models/<int:version_id>/compress", views.ModelVersionCompressApi.as_view(),
         name="model-compress"),
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
    path("members", views.MemberListApi.as_view(), name="member-list"),
    path("members/<int:membership_id>", views.MemberRoleApi.as_view(), name="member-role"),
    path("audit/export", audit_views.AuditExportApi.as_view(), name="audit-export"),
    path("audit/verify", audit_views.AuditVerifyApi.as_view(), name="audit-verify"),
    path("datasets", dataset_views.DatasetListUploadApi.as_view(), name="dataset-list"),
    path("datasets/<int:dataset_version_id>", dataset_views.DatasetVersionDetailApi.as_view(),
         name="dataset-detail"),
    path("training-runs", training_views.TrainingRunListCreateApi.as_view(),
         name="training-run-list"),
    path("training-runs/<int:run_id>", training_views.TrainingRunDetailApi.as_view(),
         name="training-run-detail"),
    path("training-runs/<int:run_id>/cancel", training_views.TrainingRunCancelApi.as_view(),
         name="training-run-cancel"),
    path("jobs", job_views.JobListCreateApi.as_view(), name="job-list"),
    path("jobs/<int:job_id>", job_views.JobDetailApi.as_view(), name="job-detail"),
    path("jobs/<int:job_id>/cancel", job_views.JobCancelApi.as_view(), name="job-cancel"),
    path("jobs/<int:job_id>/retry", job_views.JobRetryApi.as_view(), name="job-retry"),
    path("jobs/<int:job_id>/items", job_views.JobItemListApi.as_view(), name="job-items"),
    path("jobs/<int:job_id>/results", job_views.JobResultsApi.as_view(), name="job-results"),
    path("webhook", job_views.WebhookApi.as_view(), name="webhook"),
    path("webhook/rotate-secret", job_views.WebhookSecretRotateApi.as_view(),
         name="webhook-rotate-secret"),
    path("retention", retention_views.RetentionPolicyApi.as_view(), name="retention"),
]

# Industry apps bring their own endpoints (an AppConfig's `api_urls`, a URLconf module path),
# so the platform's routes never name an industry.
urlpatterns += [path("", include(config.api_urls)) for config in apps.get_app_configs()
                if getattr(config, "api_urls", None)]

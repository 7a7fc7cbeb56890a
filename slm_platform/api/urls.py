from django.urls import path

from slm_platform.api import views

urlpatterns = [
    path("tasks", views.TaskListApi.as_view(), name="task-list"),
    path("tasks/<str:slug>/predict", views.TaskPredictApi.as_view(), name="task-predict"),
    path("models", views.ModelVersionListApi.as_view(), name="model-list"),
    path("models/<int:version_id>/activate", views.ModelVersionActivateApi.as_view(),
         name="model-activate"),
    path("api-keys", views.ApiKeyListCreateApi.as_view(), name="api-key-list"),
    path("api-keys/<int:key_id>", views.ApiKeyRevokeApi.as_view(), name="api-key-revoke"),
    path("audit-events", views.AuditEventListApi.as_view(), name="audit-event-list"),
]

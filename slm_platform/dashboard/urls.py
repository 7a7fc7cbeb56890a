from django.urls import include, path

from slm_platform.core.security import rate_limited
from slm_platform.dashboard import views, views_cascade

app_name = "dashboard"

urlpatterns = [
    path("", views.overview_page, name="overview"),
    path("tasks/", views.tasks_page, name="tasks"),
    path("tasks/<str:slug>/", views.task_page, name="task"),
    path("tasks/<str:slug>/rollback", views.task_rollback, name="rollback"),
    path("tasks/<str:slug>/cascade/suggest", views_cascade.cascade_suggest,
         name="cascade-suggest"),
    path("models/<int:version_id>/", views.version_page, name="version"),
    path("models/<int:version_id>/activate", views.version_activate, name="activate"),
    path("models/<int:version_id>/compare", views.compare_page, name="compare"),
    path("models/<int:version_id>/compress", views.version_compress, name="compress"),
    path("try/", views.try_page, name="try"),
    path("try/<str:slug>/", views.try_page, name="try"),
    path("try/<str:slug>/predict", rate_limited("predict")(views.try_predict),
         name="try-predict"),
    # Each area's pages in its own module (its views_*.py, templates/dashboard/<area>/).
    path("", include("slm_platform.dashboard.urls_jobs")),
    path("", include("slm_platform.dashboard.urls_datasets")),
    path("", include("slm_platform.dashboard.urls_admin")),
    path("", include("slm_platform.dashboard.urls_review")),
    path("", include("slm_platform.dashboard.urls_chat")),
]

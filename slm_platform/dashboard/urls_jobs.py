"""The dashboard's bulk-job pages."""

from django.urls import path

from slm_platform.core.security import rate_limited
from slm_platform.dashboard import views_jobs

urlpatterns = [
    path("jobs/", views_jobs.jobs_page, name="jobs"),
    path("jobs/upload", rate_limited("upload")(views_jobs.job_upload), name="job-upload"),
    path("jobs/<int:job_id>/", views_jobs.job_page, name="job"),
    path("jobs/<int:job_id>/cancel", views_jobs.job_cancel_view, name="job-cancel"),
    path("jobs/<int:job_id>/retry", views_jobs.job_retry_view, name="job-retry"),
]

from django.urls import path

from tasks_health import views

urlpatterns = [
    path("health/deid", views.DeidentifyApi.as_view(), name="health-deid"),
]

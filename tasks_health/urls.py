from django.urls import path

from tasks_health import views, views_appointments

urlpatterns = [
    path("health/deid", views.DeidentifyApi.as_view(), name="health-deid"),
    path("health/appointment-requests", views_appointments.AppointmentRequestListApi.as_view(),
         name="health-appointment-requests"),
    path("health/appointment-requests/<int:request_id>.ics",
         views_appointments.AppointmentRequestIcsApi.as_view(),
         name="health-appointment-request-ics"),
]

from django.urls import path

from tasks_finance import views

urlpatterns = [
    path("finance/earnings-tone", views.EarningsToneApi.as_view(), name="finance-earnings-tone"),
    path("finance/tone-shift", views.ToneShiftApi.as_view(), name="finance-tone-shift"),
    path("finance/statements", views.StatementApi.as_view(), name="finance-statements"),
]

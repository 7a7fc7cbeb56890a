from django.urls import path

from slm_platform.routing import views

urlpatterns = [
    path("tasks/<str:slug>/cascade", views.CascadePolicyApi.as_view(), name="task-cascade"),
    path("tasks/<str:slug>/cascade/suggest", views.CascadeSuggestApi.as_view(),
         name="task-cascade-suggest"),
    path("tasks/<str:slug>/cascade/stats", views.CascadeStatsApi.as_view(),
         name="task-cascade-stats"),
]

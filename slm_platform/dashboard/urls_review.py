"""The dashboard's review queue pages."""

from django.urls import path

from slm_platform.dashboard import views_review as views

urlpatterns = [
    path("review/", views.review_page, name="review"),
    path("review/<str:slug>/", views.review_task_page, name="review-task"),
    path("review/<str:slug>/threshold", views.review_threshold_set, name="review-threshold"),
    path("review/<str:slug>/items/<int:item_id>", views.review_item, name="review-item"),
    path("review/<str:slug>/dataset", views.review_dataset, name="review-dataset"),
]

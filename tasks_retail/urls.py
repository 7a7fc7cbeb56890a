from django.urls import path

from tasks_retail import views

urlpatterns = [
    path("retail/orders", views.OrderListUpsertApi.as_view(), name="retail-orders"),
]

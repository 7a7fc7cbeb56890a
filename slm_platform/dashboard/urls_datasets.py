"""The dashboard's datasets pages."""

urlpatterns: list = []

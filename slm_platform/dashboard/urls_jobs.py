"""The dashboard's jobs pages."""

urlpatterns: list = []

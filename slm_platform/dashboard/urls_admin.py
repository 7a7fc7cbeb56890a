"""The dashboard's admin pages."""

urlpatterns: list = []

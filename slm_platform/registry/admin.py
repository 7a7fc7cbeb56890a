from django.contrib import admin

from slm_platform.registry.models import ModelVersion


@admin.register(ModelVersion)
class ModelVersionAdmin(admin.ModelAdmin):
    list_display = ["task_slug", "version", "organization", "status", "source", "created_at"]
    list_filter = ["status", "task_slug"]

from django.contrib import admin

from slm_platform.accounts.models import ApiKey, Membership


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role", "created_at"]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "user", "organization", "role", "created_at", "expires_at",
                    "revoked_at"]
    readonly_fields = ["prefix", "key_hash", "created_at", "last_used_at"]

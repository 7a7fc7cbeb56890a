from django.contrib.auth.models import AbstractBaseUser

from slm_platform.accounts.models import ApiKey, Membership
from slm_platform.core.models import Organization


def membership_for_user(*, user: AbstractBaseUser) -> Membership | None:
    if not user or not user.is_authenticated:
        return None
    return Membership.objects.select_related("organization").filter(user=user).first()


def api_key_by_prefix(*, prefix: str) -> ApiKey | None:
    return ApiKey.objects.select_related("organization", "user").filter(prefix=prefix).first()


def api_keys_for_organization(*, organization: Organization):
    return ApiKey.objects.filter(organization=organization).order_by("-created_at")


def api_keys_visible_to(*, membership: Membership, every: bool):
    """Every key of the member's organization (for the `keys` capability), or their own."""
    keys = api_keys_for_organization(organization=membership.organization)
    return keys if every else keys.filter(user=membership.user)


def members_of(*, organization: Organization):
    return Membership.objects.filter(organization=organization).select_related("user") \
        .order_by("user__username")

"""Deny by default: a caller must be an authenticated member of an organization."""

from rest_framework import permissions

from slm_platform.accounts.models import ApiKey, Role
from slm_platform.accounts.selectors import membership_for_user
from slm_platform.audit.services import Actor


def _attach_context(request) -> bool:
    """Put the caller's membership, organization and audit actor on the request."""
    if hasattr(request, "organization"):
        return request.organization is not None
    membership = membership_for_user(user=request.user)
    request.membership = membership
    request.organization = membership.organization if membership else None
    if isinstance(request.auth, ApiKey):
        request.actor = Actor.for_api_key(request.auth)
    elif membership is not None:
        request.actor = Actor.for_user(request.user)
    return membership is not None


class IsOrganizationMember(permissions.BasePermission):
    message = "you are not a member of any organization"

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        return _attach_context(request)


class IsOrganizationAdmin(IsOrganizationMember):
    message = "this action needs the organization's admin role"

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and request.membership.role == Role.ADMIN

"""Deny by default: a caller must be an authenticated member of an organization whose role (and
key's role) holds the capability the view declares (accounts/roles.py has the table):

    capability = "jobs"                                   # every method
    capability = {"GET": "models.read", "PUT": "activate"}  # by method

A view that declares nothing is refused to everyone. Ids in the URL that name no row of the
caller's organization answer 404 first, whatever the role (accounts/access.py)."""

from rest_framework import permissions

from slm_platform.accounts.access import (
    denial_message,
    effective_capabilities,
    required_capability,
    url_object_missing,
)
from slm_platform.accounts.models import ApiKey
from slm_platform.accounts.roles import ANY_MEMBER
from slm_platform.accounts.selectors import membership_for_user
from slm_platform.audit.services import Actor


def _attach_context(request) -> bool:
    """Put the caller's membership, organization, capabilities and audit actor on the
    request."""
    if hasattr(request, "organization"):
        return request.organization is not None
    membership = membership_for_user(user=request.user)
    api_key = request.auth if isinstance(request.auth, ApiKey) else None
    request.membership = membership
    request.organization = membership.organization if membership else None
    request.capabilities = effective_capabilities(membership=membership, api_key=api_key) \
        if membership else frozenset()
    if api_key is not None:
        request.actor = Actor.for_api_key(api_key)
    elif membership is not None:
        request.actor = Actor.for_user(request.user)
    return membership is not None


class HasCapability(permissions.BasePermission):
    message = "you are not a member of any organization"

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if not _attach_context(request):
            return False
        # Ids of other organizations' rows: 404 before anything else is looked at, for every
        # role and whatever the body, so no answer tells such an id from one that never was.
        if missing := url_object_missing(organization=request.organization, kwargs=view.kwargs):
            raise missing
        needed = required_capability(getattr(view, "capability", None), request.method)
        if needed == ANY_MEMBER or needed in request.capabilities:
            return True
        api_key = request.auth if isinstance(request.auth, ApiKey) else None
        self.message = denial_message(needed, membership=request.membership, api_key=api_key)
        return False


def has_capability(request, capability: str) -> bool:
    """For a view's own finer checks (after HasCapability ran)."""
    return capability in getattr(request, "capabilities", frozenset())

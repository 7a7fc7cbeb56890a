"""Who may see and do what in the dashboard, checked on the server for every page and htmx
endpoint (not by hiding buttons): each view names the capability it needs
(`@capability_required("jobs")`); accounts/roles.py says which roles hold it. Ids in the URL
that name no row of the caller's organization answer 404 first, whatever the role."""

import functools

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404

from slm_platform.accounts.access import (
    denial_message,
    effective_capabilities,
    url_object_missing,
)
from slm_platform.accounts.roles import ANY_MEMBER, capability_check
from slm_platform.accounts.selectors import membership_for_user
from slm_platform.audit.services import Actor


def capability_required(capability: str):
    """Logged in, a member of an organization, and a role holding `capability` (ANY_MEMBER:
    any role). Puts `membership`, `organization`, `capabilities` and the audit `actor` on the
    request."""
    capability_check(capability)

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = membership_for_user(user=request.user)
            if membership is None:
                raise PermissionDenied("you are not a member of any organization")
            request.membership = membership
            request.organization = membership.organization
            request.capabilities = effective_capabilities(membership=membership, api_key=None)
            request.actor = Actor.for_user(request.user)
            if missing := url_object_missing(organization=membership.organization,
                                             kwargs=kwargs):
                raise Http404(missing.message)
            if capability != ANY_MEMBER and capability not in request.capabilities:
                raise PermissionDenied(denial_message(capability, membership=membership,
                                                      api_key=None))
            return view(request, *args, **kwargs)

        wrapped.capability = capability
        return wrapped

    return decorator


member_required = capability_required(ANY_MEMBER)


def can(request, capability: str) -> bool:
    return capability in getattr(request, "capabilities", frozenset())


def capabilities(request) -> dict:
    """Template context: `can`, the capabilities of the logged-in member (the navigation and
    each page's buttons show only what the role may use)."""
    held = getattr(request, "capabilities", None)
    if held is None and getattr(request, "user", None) is not None \
            and request.user.is_authenticated:
        membership = membership_for_user(user=request.user)
        held = effective_capabilities(membership=membership, api_key=None) \
            if membership else frozenset()
    return {"can": held or frozenset()}

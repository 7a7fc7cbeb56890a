"""Who may see and do what in the dashboard, checked on the server for every page and htmx
endpoint (not by hiding buttons): a member of an organization sees its pages; changing which
model version serves needs the admin role."""

import functools

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from slm_platform.accounts.models import Role
from slm_platform.accounts.selectors import membership_for_user
from slm_platform.audit.services import Actor


def member_required(view):
    """Logged in and a member of an organization; puts `membership`, `organization` and the
    audit `actor` on the request."""
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        membership = membership_for_user(user=request.user)
        if membership is None:
            raise PermissionDenied("you are not a member of any organization")
        request.membership = membership
        request.organization = membership.organization
        request.actor = Actor.for_user(request.user)
        return view(request, *args, **kwargs)

    return wrapped


def admin_required(view):
    """member_required, and the organization's admin role."""
    @functools.wraps(view)
    def checked(request, *args, **kwargs):
        if request.membership.role != Role.ADMIN:
            raise PermissionDenied("this action needs the organization's admin role")
        return view(request, *args, **kwargs)

    return member_required(checked)


def is_admin(request) -> bool:
    return getattr(request, "membership", None) is not None and \
        request.membership.role == Role.ADMIN

"""Login lockout, on top of django-axes: AXES_FAILURE_LIMIT failed passwords or two-factor codes
for one username from one address lock that pair out for AXES_COOLOFF_TIME (settings.py)."""

import logging
import math

from axes.backends import AxesStandaloneBackend
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Max
from django.dispatch import receiver
from django.utils import timezone

from slm_platform.accounts.services import login_lockout_record
from slm_platform.core.security import client_ip

logger = logging.getLogger(__name__)


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a locked-out username+address before any password is checked.

    authenticate() without a request (a shell, a management command, the test client's
    login()) has no client address to count against; it goes on to the password check as
    before. Every login form (the platform's, and the admin's, which redirects to it) passes
    its request."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def lockout_seconds_left(*, request, username: str) -> int:
    """Seconds until `username` may try again from this request's address (at least 1)."""
    last_failure = AccessAttempt.objects.filter(
        username=username, ip_address=client_ip(request)
    ).aggregate(last=Max("attempt_time"))["last"]
    cool_off = settings.AXES_COOLOFF_TIME
    if last_failure is None:
        return math.ceil(cool_off.total_seconds())
    return max(1, math.ceil((last_failure + cool_off - timezone.now()).total_seconds()))


@receiver(user_locked_out)
def _lockout_recorded(sender, request, username, ip_address, **kwargs) -> None:
    # django-axes decides the lockout deep inside authenticate(); its signal is the one place
    # that sees it happen. It also fires for each attempt refused during a lockout, which
    # carries no failure count: those are audited as failed logins by the login views.
    failures = getattr(request, "axes_failures_since_start", None)
    if failures is None:
        return
    login_lockout_record(username=username or "", ip_address=ip_address or "",
                         failures=failures)

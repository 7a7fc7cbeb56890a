"""Session login for the dashboard (audited, rate-limited per address, locked out after repeated
failures, with a two-factor step for users who enrolled an authenticator), two-factor
enrolment, and logout."""

import math
import time

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_credentials
from django.conf import settings
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import LoginView, redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from slm_platform.accounts import totp
from slm_platform.accounts.lockout import lockout_seconds_left
from slm_platform.accounts.models import Membership
from slm_platform.accounts.selectors import membership_for_user
from slm_platform.accounts.services import login_failed_record, session_login
from slm_platform.core.errors import ApplicationError
from slm_platform.core.security import client_ip, rate_limit_check

# A correct password waiting for its second factor: {"user_id", "backend", "next", "at"}.
PENDING_KEY = "two_factor_pending"
PENDING_SECONDS = 300


def _login_page(request, *, message: str, seconds: int, status: int = 429):
    response = render(request, "accounts/login.html",
                      {"form": AuthenticationForm(request), "refusal": message,
                       "next": request.POST.get("next", request.GET.get("next", ""))},
                      status=status)
    response["Retry-After"] = str(seconds)
    return response


def _minutes(seconds: int) -> str:
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login (AXES_LOCKOUT_CALLABLE): the login page with
    when to try again, 429 and Retry-After."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    seconds = lockout_seconds_left(request=request, username=username)
    request.session.pop(PENDING_KEY, None)
    return _login_page(request, seconds=seconds, message=(
        f"Too many failed attempts for “{username}” from this address: "
        f"try again in {_minutes(seconds)}."))


def _login_rate_limited(request):
    seconds = rate_limit_check(scope="login", kind="ip", ident=client_ip(request))
    if seconds is None:
        return None
    return _login_page(request, seconds=seconds, message=(
        f"Too many login attempts from this address: try again in {seconds} seconds."))


class PlatformLoginView(LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        return _login_rate_limited(request) or super().post(request, *args, **kwargs)

    def form_valid(self, form):
        user = form.get_user()
        membership = membership_for_user(user=user)
        step = totp.two_factor_step(user=user, membership=membership)
        if step is None:
            session_login(request=self.request, user=user, membership=membership)
            return redirect(self.get_success_url())
        self.request.session[PENDING_KEY] = {
            "user_id": user.pk, "backend": user.backend, "next": self.get_success_url(),
            "at": time.time()}
        return redirect("login-verify" if step == "verify" else "two-factor")

    def form_invalid(self, form):
        username = form.data.get("username", "")[:150]
        membership = Membership.objects.select_related("organization").filter(
            user__username=username
        ).first()
        login_failed_record(username=username, membership=membership)
        return super().form_invalid(form)


def _pending_user(request):
    """The user whose password was right and whose second factor is awaited, if recent."""
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None
    user = get_user_model().objects.filter(pk=pending["user_id"], is_active=True).first()
    if user is not None:
        user.backend = pending["backend"]
    return user


def _finish_login(request, user):
    pending = request.session.pop(PENDING_KEY)
    session_login(request=request, user=user, membership=membership_for_user(user=user),
                  method="password+totp")
    safe = url_has_allowed_host_and_scheme(pending["next"], allowed_hosts={request.get_host()},
                                           require_https=request.is_secure())
    return redirect(pending["next"] if safe else settings.LOGIN_REDIRECT_URL)


@require_http_methods(["GET", "POST"])
def login_verify_view(request):
    """The second step: a code from the authenticator app, or a recovery code. Wrong codes
    count toward the same lockout as wrong passwords."""
    user = _pending_user(request)
    if user is None:
        return redirect("login")
    credentials = get_credentials(user.get_username())
    if request.method == "GET":
        return render(request, "accounts/login_verify.html", {})
    if limited := _login_rate_limited(request):
        return limited
    if not AxesProxyHandler.is_allowed(request, credentials):
        return lockout_response(request, credentials=credentials)
    if totp.totp_verify(user=user, code=request.POST.get("code", "")):
        return _finish_login(request, user)
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    login_failed_record(username=user.get_username(), membership=membership_for_user(user=user),
                        step="two_factor")
    # The failure that reaches the limit: the lockout middleware answers instead (429).
    return render(request, "accounts/login_verify.html",
                  {"error": "That code is not right (or was already used)."}, status=400)


@require_http_methods(["GET", "POST"])
def two_factor_view(request):
    """Turn two-factor login on or off for yourself. Also the enrolment an admin must do
    before logging in when TOTP_REQUIRED_FOR_ADMINS is on (then the user is still pending)."""
    pending_user = None if request.user.is_authenticated else _pending_user(request)
    user = request.user if request.user.is_authenticated else pending_user
    if user is None:
        return redirect_to_login(request.get_full_path())
    context = {"pending": pending_user is not None, "device": totp.device_for_user(user=user)}
    action = request.POST.get("action") if request.method == "POST" else None
    try:
        if action == "start":
            context["enrolment"] = totp.totp_enrolment_start(user=user)
        elif action == "confirm":
            context["recovery_codes"] = totp.totp_enrolment_confirm(
                user=user, code=request.POST.get("code", ""))
            context["device"] = totp.device_for_user(user=user)
            if pending_user is not None:
                response = _finish_login(request, user)
                context.update(pending=False, next_url=response.url)
        elif action == "disable":
            totp.totp_disable(user=user, code=request.POST.get("code", ""))
            context["device"], context["disabled"] = None, True
    except ApplicationError as error:
        context["error"] = error.message
        if action == "confirm":
            context["enrolment"] = totp.enrolment_in_progress(user=user)
    status = 400 if "error" in context else 200
    return render(request, "accounts/two_factor.html", context, status=status)


def admin_login(request, extra_context=None):
    """The Django admin logs in through the platform's login (rate limit, lockout, two-factor),
    never through a form of its own."""
    if request.user.is_authenticated:
        raise PermissionDenied("this account cannot use the admin site")
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"),
                             login_url=reverse("login"))


@require_POST
def logout_view(request):
    logout(request)
    return redirect("login")

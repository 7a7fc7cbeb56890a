"""Session login for the dashboard (audited) and logout."""

from django.contrib.auth import logout
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from slm_platform.accounts.models import Membership
from slm_platform.accounts.selectors import membership_for_user
from slm_platform.accounts.services import login_failed_record, session_login


class PlatformLoginView(LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        session_login(request=self.request, user=user,
                      membership=membership_for_user(user=user))
        return redirect(self.get_success_url())

    def form_invalid(self, form):
        username = form.data.get("username", "")[:150]
        membership = Membership.objects.select_related("organization").filter(
            user__username=username
        ).first()
        login_failed_record(username=username, membership=membership)
        return super().form_invalid(form)


@require_POST
def logout_view(request):
    logout(request)
    return redirect("login")


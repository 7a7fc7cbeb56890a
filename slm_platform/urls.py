from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.permissions import AllowAny

from slm_platform.accounts import views as account_views
from slm_platform.chat.openai_views import ChatCompletionsApi
from slm_platform.core.security import csp_extend

# The admin site logs in through the platform's login (rate limit, lockout, two-factor).
admin.site.login = account_views.admin_login

urlpatterns = [
    # The API first: a request walks the patterns in order, and each include it does not match
    # costs a failed resolve (the dashboard's, first, took 15 % of a web process's CPU in
    # bench/load.py's predict calls).
    path("api/v1/", include("slm_platform.api.urls")),
    path("", include("slm_platform.dashboard.urls")),
    path("accounts/login/", account_views.PlatformLoginView.as_view(), name="login"),
    path("accounts/login/verify/", account_views.login_verify_view, name="login-verify"),
    path("accounts/two-factor/", account_views.two_factor_view, name="two-factor"),
    path("accounts/logout/", account_views.logout_view, name="logout"),
    path("admin/", admin.site.urls),
    # OpenAI-compatible: client libraries append /chat/completions to a base URL ending in /v1.
    path("v1/chat/completions", ChatCompletionsApi.as_view(), name="chat-completions"),
    path("api/schema/", SpectacularAPIView.as_view(permission_classes=[AllowAny]), name="schema"),
    # Docs pages without inline code, for the Content-Security-Policy (templates/api/).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(
        url_name="schema", permission_classes=[AllowAny], template_name="api/swagger_ui.html"),
        name="docs"),
    path("api/redoc/", csp_extend(
        SpectacularRedocView.as_view(url_name="schema", permission_classes=[AllowAny],
                                     template_name="api/redoc.html"),
        # Redoc's bundle inserts two style elements before it can be handed the page's nonce
        # (an empty one and its scrollbar CSS: these are their hashes), and runs its search
        # index in a worker made from a blob.
        style_src=["'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
                   "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='"],
        worker_src=["blob:"]), name="redoc"),
]

handler404 = "slm_platform.api.errors.json_not_found_or_page"
handler500 = "slm_platform.api.errors.json_server_error"

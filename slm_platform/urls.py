from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny

from slm_platform.accounts import views as account_views
from slm_platform.chat.openai_views import ChatCompletionsApi

urlpatterns = [
    path("", include("slm_platform.dashboard.urls")),
    path("accounts/login/", account_views.PlatformLoginView.as_view(), name="login"),
    path("accounts/logout/", account_views.logout_view, name="logout"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("slm_platform.api.urls")),
    # OpenAI-compatible: client libraries append /chat/completions to a base URL ending in /v1.
    path("v1/chat/completions", ChatCompletionsApi.as_view(), name="chat-completions"),
    path("api/schema/", SpectacularAPIView.as_view(permission_classes=[AllowAny]), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema",
                                                     permission_classes=[AllowAny]), name="docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema",
                                                    permission_classes=[AllowAny]), name="redoc"),
]

handler404 = "slm_platform.api.errors.json_not_found_or_page"
handler500 = "slm_platform.api.errors.json_server_error"

"""Rate limits per API key and per client address on the endpoints that cost the most
(predict, uploads). A view opts in with `throttle_scopes = {"POST": "predict"}`; the rates are
settings.RATE_LIMITS["<scope>_key"] and ["<scope>_ip"]. Over a limit the caller gets 429 with
Retry-After (slm_platform/api/errors.py shapes the body)."""

from rest_framework.throttling import BaseThrottle

from slm_platform.accounts.models import ApiKey
from slm_platform.core.security import client_ip, rate_limit_check


class _ScopedThrottle(BaseThrottle):
    kind = ""

    def __init__(self) -> None:
        self.retry_after: int | None = None

    def identity(self, request) -> str | None:
        raise NotImplementedError

    def allow_request(self, request, view) -> bool:
        scope = getattr(view, "throttle_scopes", {}).get(request.method)
        identity = self.identity(request) if scope else None
        if identity is None:
            return True
        self.retry_after = rate_limit_check(scope=scope, kind=self.kind, ident=identity)
        return self.retry_after is None

    def wait(self) -> int | None:
        return self.retry_after


class ApiKeyThrottle(_ScopedThrottle):
    """One budget per API key; a session caller (the dashboard's user) counts as its user."""

    kind = "key"

    def identity(self, request) -> str | None:
        if isinstance(request.auth, ApiKey):
            return f"apikey-{request.auth.prefix}"
        if request.user is not None and request.user.is_authenticated:
            return f"user-{request.user.pk}"
        return None


class ClientIpThrottle(_ScopedThrottle):
    """One budget per client address, whichever keys it uses."""

    kind = "ip"

    def identity(self, request) -> str | None:
        return client_ip(request) or None

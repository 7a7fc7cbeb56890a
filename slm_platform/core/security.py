"""HTTP security that Django's own middleware leaves out: a Content-Security-Policy on every
response, the client's address behind trusted proxies, fixed-window rate limits kept in the
cache that every web process shares (Redis), and the allow-list check of the URLs the platform
itself calls (webhooks, HTTP generators and routes)."""

import functools
import logging
import math
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.checks import Error, Tags, register
from django.http import HttpResponse

from slm_platform.core.errors import ValidationFailed

logger = logging.getLogger(__name__)

PERIOD_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class CspNonce:
    """A response's nonce for styles added at run time (the Redoc page's), made when a
    template first asks for it. Only a response whose page used one names it in its policy:
    every other page stays at plain 'self'. Scripts never get one: no page has inline code."""

    def __init__(self) -> None:
        self.value: str | None = None

    def __str__(self) -> str:
        if self.value is None:
            self.value = secrets.token_urlsafe(18)
        return self.value


def content_security_policy(*, style_nonce: str | None = None,
                            extra: dict[str, list[str]] | None = None) -> str:
    """The policy of settings.CONTENT_SECURITY_POLICY, with `style_nonce` allowed for styles
    when the page carries one, and a view's `extra` sources (see csp_extend)."""
    policy = {directive: list(sources)
              for directive, sources in settings.CONTENT_SECURITY_POLICY.items()}
    for directive, sources in (extra or {}).items():
        policy.setdefault(directive, []).extend(sources)
    if style_nonce:
        policy["style-src"].append(f"'nonce-{style_nonce}'")
    return "; ".join(" ".join([directive, *sources]) for directive, sources in policy.items())


def csp_extend(view, **sources: list[str]):
    """`view` with more sources in its responses' policy: `csp_extend(view, worker_src=[...])`
    adds to worker-src. For a page of outside code that cannot do without (the API docs)."""
    extra = {name.replace("_", "-"): list(values) for name, values in sources.items()}

    @functools.wraps(view)
    def extended(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.csp_extra = extra
        return response

    return extended


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response that has none yet
    (Django's SecurityMiddleware sets HSTS, nosniff, Referrer-Policy and COOP)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_style_nonce = CspNonce()
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = content_security_policy(
                style_nonce=request.csp_style_nonce.value,
                extra=getattr(response, "csp_extra", None))
        if settings.PERMISSIONS_POLICY and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = settings.PERMISSIONS_POLICY
        return response


def client_ip(request) -> str:
    """The client's address. Behind TRUSTED_PROXY_COUNT proxies it is the address the outermost
    trusted proxy saw (that many entries from the right of X-Forwarded-For); with none, a
    client-sent X-Forwarded-For is ignored, so nobody can pick their own address."""
    remote_addr = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote_addr
    addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
    return addresses[-min(proxies, len(addresses))] if addresses else remote_addr


def outbound_host_allowed(url: str, allowed_hosts: Iterable[str]) -> bool:
    """Whether `url` names a host in `allowed_hosts` (case aside); its scheme is not looked at."""
    host = (urlsplit(url).hostname or "").lower()
    return bool(host) and host in [name.lower() for name in allowed_hosts]


def outbound_url_validate(url: str, *, allowed_hosts: Iterable[str], field: str, not_url: str,
                          not_allowed: str, code: str) -> str:
    """`url` if the platform may call it: http(s) to a host in `allowed_hosts`, so that a URL a
    user gives cannot make the platform call into the private network (SSRF). Else
    ValidationFailed on `field`: `not_url` when it is not an http(s) URL with a host, or
    `not_allowed` followed by the host, with `code`, when the host is not listed."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationFailed(not_url, details={"field": field})
    if not outbound_host_allowed(url, allowed_hosts):
        raise ValidationFailed(f"{not_allowed}, not {parts.hostname!r}", code=code,
                               details={"field": field})
    return url


@dataclass(frozen=True)
class Rate:
    limit: int
    period_seconds: int

    @classmethod
    def parse(cls, text: str) -> "Rate":
        """'600/min', '30/m', '10/s', '1000/hour', '5000/day'."""
        count, _, period = text.partition("/")
        if not count.strip().isdigit() or period.strip()[:1] not in PERIOD_SECONDS:
            raise ValueError(f"a rate looks like '600/min', not {text!r}")
        return cls(limit=int(count), period_seconds=PERIOD_SECONDS[period.strip()[0]])


def rate_limit_consume(*, bucket: str, rate: Rate) -> int | None:
    """Count one request against `bucket` in the current fixed window of `rate`. Returns None
    when it is within the limit, else the seconds until the window ends (for Retry-After).

    The counter is an atomic increment in the shared cache, so every web process counts into
    the same window. If the cache cannot be reached the request is let through and logged:
    an outage of Redis must not lock everybody out (passwords stay guarded by the lockout,
    which lives in the database)."""
    now = time.time()
    window = int(now // rate.period_seconds)
    key = f"ratelimit:{bucket}:{window}"
    try:
        cache.add(key, 0, timeout=rate.period_seconds + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # the key expired between add and incr
            cache.set(key, 1, timeout=rate.period_seconds + 1)
            count = 1
    except Exception:
        logger.exception("rate limit store unreachable; %s not limited", bucket)
        return None
    if count <= rate.limit:
        return None
    return max(1, math.ceil((window + 1) * rate.period_seconds - now))


def rate_limit_reset(*, scope: str, kind: str, ident: str) -> None:
    """Start the current window of one budget from zero."""
    text = settings.RATE_LIMITS.get(f"{scope}_{kind}")
    if text:
        window = int(time.time() // Rate.parse(text).period_seconds)
        cache.delete(f"ratelimit:{scope}:{kind}:{ident}:{window}")


def rate_limit_check(*, scope: str, kind: str, ident: str) -> int | None:
    """rate_limit_consume for settings.RATE_LIMITS[f"{scope}_{kind}"]; no rate set, no limit."""
    text = settings.RATE_LIMITS.get(f"{scope}_{kind}")
    if not text:
        return None
    return rate_limit_consume(bucket=f"{scope}:{kind}:{ident}", rate=Rate.parse(text))


def rate_limited(scope: str):
    """A dashboard view whose POSTs count against the same budgets as the API's: per user (as
    one key) and per client address. Over a limit: 429 with Retry-After."""

    def decorator(view):
        @functools.wraps(view)
        def limited(request, *args, **kwargs):
            if request.method == "POST":
                identities = [("ip", client_ip(request))]
                if request.user.is_authenticated:
                    identities.append(("key", f"user-{request.user.pk}"))
                waits = [rate_limit_check(scope=scope, kind=kind, ident=ident)
                         for kind, ident in identities]
                if seconds := max((wait for wait in waits if wait), default=None):
                    response = HttpResponse(
                        f"Too many requests: try again in {seconds} seconds.", status=429,
                        content_type="text/plain; charset=utf-8")
                    response["Retry-After"] = str(seconds)
                    return response
            return view(request, *args, **kwargs)

        return limited

    return decorator


@register(Tags.security)
def rate_limits_check(app_configs, **kwargs) -> list[Error]:
    """A mistyped rate stops `manage.py check` (and start-up), not the first request."""
    errors = []
    for name, text in settings.RATE_LIMITS.items():
        try:
            if text:
                Rate.parse(text)
        except ValueError as error:
            errors.append(Error(f"RATE_LIMITS[{name!r}]: {error}", id="slm_platform.E001"))
    return errors

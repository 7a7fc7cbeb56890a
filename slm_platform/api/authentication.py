"""`Authorization: Bearer <key>` authentication for integrations. The key's row is read on every
request, so a revocation or an expiry holds from the very next one."""

import logging

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from slm_platform.accounts import keys
from slm_platform.accounts.selectors import api_key_by_prefix
from slm_platform.accounts.services import api_key_touch

logger = logging.getLogger("slm_platform.access")


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() != self.keyword.lower():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Authorization header must be 'Bearer <key>'")
        key = header[1]
        prefix = keys.key_prefix(key)
        api_key = api_key_by_prefix(prefix=prefix) if prefix else None
        if api_key is None or not keys.hashes_match(key, api_key.key_hash):
            raise exceptions.AuthenticationFailed("invalid API key", code="invalid_api_key")
        if api_key.revoked_at is not None:
            logger.warning("refused API key %s: revoked", api_key.prefix)
            raise exceptions.AuthenticationFailed("this API key has been revoked",
                                                  code="api_key_revoked")
        if api_key.is_expired:
            logger.warning("refused API key %s: expired", api_key.prefix)
            raise exceptions.AuthenticationFailed(
                f"this API key expired at {api_key.expires_at.isoformat()}; create a new one",
                code="api_key_expired")
        if not api_key.user.is_active:
            raise exceptions.AuthenticationFailed("the key's user is inactive",
                                                  code="user_inactive")
        api_key_touch(api_key=api_key)
        return api_key.user, api_key

    def authenticate_header(self, request) -> str:
        return self.keyword


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "slm_platform.api.authentication.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "An SLM Platform API key."}

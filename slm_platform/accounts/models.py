"""Members of organizations and the API keys integrations call with."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from slm_platform.accounts.roles import Role
from slm_platform.core.models import OrganizationOwned

__all__ = ["ApiKey", "Membership", "RecoveryCode", "Role", "TotpDevice"]


class Membership(OrganizationOwned):
    """A user's role in one organization (accounts/roles.py says what each role may do). A user
    belongs to one organization for now."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.ANALYST)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) in {self.organization_id}"


class ApiKey(OrganizationOwned):
    """A bearer key for integrations. Only its SHA-256 is stored; the key is shown once. It
    carries a role (never more than its holder's), may expire, and is refused from the moment
    it is revoked."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_keys"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    role = models.CharField(max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class TotpDevice(models.Model):
    """A user's authenticator app: the shared secret of its RFC 6238 codes. It guards logins
    once confirmed (its user typed a code from it); until then it is an enrolment in progress.
    The secret is kept as is, since checking a code needs it; recovery codes are hashed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device"
    )
    secret = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The time step of the last accepted code: a code is good once, not for its whole minute.
    last_used_step = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    def __str__(self) -> str:
        return f"TOTP of {self.user_id} ({'on' if self.is_confirmed else 'enrolling'})"


class RecoveryCode(models.Model):
    """A one-time code for a lost authenticator; only its SHA-256 is stored."""

    device = models.ForeignKey(TotpDevice, on_delete=models.CASCADE,
                               related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

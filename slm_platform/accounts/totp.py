"""Two-factor login with time-based one-time codes (RFC 6238, any authenticator app) and
one-time recovery codes. API keys are not affected: they are a second kind of credential, not
a password. Enrolment shows the secret once, as an otpauth:// URI and its QR code (drawn here,
no outside service); recovery codes are shown once and only their hashes are kept."""

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

import pyotp
import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from slm_platform.accounts.models import Membership, RecoveryCode, Role, TotpDevice
from slm_platform.audit.services import Actor, audit_record
from slm_platform.core.errors import Conflict, NotFound, ValidationFailed

RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
_RECOVERY_LENGTH = 16  # ~79 bits: a SHA-256 of it cannot be searched


@dataclass(frozen=True)
class Enrolment:
    secret: str
    uri: str  # otpauth://totp/... for an authenticator app
    qr_data_uri: str  # the URI as a QR code, an SVG data: URI


def device_for_user(*, user) -> TotpDevice | None:
    """The user's confirmed authenticator, if two-factor login is on for them."""
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def two_factor_step(*, user, membership: Membership | None) -> str | None:
    """What a correct password still needs: "verify" a code, "enrol" an authenticator first
    (an admin, with TOTP_REQUIRED_FOR_ADMINS on), or nothing (None)."""
    if device_for_user(user=user) is not None:
        return "verify"
    is_admin = membership is not None and membership.role == Role.ADMIN
    if settings.TOTP_REQUIRED_FOR_ADMINS and is_admin:
        return "enrol"
    return None


def _audit(*, user, action: str, data: dict | None = None) -> None:
    membership = Membership.objects.select_related("organization").filter(user=user).first()
    if membership is not None:
        audit_record(organization=membership.organization, actor=Actor.for_user(user),
                     action=action, object_type="user", object_id=user.pk, data=data)


def _enrolment(*, user, secret: str) -> Enrolment:
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.get_username(),
                                              issuer_name=settings.TOTP_ISSUER)
    return Enrolment(secret=secret, uri=uri,
                     qr_data_uri=segno.make(uri, error="m").svg_data_uri(scale=5, border=2))


@transaction.atomic
def totp_enrolment_start(*, user) -> Enrolment:
    """A new secret for the user's authenticator; it guards nothing until confirmed."""
    if device_for_user(user=user) is not None:
        raise Conflict("two-factor login is already on; turn it off first to change devices",
                       code="totp_enabled")
    secret = pyotp.random_base32()
    TotpDevice.objects.update_or_create(
        user=user, defaults={"secret": secret, "confirmed_at": None, "last_used_step": None})
    return _enrolment(user=user, secret=secret)


def enrolment_in_progress(*, user) -> Enrolment | None:
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=True).first()
    return _enrolment(user=user, secret=device.secret) if device else None


def _code_step(*, secret: str, code: str) -> int | None:
    """The 30-second step whose code `code` is, allowing one step of clock drift each way."""
    totp = pyotp.TOTP(secret)
    now = time.time()
    for drift in (0, -1, 1):
        moment = now + drift * totp.interval
        if hmac.compare_digest(totp.at(moment), code):
            return int(moment // totp.interval)
    return None


def _recovery_hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _normalised(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


@transaction.atomic
def totp_enrolment_confirm(*, user, code: str) -> list[str]:
    """Turn two-factor login on with a code from the new authenticator. Returns the recovery
    codes, which exist in clear only in this reply."""
    device = TotpDevice.objects.select_for_update().filter(
        user=user, confirmed_at__isnull=True).first()
    if device is None:
        raise NotFound("no enrolment in progress: start again", code="no_enrolment")
    step = _code_step(secret=device.secret, code=_normalised(code))
    if step is None:
        raise ValidationFailed("the code does not match: type the 6 digits the app shows now "
                               "(and check the device's clock)", details={"field": "code"})
    device.confirmed_at, device.last_used_step = timezone.now(), step
    device.save(update_fields=["confirmed_at", "last_used_step"])
    codes = [
        "-".join(chunk for chunk in (raw[i:i + 4] for i in range(0, _RECOVERY_LENGTH, 4)))
        for raw in ("".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
                    for _ in range(RECOVERY_CODE_COUNT))
    ]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(device=device, code_hash=_recovery_hash(_normalised(c))) for c in codes)
    _audit(user=user, action="auth.totp_enable")
    return codes


@transaction.atomic
def totp_verify(*, user, code: str) -> bool:
    """Whether `code` is the user's current authenticator code (each accepted once) or one of
    their unused recovery codes (then spent)."""
    device = TotpDevice.objects.select_for_update().filter(
        user=user, confirmed_at__isnull=False).first()
    code = _normalised(code)
    if device is None or not code:
        return False
    if code.isdigit():
        step = _code_step(secret=device.secret, code=code)
        if step is None or (device.last_used_step is not None and step <= device.last_used_step):
            return False
        device.last_used_step = step
        device.save(update_fields=["last_used_step"])
        return True
    recovery = device.recovery_codes.select_for_update().filter(
        code_hash=_recovery_hash(code), used_at__isnull=True).first()
    if recovery is None:
        return False
    recovery.used_at = timezone.now()
    recovery.save(update_fields=["used_at"])
    left = device.recovery_codes.filter(used_at__isnull=True).count()
    _audit(user=user, action="auth.recovery_code_used", data={"recovery_codes_left": left})
    return True


@transaction.atomic
def totp_disable(*, user, code: str) -> None:
    """Turn two-factor login off; it takes a current code (or a recovery code), so a
    borrowed session alone cannot."""
    if not totp_verify(user=user, code=code):
        raise ValidationFailed("the code does not match", details={"field": "code"})
    TotpDevice.objects.filter(user=user).delete()
    _audit(user=user, action="auth.totp_disable")


@transaction.atomic
def totp_reset(*, user, actor: Actor) -> bool:
    """Remove a user's authenticator (lost device and recovery codes): an operator's act,
    through `manage.py totp_reset`. Returns whether there was one."""
    deleted, _ = TotpDevice.objects.filter(user=user).delete()
    if deleted:
        membership = Membership.objects.select_related("organization").filter(
            user=user).first()
        if membership is not None:
            audit_record(organization=membership.organization, actor=actor,
                         action="auth.totp_reset", object_type="user", object_id=user.pk,
                         data={"username": user.get_username()})
    return bool(deleted)

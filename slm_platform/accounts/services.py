"""Writes for organizations, members and API keys; each records its audit row in the same
transaction."""

import datetime
import logging
from dataclasses import dataclass

from django.contrib.auth import get_user_model, login
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from slm_platform.accounts import keys
from slm_platform.accounts.models import ApiKey, Membership, Role
from slm_platform.accounts.roles import capabilities_of, role_within
from slm_platform.audit.services import Actor, audit_record
from slm_platform.core.errors import Conflict, NotFound, ValidationFailed
from slm_platform.core.models import Organization

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class IssuedKey:
    api_key: ApiKey
    key: str  # the only time the full key exists outside its holder's hands


def _role_check(role: str) -> None:
    if role not in Role.values:
        raise ValidationFailed(f"unknown role {role!r}; one of {', '.join(Role.values)}",
                               details={"field": "role"})


@transaction.atomic
def organization_create(*, name: str, slug: str | None = None) -> Organization:
    slug = slug or slugify(name)
    if Organization.objects.filter(slug=slug).exists():
        raise Conflict(f"organization {slug!r} already exists", details={"slug": slug})
    organization = Organization.objects.create(name=name, slug=slug)
    audit_record(organization=organization, actor=Actor.system(), action="organization.create",
                 object_type="organization", object_id=organization.pk, data={"slug": slug})
    return organization


@transaction.atomic
def member_create(
    *, organization: Organization, username: str, password: str, role: str = Role.ANALYST,
    email: str = "", actor: Actor | None = None,
) -> Membership:
    _role_check(role)
    user = get_user_model().objects.create_user(username=username, password=password, email=email)
    membership = Membership.objects.create(organization=organization, user=user, role=role)
    audit_record(organization=organization, actor=actor or Actor.system(), action="member.create",
                 object_type="user", object_id=user.pk, data={"username": username, "role": role})
    return membership


@transaction.atomic
def member_role_change(
    *, organization: Organization, membership_id: int, role: str, actor: Actor,
) -> Membership:
    """Give a member another role. The organization's last admin keeps the role: with nobody
    left to manage members and keys, only an operator with shell access could recover."""
    _role_check(role)
    # Lock every admin row first, so two admins demoting each other at once cannot both pass.
    admin_ids = list(Membership.objects.select_for_update().filter(
        organization=organization, role=Role.ADMIN).values_list("pk", flat=True))
    membership = Membership.objects.select_for_update().select_related("user").filter(
        organization=organization, pk=membership_id).first()
    if membership is None:
        raise NotFound(f"member {membership_id} not found", details={"id": membership_id})
    if membership.role == role:
        return membership
    if admin_ids == [membership.pk]:
        raise Conflict("the organization's last admin cannot give up the admin role; make "
                       "someone else an admin first", code="last_admin",
                       details={"field": "role"})
    previous, membership.role = membership.role, role
    membership.save(update_fields=["role"])
    audit_record(organization=organization, actor=actor, action="member.role_change",
                 object_type="user", object_id=membership.user_id,
                 data={"username": membership.user.username, "from": previous, "to": role})
    return membership


@transaction.atomic
def api_key_create(
    *, membership: Membership, name: str, role: str | None = None,
    expires_at: datetime.datetime | None = None, held: frozenset[str] | None = None,
    actor: Actor | None = None,
) -> IssuedKey:
    """A key for the member, with `role`'s capabilities (default: the member's role). The
    role may grant nothing beyond `held`, what the caller may do (default: the member's
    role): a key made with a key is never more than that key."""
    role = role or membership.role
    held = capabilities_of(membership.role) if held is None else held
    _role_check(role)
    if not role_within(role, held):
        raise ValidationFailed(f"a key cannot have the {role} role: it would be allowed more "
                               "than you are", details={"field": "role"})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationFailed("expires_at must be in the future", details={"field": "expires_at"})
    key, prefix = keys.new_key()
    api_key = ApiKey.objects.create(
        organization=membership.organization, user=membership.user, name=name, prefix=prefix,
        key_hash=keys.key_hash(key), role=role, expires_at=expires_at,
    )
    audit_record(
        organization=membership.organization, actor=actor or Actor.for_user(membership.user),
        action="api_key.create", object_type="api_key", object_id=api_key.pk,
        data={"name": name, "prefix": prefix, "for_user": membership.user.username,
              "role": role, "expires_at": expires_at.isoformat() if expires_at else None},
    )
    return IssuedKey(api_key=api_key, key=key)


@transaction.atomic
def api_key_revoke(*, organization: Organization, api_key_id: int, actor: Actor) -> ApiKey:
    api_key = ApiKey.objects.select_for_update().filter(
        organization=organization, pk=api_key_id
    ).first()
    if api_key is None:
        raise NotFound(f"API key {api_key_id} not found", details={"id": api_key_id})
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
        audit_record(organization=organization, actor=actor, action="api_key.revoke",
                     object_type="api_key", object_id=api_key.pk, data={"prefix": api_key.prefix})
    return api_key


def api_key_touch(*, api_key: ApiKey) -> None:
    """Record last use, at most once a minute per key, so hot keys do not write on every call."""
    now = timezone.now()
    if api_key.last_used_at is None or (now - api_key.last_used_at).total_seconds() > 60:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)


@transaction.atomic
def session_login(*, request, user, membership: Membership | None,
                  method: str = "password") -> None:
    login(request, user)
    if membership is not None:
        audit_record(organization=membership.organization, actor=Actor.for_user(user),
                     action="auth.login", object_type="user", object_id=user.pk,
                     data={"method": method})


def login_failed_record(*, username: str, membership: Membership | None,
                        step: str = "password") -> None:
    if membership is not None:
        audit_record(organization=membership.organization, actor=Actor.anonymous(),
                     action="auth.login_failed", object_type="user",
                     object_id=membership.user_id, outcome="denied",
                     data={"username": username, "step": step})


@transaction.atomic
def login_lockout_record(*, username: str, ip_address: str, failures: int) -> None:
    """A username+address pair was just locked out (accounts/lockout.py). An unknown username
    belongs to no organization, so it is only logged."""
    membership = Membership.objects.select_related("organization").filter(
        user__username=username).first()
    if membership is None:
        logger.warning("login lockout of unknown username %r from %s", username, ip_address)
        return
    audit_record(organization=membership.organization, actor=Actor.anonymous(),
                 action="auth.lockout", object_type="user", object_id=membership.user_id,
                 outcome="denied",
                 data={"username": username, "ip_address": ip_address, "failures": failures})

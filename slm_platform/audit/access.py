"""Who may read an organization's whole audit trail: export it, verify its hash chain.

One place to change when the roles change (an `auditor` role joins the admins here)."""

from slm_platform.accounts.models import Membership, Role

AUDIT_TRAIL_ROLES = frozenset({Role.ADMIN})


def audit_trail_readable(*, membership: Membership | None) -> bool:
    return membership is not None and membership.role in AUDIT_TRAIL_ROLES

"""Setting an organization's retention policy."""

from django.db import transaction

from slm_platform.audit.services import Actor, audit_record
from slm_platform.core.errors import ValidationFailed
from slm_platform.core.models import Organization
from slm_platform.retention.models import PERIODS, RetentionPolicy

# A hundred years: longer than any retention rule asks for, short enough for date arithmetic.
MAX_DAYS = 36_500


def _period_validate(name: str, value) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_DAYS:
        raise ValidationFailed(
            f"{name}: a whole number of days from 1 to {MAX_DAYS}, or null to keep forever",
            details={"field": name})
    return value


@transaction.atomic
def retention_policy_update(*, organization: Organization, changes: dict, actor: Actor
                            ) -> RetentionPolicy:
    """Set the periods named in `changes` (days, or None for forever); others stay as they are."""
    if not isinstance(changes, dict):
        raise ValidationFailed("the body must be a JSON object of periods",
                               details={"field": "body"})
    for name in changes:
        if name not in PERIODS:
            raise ValidationFailed(f"{name}: not a retention setting (known: "
                                   f"{', '.join(PERIODS)})", details={"field": name})
    values = {name: _period_validate(name, value) for name, value in changes.items()}
    policy, _ = RetentionPolicy.objects.select_for_update().get_or_create(
        organization=organization)
    before = policy.as_dict()
    for name, value in values.items():
        setattr(policy, name, value)
    policy.updated_by = actor.user
    policy.save()
    audit_record(organization=organization, actor=actor, action="retention.update",
                 object_type="retention_policy", object_id=policy.pk,
                 data={"before": before, "after": policy.as_dict()})
    return policy

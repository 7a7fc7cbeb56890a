from slm_platform.core.models import Organization
from slm_platform.retention.models import RetentionPolicy


def retention_policy_for(*, organization: Organization) -> RetentionPolicy:
    """The organization's policy; an unsaved one keeping everything when none was set."""
    policy = RetentionPolicy.objects.filter(organization=organization).first()
    return policy or RetentionPolicy(organization=organization)

"""Audit rows are written by the service that performs an action, inside its transaction."""

from dataclasses import dataclass

from slm_platform.audit.models import AuditEvent
from slm_platform.core.models import Organization


@dataclass(frozen=True)
class Actor:
    """Who acts: a user, a user through an API key, the platform itself, or nobody known."""

    label: str
    user: object | None = None
    api_key: object | None = None

    @classmethod
    def for_user(cls, user) -> "Actor":
        return cls(label=f"user:{user.username}", user=user)

    @classmethod
    def for_api_key(cls, api_key) -> "Actor":
        return cls(label=f"api_key:{api_key.prefix} ({api_key.user.username})",
                   user=api_key.user, api_key=api_key)

    @classmethod
    def system(cls) -> "Actor":
        return cls(label="system")

    @classmethod
    def anonymous(cls) -> "Actor":
        return cls(label="anonymous")


def audit_record(
    *, organization: Organization, actor: Actor, action: str, object_type: str = "",
    object_id: object = "", outcome: str = "success", latency_ms: float | None = None,
    data: dict | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        organization=organization, actor_user=actor.user, actor_api_key=actor.api_key,
        actor_label=actor.label, action=action, object_type=object_type,
        object_id="" if object_id is None else str(object_id), outcome=outcome,
        latency_ms=latency_ms, data=data or {},
    )

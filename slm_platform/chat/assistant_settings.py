"""An assistant's settings an admin may change (PATCH /api/v1/assistants/{id}): each value
is checked, the error names its field, and the change is audit-logged."""

from django.db import transaction

from slm_platform.audit.services import Actor, audit_record
from slm_platform.chat import handoff_rules
from slm_platform.chat.models import Assistant
from slm_platform.core.errors import ValidationFailed

EDITABLE = ("name", "greeting", "handoff_intents", "handoff_phrases", "answer_threshold",
            "generator")


@transaction.atomic
def assistant_update(*, assistant: Assistant, changes: dict, actor: Actor) -> Assistant:
    """Change an assistant's settings; each value is checked and the error names its field."""
    if not isinstance(changes, dict):
        raise ValidationFailed("the body must be an object of settings")
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise ValidationFailed(f"{unknown[0]} cannot be changed here (editable: "
                               f"{', '.join(EDITABLE)})", details={"field": unknown[0]})
    cleaned = {name: _setting_clean(name, value) for name, value in changes.items()}
    for name, value in cleaned.items():
        setattr(assistant, name, value)
    assistant.save(update_fields=list(cleaned))
    audit_record(organization=assistant.organization, actor=actor, action="assistant.update",
                 object_type="assistant", object_id=assistant.pk,
                 data={"fields": sorted(cleaned)})
    return assistant


def _setting_clean(name: str, value: object) -> object:
    from slm_platform.chat.generators import generator_config_clean

    if name == "generator":
        return generator_config_clean(value)
    if name == "answer_threshold":
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise ValidationFailed("answer_threshold must be a number from 0 to 1",
                                   details={"field": name})
        return float(value)
    if name == "handoff_phrases":
        return handoff_rules.phrases_clean(value)
    if name == "handoff_intents":
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise ValidationFailed("handoff_intents must be a list of intent labels",
                                   details={"field": name})
        return value
    limit = 200 if name == "name" else 2000
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise ValidationFailed(f"{name} must be a non-empty string of at most {limit} "
                               f"characters", details={"field": name})
    return value.strip()

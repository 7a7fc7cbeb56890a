"""The starter assistants an industry app registers (chat/assistant_specs.py), made for an
organization with their knowledge bases filled from their knowledge directories."""


from slm_platform.audit.services import Actor
from slm_platform.chat import services
from slm_platform.chat.assistant_specs import AssistantSpec, assistants
from slm_platform.chat.models import Assistant, KnowledgeBase
from slm_platform.core.models import Organization


def starter_assistants_ensure(*, organization: Organization) -> list[Assistant]:
    """Every registered starter assistant for the organization, with its knowledge base filled
    from its knowledge directory (documents already there are left as they are; indexing runs
    on a bulk worker). Idempotent."""
    return [_starter_assistant_ensure(organization=organization, spec=spec)
            for spec in assistants.all()]


def _starter_assistant_ensure(*, organization: Organization, spec: AssistantSpec) -> Assistant:
    actor = Actor.system()
    knowledge_base = KnowledgeBase.objects.filter(organization=organization,
                                                  slug=spec.slug).first()
    if knowledge_base is None:
        knowledge_base = services.knowledge_base_create(
            organization=organization, name=spec.name, slug=spec.slug, actor=actor,
            description=f"The starter knowledge of {spec.name}")
    for path in sorted(p for p in spec.knowledge_dir.iterdir() if p.is_file()):
        source = services.DocumentSource(field="file", filename=path.name, path=path,
                                         title=_title(path.stem))
        services.document_add(organization=organization, kb_id=knowledge_base.pk,
                              source=source, actor=actor)
    assistant, _ = Assistant.objects.get_or_create(
        organization=organization, slug=spec.slug,
        defaults={"name": spec.name, "industry": spec.industry,
                  "intent_task": spec.intent_task, "knowledge_base": knowledge_base,
                  "greeting": spec.greeting, "handoff_intents": list(spec.handoff_intents),
                  "emergency_intents": list(spec.emergency_intents),
                  "answer_threshold": spec.answer_threshold,
                  "deidentify_task": spec.deidentify_task})
    return assistant


def _title(stem: str) -> str:
    return "FAQ" if stem.lower() == "faq" else stem.replace("-", " ").replace("_", " ").capitalize()

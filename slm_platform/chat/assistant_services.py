"""Assistants: the registered starter assistants made for an organization, conversations, and
the reply to a user's message: a fixed emergency reply, a handoff to a person, or an extractive
answer (a knowledge-base passage as written, with its citation). No generated text."""

from dataclasses import dataclass, field

from django.db import transaction

from slm_platform.audit.services import Actor, audit_record
from slm_platform.chat import search, services
from slm_platform.chat.assistant_specs import AssistantSpec, assistants
from slm_platform.chat.models import (
    Assistant,
    Conversation,
    ConversationStatus,
    KnowledgeBase,
    Message,
    MessageKind,
    MessageRole,
)
from slm_platform.core.errors import ApplicationError, Conflict, ValidationFailed
from slm_platform.core.models import Organization

MAX_MESSAGE_CHARS = 2000
SEARCH_PASSAGES = 3
HANDOFF_REPLY = ("I'll pass you to a member of our team. They will reply in this conversation "
                 "as soon as they can.")
WITHHELD_TEXT = "[withheld: the message could not be de-identified]"
# Predict errors meaning "this organization has no model of the task (yet)".
_NO_MODEL = {"no_active_model", "model_training", "task_not_found"}


@dataclass(frozen=True)
class Reply:
    text: str
    kind: str
    intent: str = ""
    confidence: float | None = None
    citations: list[dict] = field(default_factory=list)
    handoff_reason: str = ""


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
                  "deidentify_task": spec.deidentify_task})
    return assistant


def _title(stem: str) -> str:
    return "FAQ" if stem.lower() == "faq" else stem.replace("-", " ").replace("_", " ").capitalize()


@transaction.atomic
def conversation_start(*, assistant: Assistant, actor: Actor) -> Conversation:
    """A new open conversation, its first message the assistant's greeting."""
    conversation = Conversation.objects.create(assistant=assistant)
    Message.objects.create(conversation=conversation, role=MessageRole.ASSISTANT,
                           text=assistant.greeting, kind=MessageKind.GREETING)
    audit_record(organization=assistant.organization, actor=actor, action="conversation.start",
                 object_type="conversation", object_id=conversation.pk,
                 data={"assistant": assistant.pk})
    return conversation


def message_text_validate(text: object) -> str:
    if not isinstance(text, str):
        raise ValidationFailed(f"text must be a string, not {type(text).__name__}",
                               details={"field": "text"})
    if not text.strip():
        raise ValidationFailed("text is required: the user's message", details={"field": "text"})
    if len(text) > MAX_MESSAGE_CHARS:
        raise ValidationFailed(f"text is {len(text):,} characters; at most "
                               f"{MAX_MESSAGE_CHARS:,}", details={"field": "text"})
    return text.strip()


def message_reply(*, conversation: Conversation, text: object, actor: Actor) -> Message:
    """Answer a user's message: an emergency gets its fixed reply before any model runs; a
    handoff intent, or no passage scoring at least the assistant's threshold, hands the
    conversation to a person; otherwise the best passage is the answer, cited."""
    message = message_text_validate(text)
    if conversation.status != ConversationStatus.OPEN:
        raise Conflict(f"the conversation is {conversation.status}", code="conversation_closed",
                       details={"status": conversation.status})
    assistant = conversation.assistant
    reply = _reply(assistant=assistant, text=message, actor=actor)
    stored = _deidentified(assistant=assistant, text=message, actor=actor)
    return _messages_save(conversation=conversation, user_text=stored, reply=reply, actor=actor)


def _reply(*, assistant: Assistant, text: str, actor: Actor) -> Reply:
    spec = assistants.get(assistant.slug)
    fixed = spec.emergency(text) if spec is not None else None
    if fixed is not None:
        return Reply(text=fixed, kind=MessageKind.EMERGENCY, handoff_reason="emergency")
    intent = _intent(assistant=assistant, text=text, actor=actor)
    if intent and intent in assistant.emergency_intents and spec is not None \
            and spec.emergency_intent_reply:
        return Reply(text=spec.emergency_intent_reply, kind=MessageKind.EMERGENCY, intent=intent,
                     handoff_reason=f"emergency_intent:{intent}")
    if intent and intent in assistant.handoff_intents:
        return Reply(text=HANDOFF_REPLY, kind=MessageKind.HANDOFF, intent=intent,
                     handoff_reason=f"intent:{intent}")
    hits = []
    if assistant.knowledge_base_id is not None:
        hits = search.knowledge_base_search(
            organization=assistant.organization, kb_id=assistant.knowledge_base_id,
            query=text[:search.MAX_QUERY_CHARS], k=SEARCH_PASSAGES, actor=actor)
    if not hits or hits[0]["score"] < assistant.answer_threshold:
        return Reply(text=HANDOFF_REPLY, kind=MessageKind.HANDOFF, intent=intent,
                     confidence=hits[0]["score"] if hits else None,
                     handoff_reason="low_confidence")
    best = hits[0]
    return Reply(text=best["text"], kind=MessageKind.ANSWER, intent=intent,
                 confidence=best["score"],
                 citations=[{"passage_id": best["passage_id"], "title": best["title"],
                             "document": best["document"]}])


def _predictions(*, assistant: Assistant, task_slug: str, texts: list[str],
                 actor: Actor) -> list[dict] | None:
    """The task's predictions, or None when the organization has no model of it."""
    from slm_platform.serving.services import predict

    try:
        return predict(organization=assistant.organization, task_slug=task_slug, inputs=texts,
                       actor=actor).predictions
    except ApplicationError as exc:
        if exc.code in _NO_MODEL:
            return None
        raise


def _intent(*, assistant: Assistant, text: str, actor: Actor) -> str:
    if not assistant.intent_task:
        return ""
    from slm_platform.serving.services import task_get

    limit = task_get(organization=assistant.organization,
                     slug=assistant.intent_task).max_input_chars
    predictions = _predictions(assistant=assistant, task_slug=assistant.intent_task,
                               texts=[text[:limit]], actor=actor)
    return predictions[0].get("label") or "" if predictions else ""


def _deidentified(*, assistant: Assistant, text: str, actor: Actor) -> str:
    """The user's text as stored: masked through the assistant's de-identification task; as
    written when there is none or the organization has no model of it; withheld when it
    cannot be de-identified now (never the raw text)."""
    if not assistant.deidentify_task:
        return text
    from slm_platform.serving.services import task_get

    try:
        limit = task_get(organization=assistant.organization,
                         slug=assistant.deidentify_task).max_input_chars
        pieces = [text[start:start + limit] for start in range(0, len(text), limit)]
        predictions = _predictions(assistant=assistant, task_slug=assistant.deidentify_task,
                                   texts=pieces, actor=actor)
    except ApplicationError as exc:
        if exc.code in _NO_MODEL:
            return text
        return WITHHELD_TEXT
    if predictions is None:
        return text
    if not all("redacted" in prediction for prediction in predictions):
        return WITHHELD_TEXT
    return "".join(prediction["redacted"] for prediction in predictions)


@transaction.atomic
def _messages_save(*, conversation: Conversation, user_text: str, reply: Reply,
                   actor: Actor) -> Message:
    Message.objects.create(conversation=conversation, role=MessageRole.USER, text=user_text,
                           intent=reply.intent)
    answer = Message.objects.create(
        conversation=conversation, role=MessageRole.ASSISTANT, text=reply.text,
        kind=reply.kind, intent=reply.intent, confidence=reply.confidence,
        citations=reply.citations)
    if reply.handoff_reason:
        Conversation.objects.filter(pk=conversation.pk).update(
            status=ConversationStatus.HANDED_OFF, handoff_reason=reply.handoff_reason)
        conversation.status = ConversationStatus.HANDED_OFF
        conversation.handoff_reason = reply.handoff_reason
        audit_record(organization=conversation.assistant.organization, actor=actor,
                     action="conversation.handoff", object_type="conversation",
                     object_id=conversation.pk,
                     data={"reason": reply.handoff_reason, "intent": reply.intent})
    return answer

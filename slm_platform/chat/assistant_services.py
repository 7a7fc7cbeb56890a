"""Assistants: the registered starter assistants made for an organization, conversations, and
the reply to a user's message: a fixed emergency reply, a handoff to a person, or an answer
from the knowledge base — generated on the realtime worker and validated against the passages
(answering.py), else the best passage as written — always with its citations."""

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from slm_platform.audit.services import Actor, audit_record
from slm_platform.chat import actions, grounding, handoffs, search, services, streams
from slm_platform.chat.assistant_specs import AssistantSpec, assistants
from slm_platform.chat.models import (
    Assistant,
    Conversation,
    ConversationStatus,
    KnowledgeBase,
    Message,
    MessageKind,
    MessageRole,
    MessageSource,
)
from slm_platform.core.errors import (
    ApplicationError,
    Conflict,
    ServiceUnavailable,
    ValidationFailed,
    WorkerFailed,
)
from slm_platform.core.models import Organization

MAX_MESSAGE_CHARS = 2000
SEARCH_PASSAGES = 3
# Passages scoring within this of the best one go into the generator's prompt.
GENERATION_SCORE_MARGIN = 0.1
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
    source: str = MessageSource.FIXED
    validation: dict = field(default_factory=dict)
    # The conversation's new pending action (chat/actions.py); None leaves it as it is.
    pending_action: dict | None = None


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
                           text=assistant.greeting, kind=MessageKind.GREETING,
                           source=MessageSource.FIXED)
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
    conversation to a person; otherwise a generated answer validated against the passages,
    or the best passage itself when nothing generated passes. Cited either way."""
    turn = _turn_prepare(conversation=conversation, text=text, actor=actor)
    reply = turn.reply
    if reply is None:
        generated = _generate(turn=turn, stream_key=None)
        reply = _answer_reply(turn=turn, generated=generated)
    return _messages_save(conversation=conversation, user_text=turn.stored, reply=reply,
                          actor=actor)


def message_reply_stream(*, conversation: Conversation, text: object,
                         actor: Actor) -> Iterator[tuple[str, object]]:
    """As message_reply, as events: ("delta", text) as the answer is written and validated,
    then ("message", the stored Message). The message is checked, and emergency, intent and
    retrieval run, before this returns: bad input fails here, never mid-stream."""
    turn = _turn_prepare(conversation=conversation, text=text, actor=actor)
    return _reply_events(conversation=conversation, turn=turn, actor=actor)


@dataclass
class _Turn:
    conversation: Conversation
    assistant: Assistant
    message: str  # as written: what the models see
    stored: str  # as stored (de-identified)
    intent: str = ""
    hits: list[dict] = field(default_factory=list)
    reply: Reply | None = None  # a fixed reply or handoff; None: answer from `hits`


def _turn_prepare(*, conversation: Conversation, text: object, actor: Actor) -> _Turn:
    message = message_text_validate(text)
    if conversation.status != ConversationStatus.OPEN:
        raise Conflict(f"the conversation is {conversation.get_status_display().lower()}: "
                       f"the assistant no longer answers in it", code="conversation_closed",
                       details={"status": conversation.status})
    assistant = conversation.assistant
    turn = _Turn(conversation=conversation, assistant=assistant, message=message,
                 stored=_deidentified(assistant=assistant, text=message, actor=actor))
    _route(turn=turn, actor=actor)
    return turn


def _route(*, turn: _Turn, actor: Actor) -> None:
    assistant, text = turn.assistant, turn.message
    spec = assistants.get(assistant.slug)
    fixed = spec.emergency(text) if spec is not None else None
    if fixed is not None:
        # An emergency wins over anything under way: no action is left waiting for a yes.
        turn.reply = Reply(text=fixed, kind=MessageKind.EMERGENCY, handoff_reason="emergency",
                           pending_action={})
        return
    pending = _pending_action(turn=turn, spec=spec)
    if pending is not None and actions.answer_yes_no(text) is not None:
        # A plain yes or no to the question asked: nothing for a model to add.
        _action_step(turn=turn, action=pending, actor=actor)
        return
    turn.intent = intent = _intent(assistant=assistant, text=text, actor=actor)
    if intent and intent in assistant.emergency_intents and spec is not None \
            and spec.emergency_intent_reply:
        turn.reply = Reply(text=spec.emergency_intent_reply, kind=MessageKind.EMERGENCY,
                           intent=intent, handoff_reason=f"emergency_intent:{intent}",
                           pending_action={})
        return
    if intent and intent in assistant.handoff_intents:
        turn.reply = Reply(text=HANDOFF_REPLY, kind=MessageKind.HANDOFF, intent=intent,
                           handoff_reason=f"intent:{intent}")
        return
    triggered = actions.action_triggered(spec.actions, message=text, intent=intent) \
        if spec is not None and pending is None else None
    if pending is not None or triggered is not None:
        _action_step(turn=turn, action=pending, triggered=triggered, actor=actor)
        return
    if assistant.knowledge_base_id is not None:
        turn.hits = search.knowledge_base_search(
            organization=assistant.organization, kb_id=assistant.knowledge_base_id,
            query=text[:search.MAX_QUERY_CHARS], k=SEARCH_PASSAGES, actor=actor)
    if not turn.hits or turn.hits[0]["score"] < assistant.answer_threshold:
        turn.reply = Reply(text=HANDOFF_REPLY, kind=MessageKind.HANDOFF, intent=intent,
                           confidence=turn.hits[0]["score"] if turn.hits else None,
                           handoff_reason="low_confidence")


def _pending_action(*, turn: _Turn, spec: AssistantSpec | None) -> actions.ActionSpec | None:
    """The action the conversation is in the middle of; one its assistant no longer declares
    is dropped."""
    conversation = turn.conversation
    if not conversation.pending_action:
        return None
    action = spec.action(conversation.pending_action.get("name", "")) if spec else None
    if action is None:
        Conversation.objects.filter(pk=conversation.pk).update(pending_action={})
        conversation.pending_action = {}
    return action


def _action_step(*, turn: _Turn, actor: Actor, action: actions.ActionSpec | None = None,
                 triggered: tuple[actions.ActionSpec, bool] | None = None) -> None:
    """The user's answer to the pending action, or the start of a triggered one (the intent's
    emergency and handoff rules went first)."""
    if action is not None:
        step = actions.action_continue(action, turn.conversation.pending_action,
                                       message=turn.message, stored=turn.stored)
    else:
        action, by_intent = triggered
        step = actions.action_start(action, by_intent=by_intent, message=turn.message,
                                    stored=turn.stored)
    turn.reply = _action_reply(turn=turn, action=action, step=step, actor=actor)


def _action_reply(*, turn: _Turn, action: actions.ActionSpec, step: actions.ActionStep,
                  actor: Actor) -> Reply:
    """The fixed reply of an action step; a confirmed action runs here, audited."""
    outcome, text = step.outcome, step.text
    if step.execute:
        result = _action_execute(conversation=turn.conversation, action=action,
                                 slots=outcome["slots"], actor=actor)
        outcome, text = {**outcome, "result": result.data}, result.text
    kind = MessageKind.HANDOFF if step.handoff_reason else MessageKind.ACTION
    return Reply(text=text, kind=kind, intent=turn.intent, validation=outcome,
                 handoff_reason=step.handoff_reason, pending_action=step.pending)


@transaction.atomic
def _action_execute(*, conversation: Conversation, action: actions.ActionSpec, slots: dict,
                    actor: Actor) -> actions.ActionResult:
    organization = conversation.assistant.organization
    # Claim the confirmed action: a second "yes" sent at the same time finds it gone.
    current = (Conversation.objects.select_for_update().filter(pk=conversation.pk)
               .values_list("pending_action", flat=True).first())
    if current != conversation.pending_action:
        return actions.ActionResult(text=actions.ALREADY_DONE_TEXT, data={"skipped": True})
    Conversation.objects.filter(pk=conversation.pk).update(pending_action={})
    conversation.pending_action = {}
    result = action.execute(organization=organization, conversation=conversation, slots=slots)
    audit_record(organization=organization, actor=actor, action="conversation.action",
                 object_type="conversation", object_id=conversation.pk,
                 data={"action": action.name, "slots": sorted(slots), "result": result.data})
    return result


def _prompt_hits(turn: _Turn) -> list[dict]:
    """Passages close to the best one only: a weak third passage lengthens the prompt (the
    time to the first token) and gives the model something else to copy from."""
    best = turn.hits[0]["score"]
    return [h for h in turn.hits if h["score"] >= best - GENERATION_SCORE_MARGIN]


def _generate_args(turn: _Turn, stream_key: str | None) -> list:
    passages = [{"passage_id": h["passage_id"], "title": h["title"], "text": h["text"]}
                for h in _prompt_hits(turn)]
    return [turn.assistant.generator, turn.assistant.name, turn.message, passages, stream_key]


def _generate(*, turn: _Turn, stream_key: str | None) -> dict:
    """The worker's validated generation; a timeout or a failed worker leaves the answer
    extractive rather than failing the message."""
    from slm_platform.serving.services import realtime_call

    try:
        return realtime_call("chat.generate", _generate_args(turn, stream_key),
                             what="generating a reply",
                             timeout=settings.CHAT_GENERATION_TIMEOUT_SECONDS)
    except (ServiceUnavailable, WorkerFailed) as exc:
        if exc.code == "no_worker":
            raise
        return {"outcome": "unavailable", "error": exc.code}


def _reply_events(*, conversation: Conversation, turn: _Turn,
                  actor: Actor) -> Iterator[tuple[str, object]]:
    from slm_platform.serving.services import realtime_send

    reply = turn.reply
    if reply is None:
        key = streams.new_key()
        shown: list[str] = []
        generated: dict | None = None
        try:
            realtime_send("chat.generate", _generate_args(turn, key),
                          expires=settings.CHAT_GENERATION_TIMEOUT_SECONDS)
            for event, data in streams.read(
                    key, first_timeout=settings.CHAT_GENERATION_TIMEOUT_SECONDS,
                    timeout=settings.CHAT_GENERATION_TIMEOUT_SECONDS):
                if event == streams.END:
                    generated = data
                else:
                    shown.append(data["text"])
                    yield "delta", data["text"]
        except (streams.StreamTimeout, ServiceUnavailable) as exc:
            generated = {"outcome": "unavailable", "error": str(exc)}
        if generated is None or "".join(shown) != generated.get("text", ""):
            # What the user saw is the answer, whatever the worker managed to send after it.
            generated = {**(generated or {}), "text": "".join(shown)}
        reply = _answer_reply(turn=turn, generated=generated)
        if not shown:
            yield "delta", reply.text
    else:
        yield "delta", reply.text
    yield "message", _messages_save(conversation=conversation, user_text=turn.stored,
                                    reply=reply, actor=actor)


def _answer_reply(*, turn: _Turn, generated: dict) -> Reply:
    """The generated answer when a sentence of it passed validation, else the best passage
    as written; cited, with the retrieval score of the best passage as its confidence."""
    best = turn.hits[0]
    validation = {k: v for k, v in generated.items() if k != "text"}
    if generated.get("text"):
        return Reply(text=generated["text"], kind=MessageKind.ANSWER, intent=turn.intent,
                     confidence=best["score"], source=MessageSource.GENERATED,
                     citations=_citations(generated["text"], _prompt_hits(turn)),
                     validation=validation)
    return Reply(text=best["text"], kind=MessageKind.ANSWER, intent=turn.intent,
                 confidence=best["score"], source=MessageSource.EXTRACTIVE,
                 citations=[_citation(best)], validation=validation)


def _citation(hit: dict) -> dict:
    return {"passage_id": hit["passage_id"], "title": hit["title"], "document": hit["document"]}


def _citations(text: str, hits: list[dict]) -> list[dict]:
    """The passages holding a fact of the answer; the best passage when it states none."""
    facts = grounding.reply_facts(text)
    cited = [hit for hit in hits
             if facts and grounding.facts_check(
                 text, [f"{hit['title']}\n{hit['text']}"]).unsupported != facts]
    return [_citation(hit) for hit in cited or hits[:1]]


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
        citations=reply.citations, source=reply.source, validation=reply.validation)
    if reply.handoff_reason:  # staff see the action that was pending, if any
        handoffs.handoff_record(conversation=conversation, reason=reply.handoff_reason,
                                intent=reply.intent, actor=actor)
    if reply.pending_action is not None and reply.pending_action != conversation.pending_action:
        Conversation.objects.filter(pk=conversation.pk).update(
            pending_action=reply.pending_action)
        conversation.pending_action = reply.pending_action
    return answer


EDITABLE = ("name", "greeting", "handoff_intents", "answer_threshold", "generator")


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

"""Conversations with an assistant and the reply to a user's message: a fixed emergency reply,
a handoff to a person (a rule, an intent, or no passage good enough), an action's step
(action_flow.py), or an answer from the knowledge base — generated on the realtime worker and
validated against the passages (answering.py), else the best passage as written — always with
its citations. In a conversation handed to staff the user's messages are kept for them with a
fixed acknowledgement (an emergency still gets its reply); a closed one takes no more."""

from collections.abc import Iterator
from dataclasses import replace

from django.conf import settings
from django.db import transaction

from slm_platform.audit.services import Actor, audit_record
from slm_platform.chat import (
    action_flow,
    actions,
    grounding,
    handoff_rules,
    handoffs,
    search,
    streams,
)
from slm_platform.chat.assistant_specs import AssistantSpec, assistants
from slm_platform.chat.models import (
    Assistant,
    Conversation,
    ConversationStatus,
    Message,
    MessageKind,
    MessageRole,
    MessageSource,
)
from slm_platform.chat.turns import Reply, Turn
from slm_platform.core.errors import (
    ApplicationError,
    Conflict,
    ServiceUnavailable,
    ValidationFailed,
    WorkerFailed,
)

MAX_MESSAGE_CHARS = 2000
# Passages scoring within this of the best one go into the generator's prompt.
GENERATION_SCORE_MARGIN = 0.1
HANDOFF_REPLY = ("I'll pass you to a member of our team. They will reply in this conversation "
                 "as soon as they can.")
WITH_STAFF_REPLY = ("Thanks, I've added this to your conversation for our team. A member of "
                    "staff will reply here as soon as they can.")
WITHHELD_TEXT = "[withheld: the message could not be de-identified]"
# Predict errors meaning "this organization has no model of the task (yet)".
_NO_MODEL = {"no_active_model", "model_training", "task_not_found"}


@transaction.atomic
def conversation_start(*, assistant: Assistant, actor: Actor) -> Conversation:
    """A new open conversation, its first message the assistant's greeting; it belongs to
    the caller (the user, and the API key they called with)."""
    conversation = Conversation.objects.create(assistant=assistant, started_by=actor.user,
                                               started_by_key=actor.api_key)
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
    """Answer a user's message: an emergency gets its fixed reply before any model runs; in a
    conversation handed to staff, a fixed acknowledgement; an action's step (action_flow.py);
    a handoff intent, or no passage scoring at least the assistant's threshold, hands the
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


def _turn_prepare(*, conversation: Conversation, text: object, actor: Actor) -> Turn:
    message = message_text_validate(text)
    if conversation.status == ConversationStatus.CLOSED:
        raise Conflict("the conversation is closed: staff closed it, so it takes no more "
                       "messages. Start a new conversation to ask again.",
                       code="conversation_closed", details={"status": conversation.status})
    assistant = conversation.assistant
    turn = Turn(conversation=conversation, assistant=assistant, message=message,
                 stored=_deidentified(assistant=assistant, text=message, actor=actor))
    _route(turn=turn, actor=actor)
    return turn


def _route(*, turn: Turn, actor: Actor) -> None:
    assistant, text = turn.assistant, turn.message
    spec = assistants.get(assistant.slug)
    turn.reply = _fixed_reply(turn=turn, spec=spec) or _rule_reply(turn=turn, spec=spec)
    if turn.reply is not None:
        return
    pending = action_flow.pending_action(turn=turn, spec=spec)
    answer = actions.answer_yes_no(text)
    if answer is not None:
        # A plain yes or no: the answer to the question asked, if any; nothing for a model.
        if pending is not None:
            action_flow.action_step(turn=turn, action=pending, actor=actor)
        else:
            action_flow.nothing_pending(turn=turn, answer=answer)
        return
    turn.intent = _intent(assistant=assistant, text=text, actor=actor)
    turn.reply = intent_reply(
        intent=turn.intent, emergency_intents=assistant.emergency_intents,
        handoff_intents=assistant.handoff_intents,
        emergency_reply=spec.emergency_intent_reply if spec is not None else "")
    if turn.reply is not None:
        return
    triggered = actions.action_triggered(spec.actions, message=text, intent=turn.intent) \
        if spec is not None else None
    if pending is not None:
        if action_flow.pending_turn(turn=turn, action=pending, triggered=triggered,
                                    actor=actor):
            return
    elif triggered is not None:
        action_flow.action_step(turn=turn, triggered=triggered, actor=actor)
        return
    if assistant.knowledge_base_id is not None and not turn.hits:
        turn.hits = search.passages_for_reply(assistant=assistant, text=text, actor=actor)
    turn.reply = low_confidence_reply(best_score=turn.hits[0]["score"] if turn.hits else None,
                                      threshold=assistant.answer_threshold, intent=turn.intent)


def _fixed_reply(*, turn: Turn, spec: AssistantSpec | None) -> Reply | None:
    """A red flag's emergency reply, before any model runs; in a conversation handed to
    staff, the acknowledgement (nothing generated or run: the message is for them)."""
    fixed = spec.emergency(turn.message) if spec is not None else None
    if fixed is not None:
        # An emergency wins over anything under way: no action is left waiting for a yes.
        return Reply(text=fixed, kind=MessageKind.EMERGENCY, handoff_reason="emergency",
                     pending_action={})
    if turn.conversation.status == ConversationStatus.HANDED_OFF:
        return Reply(text=WITH_STAFF_REPLY, kind=MessageKind.ACKNOWLEDGEMENT)
    return None


def _rule_reply(*, turn: Turn, spec: AssistantSpec | None) -> Reply | None:
    """A handoff rule's reply (chat/handoff_rules.py): to a person, before any model runs; an
    action waiting for a yes is dropped, as the conversation is now staff's."""
    fired = handoff_rules.rule_handoff(text=turn.message, spec=spec,
                                       phrases=turn.assistant.handoff_phrases or ())
    if fired is None:
        return None
    return Reply(text=fired.reply or HANDOFF_REPLY, kind=MessageKind.HANDOFF,
                 handoff_reason=fired.reason, pending_action={})


# The model steps below are plain functions of what the models found, so the benchmark
# (bench/chat_eval.py) decides its questions with the assistant's own steps.
def intent_reply(*, intent: str, emergency_intents: list[str] | tuple[str, ...],
                 handoff_intents: list[str] | tuple[str, ...],
                 emergency_reply: str) -> Reply | None:
    """An emergency the intent model calls (when there is a fixed reply for it), or an intent
    that goes to a person."""
    if intent and intent in emergency_intents and emergency_reply:
        return Reply(text=emergency_reply, kind=MessageKind.EMERGENCY, intent=intent,
                     handoff_reason=f"emergency_intent:{intent}", pending_action={})
    if intent and intent in handoff_intents:
        return Reply(text=HANDOFF_REPLY, kind=MessageKind.HANDOFF, intent=intent,
                     handoff_reason=f"intent:{intent}")
    return None


def low_confidence_reply(*, best_score: float | None, threshold: float,
                         intent: str = "") -> Reply | None:
    """The handoff when no passage (best_score None) or none scoring at least the
    threshold was found."""
    if best_score is not None and best_score >= threshold:
        return None
    return Reply(text=HANDOFF_REPLY, kind=MessageKind.HANDOFF, intent=intent,
                 confidence=best_score, handoff_reason="low_confidence")


def _prompt_hits(turn: Turn) -> list[dict]:
    """Passages close to the best one only: a weak third passage lengthens the prompt (the
    time to the first token) and gives the model something else to copy from."""
    best = turn.hits[0]["score"]
    return [h for h in turn.hits if h["score"] >= best - GENERATION_SCORE_MARGIN]


def _generate_args(turn: Turn, stream_key: str | None) -> list:
    passages = [{"passage_id": h["passage_id"], "title": h["title"], "text": h["text"]}
                for h in _prompt_hits(turn)]
    return [turn.assistant.generator, turn.assistant.name, turn.message, passages, stream_key]


def _generate(*, turn: Turn, stream_key: str | None) -> dict:
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


def _reply_events(*, conversation: Conversation, turn: Turn,
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
        rest = reply.text[len("".join(shown)):]  # all of it, or the action's reminder
        if rest:
            yield "delta", rest
    else:
        yield "delta", reply.text
    yield "message", _messages_save(conversation=conversation, user_text=turn.stored,
                                    reply=reply, actor=actor)


def _answer_reply(*, turn: Turn, generated: dict) -> Reply:
    """The generated answer when a sentence of it passed validation, else the best passage
    as written; cited, with the retrieval score of the best passage as its confidence."""
    best = turn.hits[0]
    validation = {k: v for k, v in generated.items() if k != "text"}
    if generated.get("text"):
        reply = Reply(text=generated["text"], kind=MessageKind.ANSWER, intent=turn.intent,
                      confidence=best["score"], source=MessageSource.GENERATED,
                      citations=_citations(generated["text"], _prompt_hits(turn)),
                      validation=validation)
    else:
        reply = Reply(text=best["text"], kind=MessageKind.ANSWER, intent=turn.intent,
                      confidence=best["score"], source=MessageSource.EXTRACTIVE,
                      citations=[_citation(best)], validation=validation)
    if not turn.reminder:
        return reply
    # The action under way stays; the line under the answer says what it waits for.
    return replace(reply, text=f"{reply.text}\n\n{turn.reminder}",
                   validation={**validation, "reminder": turn.conversation.pending_action.get(
                       "name", "")})


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

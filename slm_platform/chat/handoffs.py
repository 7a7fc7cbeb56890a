"""Handoffs to staff: a conversation the assistant gives up on (emergency, a handoff intent, a
question the knowledge base does not answer) is flagged with a summary and action items for
the staff inbox, where a person replies in the conversation and closes it. The user may go on
writing until then: the inbox counts their messages since staff last wrote (or the handoff).
The summary is the user's own words at once, replaced by a generated one-sentence summary when
it passes the same validation as replies (every fact in it found in the user's messages)."""

import logging
import re
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Count, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from slm_platform.audit.services import Actor, audit_record
from slm_platform.chat.actions import pending_describe
from slm_platform.chat.models import Conversation, ConversationStatus, Message, MessageRole
from slm_platform.core.errors import Conflict, NotFound, ValidationFailed
from slm_platform.core.models import Organization

logger = logging.getLogger(__name__)

# An order, booking or account reference: capitals and digits, with at least one of each.
_REFERENCE = re.compile(r"\b(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9][A-Z0-9-]{3,}\b")
SUMMARY_CHARS = 280
STAFF_REPLY_CHARS = 4000
# Words a summary for staff may use that the customer did not write.
SUMMARY_WORDS = "customer patient asks asking wants wanting would like know needs request"
SUMMARY_INSTRUCTIONS = (
    "Write one short sentence for a member of staff saying what the customer needs. Use only "
    "facts the customer wrote. Do not answer the customer.")


def action_items(*, reason: str, intent: str, user_texts: list[str],
                 pending_action: dict | None = None, actions_done: Sequence[dict] = ()
                 ) -> list[str]:
    """What staff should do, from why the assistant handed over, what the user wrote, and the
    actions the assistant carried out or was in the middle of (chat/actions.py)."""
    items = []
    if reason.startswith("emergency"):
        items.append("Urgent: emergency guidance was given. Contact the person now.")
    elif reason.startswith("intent:"):
        items.append(f"The person asked for: {reason.split(':', 1)[1].replace('_', ' ')}.")
    elif reason.startswith("action:"):
        items.append("Help the person finish what they asked for: the assistant could not get "
                     "the details it needed.")
    elif reason == "rule:prompt_injection":
        items.append("The message tried to change the assistant's instructions (nothing was "
                     "done). Check what the person needs.")
    elif reason.startswith("rule:"):
        items.append(f"A handoff rule fired: {reason.split(':', 1)[1].replace('_', ' ')}. "
                     "Answer the person yourself.")
    elif reason.startswith("phrase:"):
        items.append(f"The message used a handoff phrase: \"{reason.split(':', 1)[1]}\".")
    elif reason == "low_confidence":
        items.append("Answer the question the knowledge base could not answer, and consider "
                     "adding the answer to the knowledge base.")
    references: list[str] = []
    for text in user_texts:
        references += [found for found in _REFERENCE.findall(text) if found not in references]
    if references:
        items.append(f"References given: {', '.join(references[:5])}.")
    if intent and not reason.endswith(intent):
        items.append(f"Detected intent: {intent.replace('_', ' ')}.")
    for done in actions_done:
        items.append(f"Done by the assistant: {done.get('action', 'action')}"
                     f"{_result_reference(done.get('result') or {})}.")
    if pending_action:
        items.append(pending_describe(pending_action))
    return items


def _result_reference(result: dict) -> str:
    reference = result.get("reference")
    return f" ({reference})" if isinstance(reference, str) and reference else ""


def _actions_done(conversation: Conversation) -> list[dict]:
    outcomes = conversation.messages.filter(role=MessageRole.ASSISTANT, kind="action") \
        .values_list("validation", flat=True)
    return [outcome for outcome in outcomes if outcome.get("stage") == "executed"
            and not (outcome.get("result") or {}).get("skipped")]


def summary_extractive(user_texts: list[str]) -> str:
    text = " ".join(" ".join(t.split()) for t in user_texts[-2:])
    return text if len(text) <= SUMMARY_CHARS else text[:SUMMARY_CHARS - 1].rstrip() + "…"


def handoff_record(*, conversation: Conversation, reason: str, intent: str,
                   actor: Actor) -> None:
    """Flag the conversation for staff (inside the caller's transaction); a generated summary
    is asked of a bulk worker once the flag is committed, except for an emergency, where the
    person's own words say it best and staff act on the urgent action item at once."""
    user_texts = list(conversation.messages.filter(role=MessageRole.USER)
                      .values_list("text", flat=True))
    now = timezone.now()
    fields = {"status": ConversationStatus.HANDED_OFF, "handoff_reason": reason,
              "handed_off_at": now, "summary": summary_extractive(user_texts),
              "summary_source": "extractive",
              "action_items": action_items(
                  reason=reason, intent=intent, user_texts=user_texts,
                  pending_action=conversation.pending_action,
                  actions_done=_actions_done(conversation))}
    Conversation.objects.filter(pk=conversation.pk).update(**fields)
    for name, value in fields.items():
        setattr(conversation, name, value)
    audit_record(organization=conversation.assistant.organization, actor=actor,
                 action="conversation.handoff", object_type="conversation",
                 object_id=conversation.pk, data={"reason": reason, "intent": intent})
    if not reason.startswith("emergency"):
        transaction.on_commit(lambda: _summary_queue(conversation.pk))


def _summary_queue(conversation_id: int) -> None:
    """On the bulk queue: a summary for staff must never hold a realtime slot that a
    customer's message is waiting for."""
    from kombu.exceptions import OperationalError

    from slm_platform.celery import app

    try:
        app.send_task("chat.summarize", args=[conversation_id], queue="bulk", expires=300)
    except OperationalError as exc:
        logger.info("conversation %s keeps its extractive summary: %s", conversation_id, exc)


def summary_generate(*, conversation_id: int, max_new_tokens: int = 48) -> str:
    """Worker side: a one-sentence summary validated against the user's messages, stored when
    it passes. Returns the outcome."""
    from slm_platform.chat.answering import content_words, validated_generate
    from slm_platform.chat.generators import GeneratorUnavailable, generator_for

    conversation = Conversation.objects.select_related("assistant").filter(
        pk=conversation_id).first()
    if conversation is None or conversation.status != ConversationStatus.HANDED_OFF:
        return "skipped"
    user_texts = list(conversation.messages.filter(role=MessageRole.USER)
                      .values_list("text", flat=True))
    try:
        generator = generator_for(conversation.assistant.generator)
    except (GeneratorUnavailable, ValidationFailed):
        return "unavailable"
    if generator is None or not user_texts:
        return "disabled"
    transcript = "\n".join(f"Customer: {text}" for text in user_texts[-6:])
    result = validated_generate(
        generator=generator, sources=user_texts, echoes=[], max_new_tokens=max_new_tokens,
        vocabulary=content_words(" ".join([*user_texts, SUMMARY_WORDS])),
        messages=[{"role": "system", "content": SUMMARY_INSTRUCTIONS},
                  {"role": "user", "content": transcript}])
    if result.text:
        Conversation.objects.filter(pk=conversation_id).update(
            summary=result.text[:SUMMARY_CHARS], summary_source="generated")
    return result.outcome


def inbox(*, organization: Organization, status: str = ConversationStatus.HANDED_OFF
          ) -> QuerySet[Conversation]:
    """The organization's conversations in a status, most recently handed over first."""
    if status not in ConversationStatus.values:
        raise ValidationFailed(f"status must be one of {', '.join(ConversationStatus.values)}",
                               details={"field": "status"})
    return _with_new_messages(
        Conversation.objects.filter(assistant__organization=organization, status=status)
        .select_related("assistant").order_by("-handed_off_at", "-id"))


def _with_new_messages(conversations: QuerySet[Conversation]) -> QuerySet[Conversation]:
    """With `new_messages`, the user's messages since staff last wrote in it (or since the
    handoff), and `last_new_message`, the latest of them (None when there is none)."""
    last_staff = (Message.objects.filter(conversation=OuterRef("pk"), role=MessageRole.STAFF)
                  .order_by("-created", "-id").values("created")[:1])
    new = Message.objects.filter(conversation=OuterRef("pk"), role=MessageRole.USER,
                                 created__gt=OuterRef("new_since"))
    count = new.order_by().values("conversation").annotate(n=Count("pk")).values("n")
    return conversations.annotate(
        new_since=Coalesce(Subquery(last_staff), F("handed_off_at"))).annotate(
        new_messages=Coalesce(Subquery(count), 0),
        last_new_message=Subquery(new.order_by("-created", "-id").values("text")[:1]))


def inbox_get(*, organization: Organization, conversation_id: int) -> Conversation:
    found = _with_new_messages(Conversation.objects.filter(
        assistant__organization=organization, pk=conversation_id)
        .select_related("assistant")).first()
    if found is None:
        raise NotFound(f"conversation {conversation_id} not found",
                       details={"id": conversation_id})
    return found


@transaction.atomic
def staff_reply(*, conversation: Conversation, text: object, actor: Actor) -> Message:
    """A member of staff writes in a handed-over conversation (the assistant stays out)."""
    if not isinstance(text, str) or not text.strip():
        raise ValidationFailed("text is required: the reply to send", details={"field": "text"})
    if len(text) > STAFF_REPLY_CHARS:
        raise ValidationFailed(f"text is {len(text):,} characters; at most "
                               f"{STAFF_REPLY_CHARS:,}", details={"field": "text"})
    if conversation.status == ConversationStatus.CLOSED:
        raise Conflict("the conversation is closed", code="conversation_closed",
                       details={"status": conversation.status})
    message = Message.objects.create(conversation=conversation, role=MessageRole.STAFF,
                                     text=text.strip())
    audit_record(organization=conversation.assistant.organization, actor=actor,
                 action="conversation.staff_reply", object_type="conversation",
                 object_id=conversation.pk, data={"message": message.pk})
    return message


@transaction.atomic
def conversation_close(*, conversation: Conversation, actor: Actor) -> Conversation:
    if conversation.status == ConversationStatus.CLOSED:
        return conversation
    Conversation.objects.filter(pk=conversation.pk).update(status=ConversationStatus.CLOSED)
    conversation.status = ConversationStatus.CLOSED
    audit_record(organization=conversation.assistant.organization, actor=actor,
                 action="conversation.close", object_type="conversation",
                 object_id=conversation.pk, data={})
    return conversation

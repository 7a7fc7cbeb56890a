"""The conversation an OpenAI-compatible call belongs to. Such clients keep the history and
send all of it on every call, with no conversation id. After each reply the conversation keeps
a keyed hash of the (role, content) turns the client now holds (its user and assistant turns,
whitespace folded); a call whose earlier turns hash to it, from the same caller (user and API
key) and the same assistant, continues that conversation — its pending action, its handoff.

Anything else starts a new conversation: a first message, a history the platform never wrote
(edited, from elsewhere, or forged), a conversation staff have closed. The turns of such a
history are not stored as messages — they are the client's word for what the assistant said —
and the new conversation has no pending action, so a "yes" in it runs nothing; its hash is set
from the full history, so the client's next call continues it. The hash is an HMAC under the
site's secret key: it says nothing about the text without the key."""

import hashlib
import hmac
import json

from django.conf import settings

from slm_platform.audit.services import Actor
from slm_platform.chat.models import Assistant, Conversation, ConversationStatus

ROLES = ("user", "assistant")  # the turns a conversation holds; system and tool turns are not


def turns_of(messages: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The user and assistant turns, each text with its whitespace folded."""
    return [(role, " ".join(text.split())) for role, text in messages if role in ROLES]


def transcript_key(turns: list[tuple[str, str]]) -> str:
    payload = json.dumps(turns_of(turns), ensure_ascii=False, separators=(",", ":"))
    return hmac.new(settings.SECRET_KEY.encode(), payload.encode(), hashlib.sha256).hexdigest()


def conversation_for_history(
    *, assistant: Assistant, history: list[tuple[str, str]], actor: Actor
) -> Conversation:
    """The caller's open or handed-off conversation whose turns are `history` (the turns
    before the message being sent), else a new one."""
    from slm_platform.chat.assistant_services import conversation_start

    if turns_of(history):
        found = (
            Conversation.objects.filter(
                assistant=assistant,
                transcript_key=transcript_key(history),
                started_by=actor.user,
                started_by_key=actor.api_key,
            )
            .exclude(status=ConversationStatus.CLOSED)
            .order_by("-id")
            .first()
        )
        if found is not None:
            return found
    return conversation_start(assistant=assistant, actor=actor)


def transcript_advance(
    *, conversation: Conversation, history: list[tuple[str, str]], question: str, answer: str
) -> None:
    """After a reply: the turns the client now holds are the history, the question and the
    answer."""
    key = transcript_key([*history, ("user", question), ("assistant", answer)])
    Conversation.objects.filter(pk=conversation.pk).update(transcript_key=key)
    conversation.transcript_key = key

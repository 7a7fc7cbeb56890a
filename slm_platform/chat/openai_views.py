"""`POST /v1/chat/completions`, the OpenAI chat-completions shape, so existing client libraries
talk to an assistant unchanged: `model` is the assistant's slug, the last user message is
answered (emergency rules, intent, actions, retrieval, validated generation) and `stream` gives
server-sent chunks ending in `data: [DONE]`. The messages before it are the history the client
keeps: a call continues the caller's conversation whose turns they are (chat/transcripts.py), so
an action asked, answered and confirmed over several calls completes; other calls start a new
conversation, audited and kept like any other. Replies carry `citations` and `confidence`
beside the standard fields, and `slm_platform.conversation_id`."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from slm_platform.chat import assistant_services, transcripts
from slm_platform.chat.models import Assistant, Conversation, Message, MessageKind
from slm_platform.chat.sse import EventStreamRenderer, sse_event, sse_response
from slm_platform.core.errors import NotFound, ValidationFailed

ROLES = ("system", "user", "assistant", "developer", "tool")
MAX_MESSAGES = 100


def _content(value: object, index: int) -> str:
    """A message's text: a string, or the text parts of a content array (an assistant turn of
    tool calls only has none)."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, list) and all(isinstance(part, dict) for part in value):
        texts = [part.get("text") for part in value if part.get("type") == "text"]
        if all(isinstance(text, str) for text in texts):
            return "\n".join(texts)
    raise ValidationFailed(f"messages[{index}].content must be a string or text parts",
                           details={"field": f"messages[{index}].content"})


def _question(messages: object) -> str:
    if not isinstance(messages, list) or not messages:
        raise ValidationFailed("messages must be a non-empty list", details={"field": "messages"})
    if len(messages) > MAX_MESSAGES:
        raise ValidationFailed(f"at most {MAX_MESSAGES} messages", details={"field": "messages"})
    for index, message in enumerate(messages):
        if not isinstance(message, dict) or message.get("role") not in ROLES:
            raise ValidationFailed(f"messages[{index}] needs a role ({', '.join(ROLES)})",
                                   details={"field": f"messages[{index}].role"})
    last = messages[-1]
    if last["role"] != "user":
        raise ValidationFailed("the last message must be the user's",
                               details={"field": f"messages[{len(messages) - 1}].role"})
    # Only the user's last message is answered: system or developer messages a client sends
    # never replace the assistant's own instructions.
    question = _content(last.get("content"), len(messages) - 1)
    if not question.strip():
        raise ValidationFailed("the last message's content is required",
                               details={"field": f"messages[{len(messages) - 1}].content"})
    return question


def _history(messages: list[dict]) -> list[tuple[str, str]]:
    """The (role, text) turns before the question (checked by _question first)."""
    return [(message["role"], _content(message.get("content"), index))
            for index, message in enumerate(messages[:-1])]


def _assistant(request, model: object) -> Assistant:
    if not isinstance(model, str) or not model:
        raise ValidationFailed("model must be an assistant's slug", details={"field": "model"})
    assistant = Assistant.objects.filter(organization=request.organization, slug=model).first()
    if assistant is None:
        raise NotFound(f"no assistant {model!r}", code="model_not_found",
                       details={"field": "model"})
    return assistant


def _extras(message: Message, conversation: Conversation) -> dict:
    return {"citations": message.citations, "confidence": message.confidence,
            "slm_platform": {"conversation_id": conversation.pk, "message_id": message.pk,
                             "kind": message.kind, "source": message.source,
                             "handoff": conversation.status == "handed_off"}}


def _finish_reason(message: Message) -> str:
    """"handoff" when a person takes over (or has), else "stop"."""
    finished = (MessageKind.ANSWER, MessageKind.GREETING, MessageKind.ACTION)
    return "stop" if message.kind in finished else "handoff"


class ChatCompletionsApi(APIView):
    capability = "chat"
    throttle_scopes = {"POST": "predict"}  # rate limits: api/throttling.py
    renderer_classes = [JSONRenderer, EventStreamRenderer]

    @extend_schema(
        request=inline_serializer("ChatCompletionRequest", {
            "model": serializers.CharField(help_text="The assistant's slug"),
            "messages": serializers.ListField(child=serializers.DictField()),
            "stream": serializers.BooleanField(required=False, default=False)}),
        responses={200: inline_serializer("ChatCompletion", {
            "id": serializers.CharField(), "object": serializers.CharField(),
            "created": serializers.IntegerField(), "model": serializers.CharField(),
            "choices": serializers.ListField(child=serializers.DictField()),
            "usage": serializers.DictField(),
            "citations": serializers.ListField(child=serializers.DictField()),
            "confidence": serializers.FloatField(allow_null=True)})},
        summary="OpenAI-compatible chat completion with an assistant (model = its slug)",
        tags=["assistants"],
    )
    def post(self, request):
        data = request.data if isinstance(request.data, dict) else {}
        assistant = _assistant(request, data.get("model"))
        question = _question(data.get("messages"))
        history = _history(data["messages"])
        stream = data.get("stream", False)
        if not isinstance(stream, bool):
            raise ValidationFailed("stream must be true or false", details={"field": "stream"})
        assistant_services.message_text_validate(question)
        conversation = transcripts.conversation_for_history(assistant=assistant,
                                                            history=history,
                                                            actor=request.actor)
        head = {"id": f"chatcmpl-{conversation.pk}", "model": assistant.slug}
        if stream:
            events = assistant_services.message_reply_stream(
                conversation=conversation, text=question, actor=request.actor)
            return sse_response(_chunks(events, conversation, head,
                                        turns=(history, question)))
        message = assistant_services.message_reply(conversation=conversation, text=question,
                                                   actor=request.actor)
        transcripts.transcript_advance(conversation=conversation, history=history,
                                       question=question, answer=message.text)
        usage = {"prompt_tokens": message.validation.get("prompt_tokens", 0),
                 "completion_tokens": message.validation.get("new_tokens", 0)}
        usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
        return Response({
            **head, "object": "chat.completion", "created": int(message.created.timestamp()),
            "choices": [{"index": 0, "finish_reason": _finish_reason(message),
                         "message": {"role": "assistant", "content": message.text}}],
            "usage": usage, **_extras(message, conversation)})


def _chunks(events, conversation: Conversation, head: dict, *,
            turns: tuple[list[tuple[str, str]], str]):
    created = int(conversation.created.timestamp())
    history, question = turns

    def chunk(delta: dict, finish: str | None = None, **extra) -> str:
        return sse_event(None, {**head, "object": "chat.completion.chunk", "created": created,
                                "choices": [{"index": 0, "delta": delta,
                                             "finish_reason": finish}], **extra})

    yield chunk({"role": "assistant", "content": ""})
    for event, value in events:
        if event == "delta":
            yield chunk({"content": value})
        else:
            transcripts.transcript_advance(conversation=conversation, history=history,
                                           question=question, answer=value.text)
            conversation.refresh_from_db(fields=["status"])
            yield chunk({}, _finish_reason(value), **_extras(value, conversation))
    yield sse_event(None, "[DONE]")

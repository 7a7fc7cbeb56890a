"""The dashboard's chat pages: a playground per assistant, where a member talks to it as a
customer would and the reply streams in as the worker writes it (chat.js reads the server-sent
events of `chat_message`), and the staff inbox of conversations handed to a person, with their
summary, action items and transcript, a staff reply and closing. The chat services do the work
(chat.assistant_services, chat.handoffs)."""

import logging

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from slm_platform.api.errors import error_body
from slm_platform.chat import assistant_services, handoffs
from slm_platform.chat.models import ConversationStatus
from slm_platform.chat.selectors import (
    assistant_get,
    assistants_for_organization,
    conversation_get,
)
from slm_platform.chat.sse import sse_event, sse_response
from slm_platform.chat.views import ConversationSerializer, MessageSerializer
from slm_platform.core.errors import ApplicationError, NotFound, ServiceUnavailable
from slm_platform.dashboard.access import capability_required

logger = logging.getLogger(__name__)

CONVERSATIONS_PER_PAGE = 25
INBOX_TABS = ((ConversationStatus.HANDED_OFF, "Handed to staff"),
              (ConversationStatus.CLOSED, "Closed"))
MESSAGE_TEMPLATE = "dashboard/chat/_message.html"
DETAIL_TEMPLATE = "dashboard/chat/conversation.html"


def handoff_reason(reason: str) -> dict:
    """Why the assistant handed over, in words, and whether it is urgent (an emergency)."""
    kind, _, detail = reason.partition(":")
    detail = detail.replace("_", " ")
    if kind in ("emergency", "emergency_intent"):
        return {"label": f"Emergency ({detail})" if detail else "Emergency", "urgent": True}
    labels = {"intent": f"Asked for: {detail}",
              "low_confidence": "Not answered by the knowledge base"}
    return {"label": labels.get(kind, reason or "–"), "urgent": False}


def _found(lookup, **kwargs):
    """A chat selector's row; Http404 (the dashboard's page) for its NotFound."""
    try:
        return lookup(**kwargs)
    except NotFound as exc:
        raise Http404(exc.message) from None


# Playground --------------------------------------------------------------------------------

@capability_required("chat")
def chat_page(request):
    assistants = (assistants_for_organization(organization=request.organization)
                  .select_related("knowledge_base")
                  .annotate(document_count=Count("knowledge_base__documents")))
    return render(request, "dashboard/chat/list.html", {"assistants": assistants})


@capability_required("chat")
def assistant_page(request, assistant_id: int):
    """The playground. ?conversation=<id> continues that conversation; without it the page
    shows the greeting and chat.js starts the conversation with the first message (a visit
    alone writes nothing)."""
    assistant = _found(assistant_get, organization=request.organization,
                       assistant_id=assistant_id)
    conversation = None
    raw = request.GET.get("conversation", "")
    if raw:
        if not raw.isdigit():
            raise Http404("conversation ids are numbers")
        conversation = _found(conversation_get, assistant=assistant, conversation_id=int(raw))
    return render(request, "dashboard/chat/assistant.html", {
        "assistant": assistant, "conversation": conversation,
        "transcript": list(conversation.messages.all()) if conversation else [],
        # Handed to staff, the user may go on writing (to them); closed, no more.
        "open": conversation is None or conversation.status != ConversationStatus.CLOSED,
        "with_staff": conversation is not None
        and conversation.status == ConversationStatus.HANDED_OFF,
        "max_chars": assistant_services.MAX_MESSAGE_CHARS, "playground": True,
    })


def _conversation_urls(assistant_id: int, conversation_id: int) -> dict:
    page = reverse("dashboard:chat-assistant", args=[assistant_id])
    return {"page_url": f"{page}?conversation={conversation_id}",
            "messages_url": reverse("dashboard:chat-message",
                                    args=[assistant_id, conversation_id]),
            "inbox_url": reverse("dashboard:chat-inbox-conversation", args=[conversation_id])}


@require_POST
@capability_required("chat")
def conversation_start(request, assistant_id: int):
    """A new conversation: JSON with its URLs for chat.js (Accept: application/json), else a
    redirect to its page (the "New conversation" button)."""
    assistant = _found(assistant_get, organization=request.organization,
                       assistant_id=assistant_id)
    conversation = assistant_services.conversation_start(assistant=assistant,
                                                         actor=request.actor)
    urls = _conversation_urls(assistant.pk, conversation.pk)
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"id": conversation.pk, **urls}, status=201)
    return redirect(urls["page_url"])


def _json_error(exc: ApplicationError) -> JsonResponse:
    response = JsonResponse(error_body(exc.code, exc.message, exc.details),
                            status=exc.status_code)
    if isinstance(exc, ServiceUnavailable):
        response["Retry-After"] = str(exc.retry_after)
    return response


@require_POST
@capability_required("chat")
def chat_message(request, assistant_id: int, conversation_id: int):
    """The user's message (form field `text`); the reply as server-sent events: `delta`
    {"text"} as it is written, then `message` {"reply", "conversation", "html"} (the API's
    shapes, and the finished bubble as the transcript shows it). Bad input, a conversation no
    longer open or no worker answers a JSON error before any event."""
    assistant = _found(assistant_get, organization=request.organization,
                       assistant_id=assistant_id)
    conversation = _found(conversation_get, assistant=assistant,
                          conversation_id=conversation_id)
    # Browsers send a textarea's line breaks as CRLF: count them as one character each.
    text = request.POST.get("text", "").replace("\r\n", "\n")
    try:
        events = assistant_services.message_reply_stream(conversation=conversation, text=text,
                                                         actor=request.actor)
    except ApplicationError as exc:
        return _json_error(exc)
    return sse_response(_reply_events(events, conversation))


def _reply_events(events, conversation):
    try:
        for event, value in events:
            if event == "delta":
                yield sse_event("delta", {"text": value})
                continue
            yield sse_event("message", {
                "reply": MessageSerializer(value).data,
                "conversation": {**ConversationSerializer(conversation).data,
                                 **_conversation_urls(conversation.assistant_id,
                                                      conversation.pk)},
                "html": render_to_string(MESSAGE_TEMPLATE, {"message": value}),
            })
    except ApplicationError as exc:
        yield sse_event("error", error_body(exc.code, exc.message, exc.details))
    except Exception:
        # The status line is sent: the page learns of a failure only from an event.
        logger.exception("chat reply failed in conversation %s", conversation.pk)
        yield sse_event("error", error_body("internal_error",
                                            "the reply failed; reload the page and try again"))


# Handoff inbox -----------------------------------------------------------------------------

@capability_required("handoffs")
def inbox_page(request):
    status = request.GET.get("status")
    if status not in dict(INBOX_TABS):
        status = ConversationStatus.HANDED_OFF
    conversations = handoffs.inbox(organization=request.organization, status=status)
    page = Paginator(conversations, CONVERSATIONS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [{"conversation": conversation, "reason": handoff_reason(conversation.handoff_reason)}
            for conversation in page]
    return render(request, "dashboard/chat/inbox.html", {
        "page": page, "rows": rows, "status": status, "tabs": INBOX_TABS})


def _detail_context(conversation, *, error: str | None = None, text: str = "") -> dict:
    return {"conversation": conversation, "reason": handoff_reason(conversation.handoff_reason),
            "transcript": list(conversation.messages.all()), "error": error, "text": text,
            "max_chars": handoffs.STAFF_REPLY_CHARS}


@capability_required("handoffs")
def inbox_conversation_page(request, conversation_id: int):
    conversation = _found(handoffs.inbox_get, organization=request.organization,
                          conversation_id=conversation_id)
    return render(request, DETAIL_TEMPLATE, _detail_context(conversation))


@require_POST
@capability_required("handoffs")
def inbox_reply(request, conversation_id: int):
    conversation = _found(handoffs.inbox_get, organization=request.organization,
                          conversation_id=conversation_id)
    text = request.POST.get("text", "").replace("\r\n", "\n")
    try:
        handoffs.staff_reply(conversation=conversation, text=text, actor=request.actor)
    except ApplicationError as exc:
        return render(request, DETAIL_TEMPLATE,
                      _detail_context(conversation, error=exc.message, text=text),
                      status=exc.status_code)
    messages.success(request, "Your reply is in the conversation.")
    return redirect("dashboard:chat-inbox-conversation", conversation_id=conversation.pk)


@require_POST
@capability_required("handoffs")
def inbox_close(request, conversation_id: int):
    conversation = _found(handoffs.inbox_get, organization=request.organization,
                          conversation_id=conversation_id)
    handoffs.conversation_close(conversation=conversation, actor=request.actor)
    messages.success(request, f"Conversation #{conversation.pk} is closed.")
    return redirect("dashboard:chat-inbox")

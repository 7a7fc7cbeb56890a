"""Knowledge-base API: `chat` reads and searches, `assistants` writes. Assistants: `chat` lists
them and talks to them, `assistants` changes their settings (accounts/roles.py)."""

from pathlib import Path

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from slm_platform.api.uploads import declared_size_check, request_documents
from slm_platform.chat import assistant_services, assistant_settings, search, services
from slm_platform.chat.models import (
    Assistant,
    Conversation,
    KnowledgeBase,
    KnowledgeDocument,
    Message,
)
from slm_platform.chat.reading import FILE_KINDS
from slm_platform.chat.selectors import (
    assistant_get,
    assistants_for_organization,
    conversation_get,
    document_get,
    documents_for_knowledge_base,
    knowledge_base_get,
    knowledge_bases_for_organization,
)
from slm_platform.chat.sse import EventStreamRenderer, sse_event, sse_response
from slm_platform.core.errors import ValidationFailed


class KnowledgeBaseSerializer(serializers.ModelSerializer):
    documents = serializers.IntegerField(source="document_count", read_only=True)

    class Meta:
        model = KnowledgeBase
        fields = ["id", "slug", "name", "description", "version", "documents", "created_at",
                  "updated_at"]


class KnowledgeBaseCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    slug = serializers.SlugField(max_length=64, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True, default="")


class DocumentSerializer(serializers.ModelSerializer):
    passages = serializers.IntegerField(source="passage_count", read_only=True)

    class Meta:
        model = KnowledgeDocument
        fields = ["id", "title", "filename", "kind", "sha256", "size_bytes", "status", "error",
                  "passages", "created_at", "indexed_at"]


class DocumentFileSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=f"At most {services.MAX_DOCUMENT_BYTES // 2**20} MB")
    title = serializers.CharField(max_length=300, required=False,
                                  help_text="Default: the file name without its extension")
    kind = serializers.ChoiceField(FILE_KINDS, required=False,
                                   help_text="Default: judged from the content and extension")


class DocumentTextSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    text = serializers.CharField(max_length=2_000_000, trim_whitespace=False)
    kind = serializers.ChoiceField(("markdown", "text"), default="text")


class SearchHitSerializer(serializers.Serializer):
    passage_id = serializers.IntegerField()
    document_id = serializers.IntegerField()
    document = serializers.CharField(help_text="The document's title")
    title = serializers.CharField(help_text="Heading path, or the question of a Q/A pair")
    text = serializers.CharField()
    score = serializers.FloatField(help_text="Cosine similarity to the query")


class _AdminWrites:
    capability = {"GET": "chat", "POST": "assistants", "PATCH": "assistants",
                  "DELETE": "assistants"}


class KnowledgeBaseListCreateApi(_AdminWrites, generics.ListAPIView):
    serializer_class = KnowledgeBaseSerializer

    def get_queryset(self):
        return knowledge_bases_for_organization(organization=self.request.organization)

    @extend_schema(request=KnowledgeBaseCreateSerializer,
                   responses={201: KnowledgeBaseSerializer}, summary="Create a knowledge base")
    def post(self, request):
        form = KnowledgeBaseCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        created = services.knowledge_base_create(organization=request.organization,
                                                 actor=request.actor, **form.validated_data)
        knowledge_base = knowledge_base_get(organization=request.organization, kb_id=created.pk)
        return Response(KnowledgeBaseSerializer(knowledge_base).data,
                        status=status.HTTP_201_CREATED)


class KnowledgeBaseDetailApi(_AdminWrites, APIView):
    @extend_schema(responses=KnowledgeBaseSerializer)
    def get(self, request, kb_id: int):
        knowledge_base = knowledge_base_get(organization=request.organization, kb_id=kb_id)
        return Response(KnowledgeBaseSerializer(knowledge_base).data)

    @extend_schema(request=None, responses={204: None},
                   summary="Delete a knowledge base with its documents")
    def delete(self, request, kb_id: int):
        services.knowledge_base_delete(organization=request.organization, kb_id=kb_id,
                                       actor=request.actor)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DocumentListCreateApi(_AdminWrites, generics.ListAPIView):
    throttle_scopes = {"POST": "upload"}  # rate limits: api/throttling.py
    serializer_class = DocumentSerializer
    parser_classes = [MultiPartParser, JSONParser]

    def get_queryset(self):
        knowledge_base = knowledge_base_get(organization=self.request.organization,
                                            kb_id=self.kwargs["kb_id"])
        return documents_for_knowledge_base(knowledge_base=knowledge_base)

    @extend_schema(
        request={"multipart/form-data": DocumentFileSerializer,
                 "application/json": DocumentTextSerializer},
        responses={201: DocumentSerializer, 200: DocumentSerializer},
        summary="Add a document (Markdown, TXT, HTML, Q/A CSV, PDF, DOCX, or text); it is "
                "indexed on a worker. The same content again answers 200 and changes nothing.",
    )
    def post(self, request, kb_id: int):
        declared_size_check(request, limit=services.MAX_DOCUMENT_BYTES,
                            what="knowledge-base documents may be", field="file",
                            slack=64 * 1024)
        knowledge_base_get(organization=request.organization, kb_id=kb_id)
        if request.content_type.startswith("multipart/"):
            result = self._add_file(request, kb_id)
        else:
            form = DocumentTextSerializer(data=request.data)
            form.is_valid(raise_exception=True)
            data = form.validated_data
            source = services.DocumentSource(field="text", filename=data["title"],
                                             title=data["title"], kind=data["kind"],
                                             text=data["text"])
            result = services.document_add(organization=request.organization, kb_id=kb_id,
                                           source=source, actor=request.actor)
        document = document_get(knowledge_base=result.document.knowledge_base,
                                document_id=result.document.pk)
        return Response(DocumentSerializer(document).data,
                        status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)

    def _add_file(self, request, kb_id: int) -> services.AddResult:
        if "file" not in request.FILES:
            raise ValidationFailed("file is required: a Markdown, TXT, HTML, CSV, PDF or DOCX "
                                   "file", details={"field": "file"})
        kind = request.data.get("kind") or None
        if kind is not None and kind not in FILE_KINDS:
            raise ValidationFailed(f"kind must be one of {', '.join(FILE_KINDS)}",
                                   details={"field": "kind"})
        with request_documents(request, ("file",), what="a document") as (upload,):
            title = request.data.get("title") or Path(upload.name).stem or upload.name
            source = services.DocumentSource(field="file", filename=upload.name, title=title,
                                             kind=kind, path=upload.path)
            return services.document_add(organization=request.organization, kb_id=kb_id,
                                         source=source, actor=request.actor)


class DocumentDetailApi(_AdminWrites, APIView):
    @extend_schema(responses=DocumentSerializer)
    def get(self, request, kb_id: int, document_id: int):
        knowledge_base = knowledge_base_get(organization=request.organization, kb_id=kb_id)
        return Response(DocumentSerializer(
            document_get(knowledge_base=knowledge_base, document_id=document_id)).data)

    @extend_schema(request=None, responses={204: None}, summary="Delete a document")
    def delete(self, request, kb_id: int, document_id: int):
        services.document_delete(organization=request.organization, kb_id=kb_id,
                                 document_id=document_id, actor=request.actor)
        return Response(status=status.HTTP_204_NO_CONTENT)


class KnowledgeBaseSearchApi(APIView):
    capability = "chat"

    @extend_schema(
        parameters=[OpenApiParameter("q", str, required=True, description="What to look for"),
                    OpenApiParameter("k", int, description=f"Passages, 1..{search.MAX_K}; "
                                                           "default 5")],
        responses=inline_serializer("KnowledgeBaseSearchResult",
                                    {"results": SearchHitSerializer(many=True)}),
        summary="The passages closest in meaning to q, best first (run on a worker)",
    )
    def get(self, request, kb_id: int):
        hits = search.knowledge_base_search(
            organization=request.organization, kb_id=kb_id, query=request.query_params.get("q"),
            k=request.query_params.get("k", 5), actor=request.actor)
        return Response({"results": hits})



class AssistantSerializer(serializers.ModelSerializer):
    class Meta:
        model = Assistant
        fields = ["id", "slug", "name", "industry", "intent_task", "knowledge_base", "greeting",
                  "handoff_intents", "handoff_phrases", "emergency_intents",
                  "answer_threshold", "generator",
                  "created_at"]


class MessageSerializer(serializers.ModelSerializer):
    validation = serializers.SerializerMethodField()

    class Meta:
        model = Message
        fields = ["id", "role", "kind", "source", "text", "citations", "confidence", "intent",
                  "validation", "created"]

    def get_validation(self, message: Message) -> dict:
        """How a generated answer fared (outcome, generator, tokens, timings). A rejected
        sentence is kept for staff on the message, never shown to the person chatting."""
        return {k: v for k, v in message.validation.items() if k != "rejected"}


class ConversationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Conversation
        fields = ["id", "assistant", "status", "handoff_reason", "created"]


class ConversationDetailSerializer(ConversationSerializer):
    messages = MessageSerializer(many=True, read_only=True)

    class Meta(ConversationSerializer.Meta):
        fields = [*ConversationSerializer.Meta.fields, "messages"]


class AssistantListApi(generics.ListAPIView):
    capability = "chat"
    serializer_class = AssistantSerializer

    def get_queryset(self):
        return assistants_for_organization(organization=self.request.organization)


class AssistantDetailApi(_AdminWrites, APIView):
    @extend_schema(responses=AssistantSerializer)
    def get(self, request, assistant_id: int):
        assistant = assistant_get(organization=request.organization, assistant_id=assistant_id)
        return Response(AssistantSerializer(assistant).data)

    @extend_schema(
        request=inline_serializer("AssistantUpdate", {
            name: serializers.JSONField(required=False)
            for name in assistant_settings.EDITABLE}),
        responses=AssistantSerializer,
        summary="Change an assistant's settings (admin): name, greeting, handoff_intents, "
                "handoff_phrases (whole words, any case), "
                "answer_threshold, generator ({} default, {kind: none}, or {kind: openai, "
                "url, model} on a host in CHAT_HTTP_GENERATOR_ALLOWED_HOSTS)")
    def patch(self, request, assistant_id: int):
        assistant = assistant_get(organization=request.organization, assistant_id=assistant_id)
        assistant_settings.assistant_update(assistant=assistant, changes=request.data,
                                            actor=request.actor)
        return Response(AssistantSerializer(assistant).data)


class ConversationCreateApi(APIView):
    capability = "chat"

    @extend_schema(request=None, responses={201: ConversationDetailSerializer},
                   summary="Start a conversation; its first message is the greeting")
    def post(self, request, assistant_id: int):
        assistant = assistant_get(organization=request.organization, assistant_id=assistant_id)
        conversation = assistant_services.conversation_start(assistant=assistant,
                                                             actor=request.actor)
        return Response(ConversationDetailSerializer(conversation).data,
                        status=status.HTTP_201_CREATED)


class ConversationDetailApi(APIView):
    capability = "chat"

    @extend_schema(responses=ConversationDetailSerializer)
    def get(self, request, assistant_id: int, conversation_id: int):
        assistant = assistant_get(organization=request.organization, assistant_id=assistant_id)
        conversation = conversation_get(assistant=assistant, conversation_id=conversation_id)
        return Response(ConversationDetailSerializer(conversation).data)


class MessageCreateApi(APIView):
    capability = "chat"
    throttle_scopes = {"POST": "predict"}  # rate limits: api/throttling.py
    renderer_classes = [JSONRenderer, EventStreamRenderer]

    @extend_schema(
        request=inline_serializer("AssistantMessageRequest", {
            "text": serializers.CharField(
                max_length=assistant_services.MAX_MESSAGE_CHARS),
            "stream": serializers.BooleanField(
                required=False, default=False,
                help_text="Reply as server-sent events (also with Accept: text/event-stream): "
                          "`delta` {text} as the answer is written and validated, then "
                          "`message` with this call's JSON body")}),
        responses={
            (200, "application/json"): inline_serializer("AssistantMessageReply", {
                "reply": MessageSerializer(), "conversation": ConversationSerializer()}),
            (200, "text/event-stream"): inline_serializer("AssistantMessageEvent", {
                "event": serializers.ChoiceField(choices=["delta", "message"]),
                "data": serializers.CharField(
                    help_text="JSON: {text} for `delta`; for `message` the non-streaming "
                              "call's body, {reply, conversation}")}),
        },
        summary="Send the user's message; the reply is an answer from the knowledge base, a "
                "handoff to a person, or fixed emergency guidance",
    )
    def post(self, request, assistant_id: int, conversation_id: int):
        assistant = assistant_get(organization=request.organization, assistant_id=assistant_id)
        conversation = conversation_get(assistant=assistant, conversation_id=conversation_id)
        data = request.data if isinstance(request.data, dict) else {}
        text = data.get("text")
        if _wants_stream(request, data):
            events = assistant_services.message_reply_stream(
                conversation=conversation, text=text, actor=request.actor)
            return sse_response(_message_events(events, conversation))
        reply = assistant_services.message_reply(conversation=conversation, text=text,
                                                 actor=request.actor)
        return Response({"reply": MessageSerializer(reply).data,
                         "conversation": ConversationSerializer(conversation).data})


def _wants_stream(request, data: dict) -> bool:
    stream = data.get("stream", False)
    if not isinstance(stream, bool):
        raise ValidationFailed("stream must be true or false", details={"field": "stream"})
    return stream or "text/event-stream" in request.headers.get("Accept", "")


def _message_events(events, conversation: Conversation):
    """Server-sent events: `delta` {"text"} as the answer comes, then `message` {"reply",
    "conversation"} as the non-streaming call returns it."""
    for event, value in events:
        if event == "delta":
            yield sse_event("delta", {"text": value})
        else:
            yield sse_event("message", {"reply": MessageSerializer(value).data,
                                        "conversation": ConversationSerializer(conversation).data})

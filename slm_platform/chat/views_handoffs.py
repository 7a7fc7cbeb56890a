"""The staff inbox API: handed-over conversations with their summaries and action items, a
staff member's reply in the conversation, and closing it."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from slm_platform.chat import handoffs
from slm_platform.chat.models import Conversation, ConversationStatus
from slm_platform.chat.views import ConversationSerializer, MessageSerializer


class HandoffSerializer(ConversationSerializer):
    assistant_name = serializers.CharField(source="assistant.name", read_only=True)
    new_messages = serializers.IntegerField(
        read_only=True, default=0,
        help_text="The user's messages since staff last wrote in it (or since the handoff)")
    last_new_message = serializers.CharField(read_only=True, default=None, allow_null=True,
                                             help_text="The latest of them, as stored")

    class Meta(ConversationSerializer.Meta):
        fields = [*ConversationSerializer.Meta.fields, "assistant_name", "handed_off_at",
                  "summary", "summary_source", "action_items", "new_messages",
                  "last_new_message"]


class HandoffDetailSerializer(HandoffSerializer):
    messages = MessageSerializer(many=True, read_only=True)

    class Meta(HandoffSerializer.Meta):
        fields = [*HandoffSerializer.Meta.fields, "messages"]


class HandoffListApi(generics.ListAPIView):
    capability = "handoffs"
    serializer_class = HandoffSerializer

    @extend_schema(parameters=[OpenApiParameter(
        "status", enum=ConversationStatus.values, default=ConversationStatus.HANDED_OFF,
        description="handed_off (the inbox), closed or open")],
        summary="Conversations handed to staff, most recent first")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return handoffs.inbox(organization=self.request.organization,
                              status=self.request.query_params.get(
                                  "status", ConversationStatus.HANDED_OFF))


class HandoffDetailApi(APIView):
    capability = "handoffs"

    @extend_schema(responses=HandoffDetailSerializer)
    def get(self, request, conversation_id: int):
        conversation = handoffs.inbox_get(organization=request.organization,
                                          conversation_id=conversation_id)
        return Response(HandoffDetailSerializer(conversation).data)


class HandoffReplyApi(APIView):
    capability = "handoffs"

    @extend_schema(request=inline_serializer("StaffReplyRequest", {
        "text": serializers.CharField(max_length=handoffs.STAFF_REPLY_CHARS)}),
        responses={201: MessageSerializer}, summary="Reply in the conversation as staff")
    def post(self, request, conversation_id: int):
        conversation = handoffs.inbox_get(organization=request.organization,
                                          conversation_id=conversation_id)
        data = request.data if isinstance(request.data, dict) else {}
        message = handoffs.staff_reply(conversation=conversation, text=data.get("text"),
                                       actor=request.actor)
        return Response(MessageSerializer(message).data, status=201)


class HandoffCloseApi(APIView):
    capability = "handoffs"

    @extend_schema(request=None, responses=HandoffSerializer,
                   summary="Close the conversation (no more messages)")
    def post(self, request, conversation_id: int):
        conversation: Conversation = handoffs.inbox_get(organization=request.organization,
                                                        conversation_id=conversation_id)
        handoffs.conversation_close(conversation=conversation, actor=request.actor)
        return Response(HandoffSerializer(conversation).data)

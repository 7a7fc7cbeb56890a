from django.urls import path

from slm_platform.chat import views, views_handoffs

urlpatterns = [
    path("knowledge-bases", views.KnowledgeBaseListCreateApi.as_view(),
         name="knowledge-base-list"),
    path("knowledge-bases/<int:kb_id>", views.KnowledgeBaseDetailApi.as_view(),
         name="knowledge-base-detail"),
    path("knowledge-bases/<int:kb_id>/documents", views.DocumentListCreateApi.as_view(),
         name="knowledge-document-list"),
    path("knowledge-bases/<int:kb_id>/documents/<int:document_id>",
         views.DocumentDetailApi.as_view(), name="knowledge-document-detail"),
    path("knowledge-bases/<int:kb_id>/search", views.KnowledgeBaseSearchApi.as_view(),
         name="knowledge-base-search"),
    path("assistants", views.AssistantListApi.as_view(), name="assistant-list"),
    path("assistants/<int:assistant_id>", views.AssistantDetailApi.as_view(),
         name="assistant-detail"),
    path("assistants/<int:assistant_id>/conversations", views.ConversationCreateApi.as_view(),
         name="assistant-conversation-list"),
    path("assistants/<int:assistant_id>/conversations/<int:conversation_id>",
         views.ConversationDetailApi.as_view(), name="assistant-conversation-detail"),
    path("assistants/<int:assistant_id>/conversations/<int:conversation_id>/messages",
         views.MessageCreateApi.as_view(), name="assistant-message-list"),
    path("handoffs", views_handoffs.HandoffListApi.as_view(), name="handoff-list"),
    path("handoffs/<int:conversation_id>", views_handoffs.HandoffDetailApi.as_view(),
         name="handoff-detail"),
    path("handoffs/<int:conversation_id>/reply", views_handoffs.HandoffReplyApi.as_view(),
         name="handoff-reply"),
    path("handoffs/<int:conversation_id>/close", views_handoffs.HandoffCloseApi.as_view(),
         name="handoff-close"),
]

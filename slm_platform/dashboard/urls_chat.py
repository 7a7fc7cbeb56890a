"""The dashboard's chat playground and handoff inbox."""

from django.urls import path

from slm_platform.dashboard import views_chat as views

urlpatterns = [
    path("chat/", views.chat_page, name="chat"),
    path("chat/inbox/", views.inbox_page, name="chat-inbox"),
    path("chat/inbox/<int:conversation_id>/", views.inbox_conversation_page,
         name="chat-inbox-conversation"),
    path("chat/inbox/<int:conversation_id>/reply", views.inbox_reply, name="chat-inbox-reply"),
    path("chat/inbox/<int:conversation_id>/close", views.inbox_close, name="chat-inbox-close"),
    path("chat/<int:assistant_id>/", views.assistant_page, name="chat-assistant"),
    path("chat/<int:assistant_id>/conversations", views.conversation_start, name="chat-start"),
    path("chat/<int:assistant_id>/conversations/<int:conversation_id>/messages",
         views.chat_message, name="chat-message"),
]

"""The starter assistants with their knowledge bases indexed by the worker, and a message said
to one of them, for tests."""

import time

from slm_platform.audit.services import Actor
from slm_platform.chat import assistant_services, starter_assistants
from slm_platform.chat.models import (
    Assistant,
    Conversation,
    DocumentStatus,
    KnowledgeDocument,
    Message,
)


def starter_assistants_indexed(organization, timeout: float = 180) -> dict[str, Assistant]:
    """Create the organization's starter assistants and wait until every knowledge document
    is embedded (none failed); the assistants by slug."""
    starter_assistants.starter_assistants_ensure(organization=organization)
    documents = KnowledgeDocument.objects.filter(knowledge_base__organization=organization)
    deadline = time.monotonic() + timeout
    while documents.filter(status=DocumentStatus.INDEXING).exists():
        assert time.monotonic() < deadline, "knowledge documents still indexing"
        time.sleep(0.25)
    assert not documents.filter(status=DocumentStatus.FAILED).exists()
    return {assistant.slug: assistant
            for assistant in Assistant.objects.filter(organization=organization)}


def say(assistant: Assistant, text: str) -> tuple[Conversation, Message]:
    """Start a conversation with the assistant and say `text` in it: the conversation as the
    reply left it, and the reply."""
    conversation = assistant_services.conversation_start(assistant=assistant,
                                                         actor=Actor.system())
    reply = assistant_services.message_reply(conversation=conversation, text=text,
                                             actor=Actor.system())
    conversation.refresh_from_db()
    return conversation, reply

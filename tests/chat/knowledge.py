"""The starter assistants with their knowledge bases indexed by the worker, for tests."""

import time

from slm_platform.chat import starter_assistants
from slm_platform.chat.models import Assistant, DocumentStatus, KnowledgeDocument


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

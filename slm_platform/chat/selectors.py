"""Knowledge-base reads, always scoped to the caller's organization."""

from django.db.models import Count, QuerySet

from slm_platform.chat.models import Assistant, Conversation, KnowledgeBase, KnowledgeDocument
from slm_platform.core.errors import NotFound
from slm_platform.core.models import Organization


def knowledge_bases_for_organization(*, organization: Organization) -> QuerySet[KnowledgeBase]:
    return KnowledgeBase.objects.filter(organization=organization).annotate(
        document_count=Count("documents", distinct=True))


def knowledge_base_get(*, organization: Organization, kb_id: int) -> KnowledgeBase:
    """The organization's knowledge base; NotFound for any other id (another organization's
    included, so ids reveal nothing)."""
    found = knowledge_bases_for_organization(organization=organization).filter(pk=kb_id).first()
    if found is None:
        raise NotFound(f"knowledge base {kb_id} not found", details={"id": kb_id})
    return found


def documents_for_knowledge_base(*, knowledge_base: KnowledgeBase
                                 ) -> QuerySet[KnowledgeDocument]:
    return (KnowledgeDocument.objects.filter(knowledge_base=knowledge_base)
            .annotate(passage_count=Count("passages")).defer("text"))


def document_get(*, knowledge_base: KnowledgeBase, document_id: int) -> KnowledgeDocument:
    found = documents_for_knowledge_base(knowledge_base=knowledge_base).filter(
        pk=document_id).first()
    if found is None:
        raise NotFound(f"document {document_id} not found in knowledge base "
                       f"{knowledge_base.pk}", details={"id": document_id})
    return found


def assistants_for_organization(*, organization: Organization) -> QuerySet[Assistant]:
    return Assistant.objects.filter(organization=organization)


def assistant_get(*, organization: Organization, assistant_id: int) -> Assistant:
    """The organization's assistant; NotFound for any other id."""
    found = assistants_for_organization(organization=organization).filter(
        pk=assistant_id).first()
    if found is None:
        raise NotFound(f"assistant {assistant_id} not found", details={"id": assistant_id})
    return found


def conversation_get(*, assistant: Assistant, conversation_id: int) -> Conversation:
    found = Conversation.objects.filter(assistant=assistant, pk=conversation_id).first()
    if found is None:
        raise NotFound(f"conversation {conversation_id} not found for assistant "
                       f"{assistant.pk}", details={"id": conversation_id})
    return found

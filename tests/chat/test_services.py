"""Knowledge-base services: versions, the same content as a no-op, replacement, indexing."""

import pytest

from slm_platform.audit.models import AuditEvent
from slm_platform.audit.services import Actor
from slm_platform.chat import services
from slm_platform.chat.models import DocumentStatus, KnowledgeBase, KnowledgeDocument, Passage
from slm_platform.core.errors import Conflict, NotFound, ValidationFailed

pytestmark = pytest.mark.django_db

FAQ = "# Refunds\n\nRefunds take 5 to 10 business days.\n\n# Shipping\n\nWe ship worldwide.\n"


@pytest.fixture
def actor():
    return Actor.system()


@pytest.fixture
def knowledge_base(organization, actor):
    return services.knowledge_base_create(organization=organization, name="Help Centre",
                                          actor=actor)


def _add(organization, knowledge_base, actor, text=FAQ, filename="faq.md"):
    source = services.DocumentSource(field="text", filename=filename, title="FAQ",
                                     kind="markdown", text=text)
    return services.document_add(organization=organization, kb_id=knowledge_base.pk,
                                 source=source, actor=actor)


def _version(knowledge_base) -> int:
    knowledge_base.refresh_from_db()
    return knowledge_base.version


def test_a_knowledge_base_gets_a_slug_unique_in_its_organization(organization, actor,
                                                                  knowledge_base):
    assert knowledge_base.slug == "help-centre" and knowledge_base.version == 1
    with pytest.raises(Conflict) as caught:
        services.knowledge_base_create(organization=organization, name="Help centre",
                                       actor=actor)
    assert caught.value.details == {"field": "slug"}
    assert AuditEvent.objects.filter(action="knowledge_base.create").count() == 1


def test_adding_a_document_stores_its_passages_and_bumps_the_version(
        organization, actor, knowledge_base):
    result = _add(organization, knowledge_base, actor)
    assert result.created and result.document.status == DocumentStatus.INDEXING
    passages = list(Passage.objects.filter(document=result.document))
    assert [(p.title, p.text) for p in passages] == [
        ("Refunds", "Refunds take 5 to 10 business days."), ("Shipping", "We ship worldwide.")]
    assert all(p.embedding is None for p in passages)
    assert FAQ[passages[1].char_start:passages[1].char_end] == "We ship worldwide."
    assert _version(knowledge_base) == 2
    assert AuditEvent.objects.filter(action="knowledge_document.add").count() == 1


def test_the_same_content_again_is_a_no_op(organization, actor, knowledge_base):
    first = _add(organization, knowledge_base, actor)
    again = _add(organization, knowledge_base, actor, filename="copy-of-faq.md")
    assert not again.created and again.document.pk == first.document.pk
    assert _version(knowledge_base) == 2
    assert KnowledgeDocument.objects.count() == 1


def test_new_content_under_the_same_filename_replaces_the_document(
        organization, actor, knowledge_base):
    first = _add(organization, knowledge_base, actor)
    second = _add(organization, knowledge_base, actor, text="# Refunds\n\nNow 3 days.\n")
    assert second.created and not KnowledgeDocument.objects.filter(pk=first.document.pk).exists()
    assert list(Passage.objects.values_list("text", flat=True)) == ["Now 3 days."]
    assert _version(knowledge_base) == 3
    assert AuditEvent.objects.filter(action="knowledge_document.replace").count() == 1


def test_deleting_a_document_bumps_the_version(organization, actor, knowledge_base):
    added = _add(organization, knowledge_base, actor)
    services.document_delete(organization=organization, kb_id=knowledge_base.pk,
                             document_id=added.document.pk, actor=actor)
    assert _version(knowledge_base) == 3 and not Passage.objects.exists()
    with pytest.raises(NotFound):
        services.document_delete(organization=organization, kb_id=knowledge_base.pk,
                                 document_id=added.document.pk, actor=actor)


def test_finished_indexing_makes_the_document_ready_in_a_new_version(
        organization, actor, knowledge_base):
    document = _add(organization, knowledge_base, actor).document
    ids = list(Passage.objects.filter(document=document).values_list("id", flat=True))
    embeddings = {pk: b"\0" * 1536 for pk in ids}
    with pytest.raises(ValueError, match="embeddings for 1 passages"):
        services.document_index_finish(document_id=document.pk,
                                       embeddings={ids[0]: b"\0" * 1536})
    assert services.document_index_finish(document_id=document.pk, embeddings=embeddings)
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY and _version(knowledge_base) == 3
    assert bytes(Passage.objects.first().embedding) == b"\0" * 1536
    # A second delivery of the same task finds nothing left to do.
    assert not services.document_index_finish(document_id=document.pk, embeddings=embeddings)


def test_unreadable_input_is_refused_naming_where(organization, actor, knowledge_base):
    source = services.DocumentSource(field="file", filename="faq.csv", title="FAQ",
                                     kind="csv", text="question,answer\nA?,\n")
    with pytest.raises(ValidationFailed) as caught:
        services.document_add(organization=organization, kb_id=knowledge_base.pk,
                              source=source, actor=actor)
    assert caught.value.details == {"field": "file", "file": "faq.csv", "location": "row 2"}
    with pytest.raises(ValidationFailed, match="holds no text"):
        _add(organization, knowledge_base, actor, text="# Only a heading\n")
    assert _version(knowledge_base) == 1


def test_another_organizations_knowledge_base_is_not_found(other_organization, actor,
                                                          knowledge_base):
    with pytest.raises(NotFound):
        _add(other_organization, knowledge_base, actor)
    with pytest.raises(NotFound):
        services.knowledge_base_delete(organization=other_organization,
                                       kb_id=knowledge_base.pk, actor=actor)
    assert KnowledgeBase.objects.filter(pk=knowledge_base.pk).exists()


def test_a_failed_document_keeps_its_error_and_the_same_content_can_be_sent_again(
        organization, actor, knowledge_base):
    first = _add(organization, knowledge_base, actor).document
    services.document_index_fail(document_id=first.pk, error="embedding failed: OSError")
    first.refresh_from_db()
    assert first.status == DocumentStatus.FAILED and first.error.startswith("embedding failed")
    again = _add(organization, knowledge_base, actor)
    assert again.created and again.document.status == DocumentStatus.INDEXING
    assert not KnowledgeDocument.objects.filter(pk=first.pk).exists()

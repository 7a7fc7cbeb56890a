"""Knowledge-base writes: create and delete knowledge bases, add, replace and delete documents,
and (on a bulk worker) record a document's embeddings. Every change of what search can find
bumps the knowledge base's version in the same transaction."""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from slm_platform.audit.services import Actor, audit_record
from slm_platform.chat.chunking import TEXT_KINDS, ChunkedDocument, chunk_text
from slm_platform.chat.models import DocumentStatus, KnowledgeBase, KnowledgeDocument, Passage
from slm_platform.chat.reading import FILE_KINDS, read_file
from slm_platform.chat.selectors import knowledge_base_get
from slm_platform.core.errors import Conflict, NotFound, PayloadTooLarge, ValidationFailed
from slm_platform.core.models import Organization
from slm_platform.ingest.errors import DocumentError

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
MAX_PASSAGES = 20_000
INDEX_QUEUE = "bulk"


@dataclass(frozen=True)
class DocumentSource:
    """One document as the web layer received it: a file on disk, or text sent as JSON.
    `filename` is its identity in the knowledge base; `kind` None means judge it from the file.
    """

    field: str  # the request field it came in, for errors
    filename: str
    title: str
    kind: str | None = None
    path: Path | None = None
    text: str | None = None


@dataclass(frozen=True)
class AddResult:
    document: KnowledgeDocument
    created: bool  # False: the knowledge base already held this content


def knowledge_base_create(*, organization: Organization, name: str, actor: Actor,
                          slug: str = "", description: str = "") -> KnowledgeBase:
    """A new, empty knowledge base; its slug (default: from the name) is unique per org."""
    slug = slug or slugify(name)[:64]
    if not slug:
        raise ValidationFailed("name must hold a letter or digit to make a slug from",
                               details={"field": "name"})
    try:
        with transaction.atomic():
            knowledge_base = KnowledgeBase.objects.create(
                organization=organization, slug=slug, name=name, description=description)
            audit_record(organization=organization, actor=actor, action="knowledge_base.create",
                         object_type="knowledge_base", object_id=knowledge_base.pk,
                         data={"slug": slug})
    except IntegrityError:
        raise Conflict(f"a knowledge base with slug {slug!r} already exists",
                       code="slug_taken", details={"field": "slug"}) from None
    return knowledge_base


@transaction.atomic
def knowledge_base_delete(*, organization: Organization, kb_id: int, actor: Actor) -> None:
    knowledge_base = knowledge_base_get(organization=organization, kb_id=kb_id)
    KnowledgeBase.objects.filter(pk=kb_id).delete()
    # Audited after the delete: the audit chain's lock is always the last one a service takes.
    audit_record(organization=organization, actor=actor, action="knowledge_base.delete",
                 object_type="knowledge_base", object_id=kb_id,
                 data={"slug": knowledge_base.slug, "documents": knowledge_base.document_count})


def document_add(*, organization: Organization, kb_id: int, source: DocumentSource,
                 actor: Actor) -> AddResult:
    """Read and cut the document into passages (4xx naming the field, file and row for what
    cannot be read), store them and queue their embedding. The same content again is a no-op;
    new content under a stored filename replaces that document."""
    knowledge_base = knowledge_base_get(organization=organization, kb_id=kb_id)
    kind, chunked, sha256, size = _read(source)
    return _document_save(knowledge_base=knowledge_base, source=source, kind=kind,
                          chunked=chunked, sha256=sha256, size=size, actor=actor)


def _read(source: DocumentSource) -> tuple[str, ChunkedDocument, str, int]:
    where = {"field": source.field, "file": source.filename}
    if source.kind is not None and source.kind not in FILE_KINDS:
        raise ValidationFailed(f"kind must be one of {', '.join(FILE_KINDS)}",
                               details={"field": "kind"})
    try:
        if source.path is not None:
            size = source.path.stat().st_size
            if size > MAX_DOCUMENT_BYTES:
                raise PayloadTooLarge(f"{source.filename} is over "
                                      f"{MAX_DOCUMENT_BYTES // 2**20} MB", details=where)
            sha256 = _file_sha256(source.path)
            kind, chunked = read_file(source.path, name=source.filename, kind=source.kind)
        else:
            if source.kind not in TEXT_KINDS:
                raise ValidationFailed(f"text documents are one of {', '.join(TEXT_KINDS)}",
                                       details={"field": "kind"})
            data = source.text.encode()
            size, sha256, kind = len(data), hashlib.sha256(data).hexdigest(), source.kind
            chunked = chunk_text(source.text, kind=kind, name=source.filename)
    except DocumentError as exc:
        raise ValidationFailed(str(exc), code="unreadable_file",
                               details=where | exc.as_details()) from None
    if not chunked.passages:
        raise ValidationFailed(f"{source.filename} holds no text", details=where)
    if len(chunked.passages) > MAX_PASSAGES:
        raise ValidationFailed(f"{source.filename} makes {len(chunked.passages):,} passages; "
                               f"at most {MAX_PASSAGES:,} per document", details=where)
    return kind, chunked, sha256, size


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@transaction.atomic
def _document_save(*, knowledge_base: KnowledgeBase, source: DocumentSource, kind: str,
                   chunked: ChunkedDocument, sha256: str, size: int,
                   actor: Actor) -> AddResult:
    # One writer per knowledge base at a time: two uploads of one file never both insert.
    KnowledgeBase.objects.select_for_update().filter(pk=knowledge_base.pk).first()
    documents = KnowledgeDocument.objects.filter(knowledge_base=knowledge_base)
    same = documents.filter(sha256=sha256).exclude(status=DocumentStatus.FAILED).first()
    if same is not None:
        return AddResult(document=same, created=False)
    replaced = documents.filter(filename=source.filename).first()
    if replaced is not None:
        replaced.delete()
    document = KnowledgeDocument.objects.create(
        knowledge_base=knowledge_base, title=source.title[:300], filename=source.filename,
        kind=kind, sha256=sha256, size_bytes=size, text=chunked.text)
    Passage.objects.bulk_create([
        Passage(document=document, knowledge_base=knowledge_base, ordinal=ordinal,
                title=passage.title[:500], text=passage.text, char_start=passage.start,
                char_end=passage.end)
        for ordinal, passage in enumerate(chunked.passages)
    ], batch_size=500)
    _version_bump(knowledge_base.pk)
    audit_record(organization=knowledge_base.organization, actor=actor,
                 action="knowledge_document.replace" if replaced else "knowledge_document.add",
                 object_type="knowledge_document", object_id=document.pk,
                 data={"knowledge_base": knowledge_base.pk, "filename": source.filename,
                       "kind": kind, "sha256": sha256, "passages": len(chunked.passages),
                       "replaced": replaced.pk if replaced else None})
    transaction.on_commit(lambda: _enqueue("chat.index_document", document.pk))
    return AddResult(document=document, created=True)


@transaction.atomic
def document_delete(*, organization: Organization, kb_id: int, document_id: int,
                    actor: Actor) -> None:
    knowledge_base = knowledge_base_get(organization=organization, kb_id=kb_id)
    document = KnowledgeDocument.objects.filter(knowledge_base=knowledge_base,
                                                pk=document_id).first()
    if document is None:
        raise NotFound(f"document {document_id} not found in knowledge base {kb_id}",
                       details={"id": document_id})
    document.delete()
    _version_bump(knowledge_base.pk)
    audit_record(organization=organization, actor=actor, action="knowledge_document.delete",
                 object_type="knowledge_document", object_id=document_id,
                 data={"knowledge_base": kb_id, "filename": document.filename})


@transaction.atomic
def document_index_finish(*, document_id: int, embeddings: dict[int, bytes]) -> bool:
    """Store a document's passage embeddings and make it searchable (a new knowledge-base
    version). False when the document was deleted or replaced while it was being embedded."""
    document = (KnowledgeDocument.objects.select_for_update().select_related("knowledge_base")
                .filter(pk=document_id, status=DocumentStatus.INDEXING).first())
    if document is None:
        return False
    passages = list(Passage.objects.filter(document=document).only("id"))
    if {passage.pk for passage in passages} != set(embeddings):
        raise ValueError(f"embeddings for {len(embeddings)} passages; the document holds "
                         f"{len(passages)}")
    for passage in passages:
        passage.embedding = embeddings[passage.pk]
    Passage.objects.bulk_update(passages, ["embedding"], batch_size=500)
    document.status, document.indexed_at = DocumentStatus.READY, timezone.now()
    document.save(update_fields=["status", "indexed_at"])
    _version_bump(document.knowledge_base_id)
    audit_record(organization=document.knowledge_base.organization, actor=Actor.system(),
                 action="knowledge_document.index", object_type="knowledge_document",
                 object_id=document.pk, data={"passages": len(passages)})
    return True


@transaction.atomic
def document_index_fail(*, document_id: int, error: str) -> None:
    KnowledgeDocument.objects.filter(pk=document_id, status=DocumentStatus.INDEXING).update(
        status=DocumentStatus.FAILED, error=error[:2000])


def _version_bump(kb_id: int) -> None:
    KnowledgeBase.objects.filter(pk=kb_id).update(version=F("version") + 1,
                                                  updated_at=timezone.now())


def _enqueue(name: str, *args) -> None:
    from slm_platform.celery import app

    app.send_task(name, args=list(args), queue=INDEX_QUEUE)

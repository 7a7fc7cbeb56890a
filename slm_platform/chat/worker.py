"""Worker side of the knowledge base: embed a document's passages (bulk queue) and search a
knowledge base (realtime queue). The MiniLM encoder is loaded once per process; a knowledge
base's index is built once per version and kept in the process."""

import json
import logging
import threading
import time

from django.conf import settings

from slm_platform.chat.models import DocumentStatus, KnowledgeBase, Passage
from slm_platform.chat.services import document_index_finish
from slm_platform.ml.encoders import MINILM
from slm_platform.ml.vector_index import VectorIndex, VersionedCache, vector_to_bytes

logger = logging.getLogger(__name__)

EMBED_BATCH = 64
MAX_LENGTH = 256  # tokens; a 180-word passage with its title fits
_encoder = None
_encoder_lock = threading.Lock()
_indexes: VersionedCache[VectorIndex] = VersionedCache(
    getattr(settings, "KNOWLEDGE_INDEX_CACHE_SIZE", 32))


def sentence_encoder():
    """MiniLM mean-pooled, normalised sentence embeddings (the `fast` recipe's encoder)."""
    global _encoder
    with _encoder_lock:
        if _encoder is None:
            from slm_platform.ml.frozen import SentenceEncoder

            _encoder = SentenceEncoder(MINILM, max_length=MAX_LENGTH)
        return _encoder


def embedding_text(title: str, text: str) -> str:
    """What is embedded for a passage: its heading path (or question) leads, as a reader sees it."""
    return f"{title}\n{text}" if title else text


def document_embed(*, document_id: int) -> bool:
    """Embed every passage of the document in batches, then store them (document ready)."""
    passages = list(Passage.objects.filter(document_id=document_id)
                    .order_by("ordinal").values_list("id", "title", "text"))
    started = time.perf_counter()
    vectors = sentence_encoder().encode([embedding_text(title, text)
                                         for _, title, text in passages],
                                        batch_size=EMBED_BATCH)
    embeddings = {pk: vector_to_bytes(vector)
                  for (pk, _, _), vector in zip(passages, vectors, strict=True)}
    seconds = time.perf_counter() - started
    logger.info("document %s: %d passages embedded in %.2fs (%.0f/s)", document_id,
                len(passages), seconds, len(passages) / max(seconds, 1e-9))
    return document_index_finish(document_id=document_id, embeddings=embeddings)


def _index_load(kb_id: int) -> VectorIndex:
    rows = (Passage.objects.filter(knowledge_base_id=kb_id, document__status=DocumentStatus.READY,
                                   embedding__isnull=False)
            .values_list("id", "embedding").iterator(chunk_size=2000))
    return VectorIndex.from_bytes(rows)


def knowledge_base_search(*, kb_id: int, query: str, k: int) -> list[dict]:
    """The k passages closest to the query: [{passage_id, document_id, document, title, text,
    score}], best first; [] for an empty (or deleted) knowledge base."""
    version = KnowledgeBase.objects.filter(pk=kb_id).values_list("version", flat=True).first()
    if version is None:
        return []
    index = _indexes.get_or_load(kb_id, version, lambda: _index_load(kb_id))
    if not len(index):
        return []
    hits = index.search(sentence_encoder().encode([query])[0], k)
    passages = Passage.objects.select_related("document").only(
        "id", "title", "text", "document__id", "document__title").in_bulk([h.key for h in hits])
    return [{"passage_id": hit.key, "document_id": passages[hit.key].document.pk,
             "document": passages[hit.key].document.title, "title": passages[hit.key].title,
             "text": passages[hit.key].text, "score": round(hit.score, 4)}
            for hit in hits if hit.key in passages]


def reply_generate(*, config: dict, assistant_name: str, question: str, passages: list[dict],
                   stream_key: str | None) -> dict:
    """A validated generated answer (answering.py); with a stream key, each accepted piece is
    published as it comes and the result last. Outcome "disabled" when the assistant answers
    extractively only, "unavailable" when its generator cannot answer now."""
    from slm_platform.chat import streams
    from slm_platform.chat.answering import Generated, answer_generate
    from slm_platform.chat.generators import GeneratorUnavailable, generator_for
    from slm_platform.core.errors import ValidationFailed

    def emit(text: str) -> None:
        if stream_key:
            streams.publish(stream_key, "delta", {"text": text})

    try:
        generator = generator_for(config)
    except (GeneratorUnavailable, ValidationFailed) as exc:
        logger.warning("%s", exc)
        generator, result = None, Generated(outcome="unavailable")
    else:
        result = Generated(outcome="disabled")
    if generator is not None:
        result = answer_generate(generator=generator, assistant_name=assistant_name,
                                 question=question, passages=passages,
                                 max_new_tokens=settings.CHAT_GENERATION_MAX_TOKENS, emit=emit)
    if stream_key:
        streams.publish(stream_key, streams.END, result.as_dict())
    return result.as_dict()


def slots_generate(*, config: dict, schema: dict, instructions: str, message: str,
                   max_new_tokens: int) -> dict:
    """An action's slot values read from the user's message by the local model, as JSON
    constrained to the slots' schema: {"outcome": "generated", "values", "text", timings};
    "disabled" when the assistant's generator is not the local one (an HTTP endpoint cannot be
    constrained token by token), "unavailable" when it cannot run, "incomplete" when the budget
    ran out. The web process checks the values against the schema and the message."""
    from slm_platform.chat.generators import GeneratorUnavailable, LocalGenerator, generator_for
    from slm_platform.core.errors import ValidationFailed
    from slm_platform.ml.causal_lm import DecodeStats
    from slm_platform.ml.json_grammar import GrammarError

    try:
        generator = generator_for(config)
    except (GeneratorUnavailable, ValidationFailed) as exc:
        logger.warning("%s", exc)
        return {"outcome": "unavailable"}
    if not isinstance(generator, LocalGenerator):
        return {"outcome": "disabled"}
    stats = DecodeStats()
    started = time.perf_counter()
    try:
        text = generator.json([{"role": "system", "content": instructions},
                               {"role": "user", "content": message}], schema,
                              max_new_tokens=max_new_tokens, stats=stats)
    except GrammarError as exc:
        logger.warning("slot schema not supported: %s", exc)
        return {"outcome": "unsupported"}
    timings = {"seconds": round(time.perf_counter() - started, 3),
               "new_tokens": stats.new_tokens, "generator": generator.name}
    if not text:
        return {"outcome": "incomplete", **timings}
    return {"outcome": "generated", "values": json.loads(text), "text": text, **timings}

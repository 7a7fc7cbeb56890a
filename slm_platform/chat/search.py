"""Search a knowledge base from the web process: validate, run `chat.search` on the realtime
queue with a timeout (503 with Retry-After when no worker answers), audit the call."""

import hashlib
import time

from slm_platform.audit.services import Actor, audit_record
from slm_platform.chat.selectors import knowledge_base_get
from slm_platform.core.errors import ApplicationError, ValidationFailed
from slm_platform.core.models import Organization

MAX_K = 20
MAX_QUERY_CHARS = 1000
REPLY_PASSAGES = 3  # the passages an assistant's reply is made from


def query_validate(query: object) -> str:
    if not isinstance(query, str) or not query.strip():
        raise ValidationFailed("q is required: the text to search for", details={"field": "q"})
    if len(query) > MAX_QUERY_CHARS:
        raise ValidationFailed(f"q is {len(query):,} characters; at most {MAX_QUERY_CHARS:,}",
                               details={"field": "q"})
    return query.strip()


def k_validate(k: object) -> int:
    try:
        if isinstance(k, bool):
            raise ValueError
        value = int(k)
    except (TypeError, ValueError):
        raise ValidationFailed("k must be an integer", details={"field": "k"}) from None
    if not 1 <= value <= MAX_K:
        raise ValidationFailed(f"k must be between 1 and {MAX_K}", details={"field": "k"})
    return value


def knowledge_base_search(*, organization: Organization, kb_id: int, query: object,
                          k: object = 5, actor: Actor) -> list[dict]:
    """The k passages of the knowledge base closest in meaning to the query, best first.
    Audited with a hash of the query, never its text."""
    knowledge_base = knowledge_base_get(organization=organization, kb_id=kb_id)
    text, count = query_validate(query), k_validate(k)
    started, outcome, hits = time.perf_counter(), "error", []
    try:
        hits = _run_on_worker(kb_id=knowledge_base.pk, query=text, k=count)
        outcome = "success"
    except ApplicationError as exc:
        outcome = exc.code
        raise
    finally:
        audit_record(organization=organization, actor=actor, action="knowledge_base.search",
                     object_type="knowledge_base", object_id=knowledge_base.pk,
                     outcome=outcome,
                     latency_ms=round((time.perf_counter() - started) * 1000, 2),
                     data={"k": count, "hits": len(hits),
                           "query_sha256": hashlib.sha256(text.encode()).hexdigest()})
    return hits


def passages_for_reply(*, assistant, text: str, actor: Actor) -> list[dict]:
    """The passages of the assistant's knowledge base an answer to `text` is made from."""
    return knowledge_base_search(organization=assistant.organization,
                                 kb_id=assistant.knowledge_base_id,
                                 query=text[:MAX_QUERY_CHARS], k=REPLY_PASSAGES, actor=actor)


def _run_on_worker(*, kb_id: int, query: str, k: int) -> list[dict]:
    from slm_platform.serving.services import realtime_call

    return realtime_call("chat.search", [kb_id, query, k], what="searching")

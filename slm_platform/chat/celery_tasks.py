"""Chat Celery tasks: embedding documents on `bulk`; search, replies and action slots read by
the local model on `realtime`; handoff summaries on `bulk`."""

from celery import shared_task


@shared_task(name="chat.index_document", soft_time_limit=900, time_limit=960, acks_late=True,
             reject_on_worker_lost=True, ignore_result=True)
def index_document(document_id: int) -> None:
    """Embedding again after a lost worker is harmless: the passages get the same vectors."""
    from slm_platform.chat.services import document_index_fail
    from slm_platform.chat.worker import document_embed

    try:
        document_embed(document_id=document_id)
    except Exception as exc:
        document_index_fail(document_id=document_id,
                            error=f"embedding failed: {type(exc).__name__}: {exc}")
        raise


@shared_task(name="chat.search", acks_late=False, soft_time_limit=30, time_limit=45)
def search(kb_id: int, query: str, k: int) -> list[dict]:
    from slm_platform.chat.worker import knowledge_base_search

    return knowledge_base_search(kb_id=kb_id, query=query, k=k)


@shared_task(name="chat.generate", acks_late=False, soft_time_limit=120, time_limit=150)
def generate(config: dict, assistant_name: str, question: str, passages: list[dict],
             stream_key: str | None = None) -> dict:
    from slm_platform.chat.worker import reply_generate

    return reply_generate(config=config, assistant_name=assistant_name, question=question,
                          passages=passages, stream_key=stream_key)


@shared_task(name="chat.slots", acks_late=False, soft_time_limit=60, time_limit=90)
def slots(config: dict, schema: dict, instructions: str, message: str,
          max_new_tokens: int) -> dict:
    from slm_platform.chat.worker import slots_generate

    return slots_generate(config=config, schema=schema, instructions=instructions,
                          message=message, max_new_tokens=max_new_tokens)


@shared_task(name="chat.summarize", acks_late=False, soft_time_limit=60, time_limit=90,
             ignore_result=True)
def summarize(conversation_id: int) -> str:
    from slm_platform.chat.handoffs import summary_generate

    return summary_generate(conversation_id=conversation_id)

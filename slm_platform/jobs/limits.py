"""Settings turned into the file readers' limits, and the item unit a task wants."""

from django.conf import settings

from slm_platform.core.catalog import TaskKind, TaskSpec
from slm_platform.ingest.bulk import Limits


def limits_from_settings(spec: TaskSpec | None = None) -> Limits:
    """The readers' limits; with a task, texts over its input limit become item errors."""
    per_task = {"max_item_chars": spec.max_input_chars} if spec is not None else {}
    return Limits(
        **per_task,
        max_items=settings.JOB_MAX_ITEMS,
        max_zip_entries=settings.JOB_MAX_FILES,
        max_decompressed_bytes=settings.JOB_MAX_DECOMPRESSED_BYTES,
        max_compression_ratio=settings.JOB_MAX_COMPRESSION_RATIO,
        max_pdf_pages=settings.JOB_MAX_PDF_PAGES,
    )


def document_unit_for(spec: TaskSpec) -> str:
    """How TXT, PDF and DOCX text becomes items unless the upload says otherwise: the task's
    own choice, else lines for entity extraction (statement rows) and sentences for the rest."""
    if spec.document_unit:
        return spec.document_unit
    return "line" if spec.kind == TaskKind.ENTITIES else "sentence"

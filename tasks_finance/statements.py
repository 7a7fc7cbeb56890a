"""A bank statement (TXT or PDF, or its text) read into structured transactions, with every
account identifier masked: the rule side of finance.statement-entities, run in the request.

PDF pages are read with pdfplumber keeping their layout, so table columns stay in line for
the transaction parser (statement_entities.lines); a PDF without a text layer is refused (no
OCR is done)."""

import tempfile
from decimal import Decimal

from slm_platform.core.errors import PayloadTooLarge, ValidationFailed
from slm_platform.ingest.bulk import DocumentError, open_sources
from slm_platform.ingest.documents import Document
from slm_platform.jobs.limits import limits_from_settings
from tasks_finance.statement_entities.identifiers import find_identifiers
from tasks_finance.statement_entities.lines import parse_statement_text

MAX_STATEMENT_BYTES = 20 * 1024 * 1024
MAX_PAGES = 200


def statement_read(document: Document) -> dict:
    """{"transactions": [...], "identifiers": [...], "pages"?} for one statement."""
    text, pages = _statement_text(document)
    if not text.strip():
        raise ValidationFailed(f"{document.name} holds no text",
                               details={"field": document.field, "file": document.name})
    transactions = parse_statement_text(text)
    identifiers = [{"type": found["type"], "masked": found["masked"], "valid": found["valid"]}
                   for found in find_identifiers(text)]
    result = {"file": document.name, "transactions": [_transaction(t) for t in transactions],
              "identifiers": identifiers}
    if pages is not None:
        result["pages"] = pages
    return result


def _transaction(transaction) -> dict:
    def number(value: Decimal | None) -> str | None:
        return None if value is None else str(value)

    return {"date": transaction.date, "description": transaction.description,
            "amount": number(transaction.amount), "currency": transaction.currency,
            "balance": number(transaction.balance), "counterparty": transaction.counterparty}


def _statement_text(document: Document) -> tuple[str, int | None]:
    where = {"field": document.field, "file": document.name}
    if document.text is not None:
        return document.text, None
    if document.path.stat().st_size > MAX_STATEMENT_BYTES:
        raise PayloadTooLarge(f"{document.name} is over {MAX_STATEMENT_BYTES // 2**20} MB",
                              details=where)
    try:
        with tempfile.TemporaryDirectory(prefix="slm-statement-") as workdir:
            sources = open_sources(document.path, name=document.name, workdir=workdir,
                                   limits=limits_from_settings())
    except DocumentError as exc:
        raise ValidationFailed(str(exc), code="unreadable_file",
                               details={"field": document.field} | exc.as_details()) from None
    kind = sources[0].kind if len(sources) == 1 else "archive"
    if kind == "pdf":
        return _pdf_text(document, where)
    if kind in ("text", "delimited"):
        encoding = sources[0].encoding or "utf-8"
        return document.path.read_bytes().decode(encoding, errors="replace"), None
    raise ValidationFailed(f"{document.name} is not a statement: send one TXT or PDF file",
                           code="unreadable_file", details=where)


def _pdf_text(document: Document, where: dict) -> tuple[str, int]:
    import pdfplumber

    try:
        with pdfplumber.open(document.path) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise ValidationFailed(f"{document.name} has {len(pdf.pages)} pages; at most "
                                       f"{MAX_PAGES}", details=where)
            texts = [page.extract_text(layout=True) or "" for page in pdf.pages]
    except ValidationFailed:
        raise
    except Exception as exc:  # pdfminer raises many types for a damaged file
        raise ValidationFailed(f"{document.name} could not be read as a PDF: "
                               f"{type(exc).__name__}", code="unreadable_file",
                               details=where) from None
    if not any(text.strip() for text in texts):
        raise ValidationFailed(f"{document.name} has no text layer (scanned pages?); OCR is "
                               "not done", code="unreadable_file", details=where)
    return "\n".join(texts), len(texts)

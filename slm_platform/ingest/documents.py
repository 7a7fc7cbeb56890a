"""One document sent with a request (an uploaded TXT, PDF or DOCX file, or its text in JSON),
read into the pieces a task scores: the document endpoints of the industry apps (a transcript's
tone, a statement, a clinical note to de-identify) share this reading and its errors."""

import dataclasses
import itertools
import tempfile
from dataclasses import dataclass
from pathlib import Path

from slm_platform.core.errors import PayloadTooLarge, ValidationFailed
from slm_platform.ingest.bulk import (
    DocumentError,
    Limits,
    iter_items,
    open_sources,
    split_sentences,
)

DOCUMENT_KINDS = ("text", "pdf", "docx")
MAX_TEXT_CHARS = 1_000_000


@dataclass(frozen=True)
class Document:
    """One document as the request gave it: an uploaded file on disk, or text."""

    field: str  # the request field it came in, for errors
    name: str
    path: Path | None = None
    text: str | None = None

    @property
    def where(self) -> dict:
        return {"field": self.field, "file": self.name}


def document_pieces(document: Document, *, unit: str, max_bytes: int, max_pieces: int,
                    limits: Limits, what: str = "document") -> list[tuple[str, str]]:
    """(position, text) of the document's non-empty pieces, cut by `unit` ("sentence" or
    "line"), read within the bulk readers' `limits`. ValidationFailed naming the field and
    file for what cannot be read as a document or holds no text; PayloadTooLarge for a file
    over `max_bytes`; more than `max_pieces` pieces is refused (such documents belong in a bulk
    job)."""
    if document.text is not None:
        if len(document.text) > MAX_TEXT_CHARS:
            raise ValidationFailed(f"{document.field} is {len(document.text):,} characters; at "
                                   f"most {MAX_TEXT_CHARS:,}", details=document.where)
        texts = (split_sentences(document.text) if unit == "sentence"
                 else document.text.splitlines())
        pieces = [(f"{unit} {number}", text) for number, text in enumerate(texts, start=1)]
    else:
        pieces = _file_pieces(document, unit=unit, max_bytes=max_bytes,
                              max_pieces=max_pieces, limits=limits, what=what)
    pieces = [(position, text) for position, text in pieces if text.strip()]
    if not pieces:
        raise ValidationFailed(f"{document.name} holds no text", details=document.where)
    if len(pieces) > max_pieces:
        raise ValidationFailed(
            f"{document.name} has {len(pieces):,} {unit}s; this endpoint takes at most "
            f"{max_pieces:,} (a bulk job takes any length)", details=document.where)
    return pieces


def _file_pieces(document: Document, *, unit: str, max_bytes: int, max_pieces: int,
                 limits: Limits, what: str) -> list[tuple[str, str]]:
    if document.path.stat().st_size > max_bytes:
        raise PayloadTooLarge(f"{document.name} is over {max_bytes // 2**20} MB",
                              details=document.where)
    try:
        with tempfile.TemporaryDirectory(prefix="slm-document-") as workdir:
            sources = open_sources(document.path, name=document.name, workdir=workdir,
                                   limits=limits)
            if len(sources) != 1 or sources[0].kind not in (*DOCUMENT_KINDS, "delimited"):
                raise ValidationFailed(f"{document.name} is not a {what}: send one TXT, PDF or "
                                       "DOCX file", code="unreadable_file",
                                       details=document.where)
            source = sources[0]
            if source.kind == "delimited":  # prose with commas on every line: still prose
                source = dataclasses.replace(source, kind="text", delimiter=None, columns=None)
            items = itertools.islice(iter_items(source, unit=unit, limits=limits),
                                     max_pieces + 1)
            return [(item.position, item.text) for item in items if not item.error]
    except DocumentError as exc:
        raise ValidationFailed(str(exc), code="unreadable_file",
                               details={"field": document.field} | exc.as_details()) from None

"""De-identifying a whole document (a clinical note, a letter, an export of messages): its
lines scored by health.phi-deid through the platform's predict service (realtime queue,
audited, never storing the text), the spans put back in document positions, and the document
redacted in the mode asked for, consistently across all of it."""

from django.conf import settings
from django.utils.crypto import salted_hmac

from slm_platform.audit.services import Actor
from slm_platform.core.errors import ValidationFailed
from slm_platform.core.models import Organization
from slm_platform.ingest.documents import MAX_TEXT_CHARS, Document, document_pieces
from slm_platform.jobs.limits import limits_from_settings
from slm_platform.serving.services import predict, task_get, version_resolve
from tasks_health.phi_deid.labels import PHI_TYPES
from tasks_health.phi_deid.redaction import MODES, redact

TASK = "health.phi-deid"
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
# The document is scored while the request waits; longer ones belong in a bulk job.
MAX_LINES = 5000
# Lines are scored in pieces of at most this many characters, cut between words.
PIECE_CHARS = 1000


def organization_key(organization: Organization) -> bytes:
    """The organization's redaction key (hash mode, pseudonym draws), derived from SECRET_KEY:
    the same value hashes alike within one organization and differently in another."""
    return salted_hmac("tasks_health.phi-deid", str(organization.pk)).digest()


def options_check(*, mode: object, types: object) -> tuple[str, frozenset[str]]:
    """(mode, types to redact) from the request's values; 400 naming the field otherwise."""
    mode = "mask" if mode in (None, "") else mode
    if mode not in MODES:
        raise ValidationFailed(f"mode must be one of {', '.join(MODES)}, not {mode!r}",
                               details={"field": "mode"})
    if types in (None, "", []):
        return mode, frozenset(PHI_TYPES)
    if isinstance(types, str):
        types = [part.strip() for part in types.split(",") if part.strip()]
    if not isinstance(types, list) or not all(isinstance(kind, str) for kind in types):
        raise ValidationFailed("types must be a list of PHI types", details={"field": "types"})
    unknown = sorted(set(types) - set(PHI_TYPES))
    if unknown:
        raise ValidationFailed(f"unknown PHI types: {', '.join(unknown)}; known: "
                               f"{', '.join(PHI_TYPES)}", details={"field": "types"})
    return mode, frozenset(types)


def document_text(document: Document) -> str:
    """The text to de-identify: as sent, or the file's lines (TXT, PDF text layer, DOCX)."""
    if document.text is not None:
        if len(document.text) > MAX_TEXT_CHARS:
            raise ValidationFailed(f"{document.field} is {len(document.text):,} characters; at "
                                   f"most {MAX_TEXT_CHARS:,}", details=document.where)
        if not document.text.strip():
            raise ValidationFailed(f"{document.field} holds no text", details=document.where)
        return document.text
    pieces = document_pieces(document, unit="line", max_bytes=MAX_DOCUMENT_BYTES,
                             max_pieces=MAX_LINES, limits=limits_from_settings(),
                             what="document")
    return "\n".join(text for _, text in pieces)


def text_pieces(text: str, limit: int = PIECE_CHARS) -> list[tuple[int, str]]:
    """(offset, piece) of every non-blank line, a long line cut at the last space before
    `limit` characters (or at `limit` when it has none)."""
    pieces = []
    offset = 0
    for line in text.splitlines(keepends=True):
        start, body = offset, line.rstrip("\r\n")
        offset += len(line)
        while body.strip():
            cut = len(body) if len(body) <= limit else (body.rfind(" ", 0, limit) + 1 or limit)
            pieces.append((start, body[:cut]))
            start, body = start + cut, body[cut:]
    return pieces


def deidentify(*, organization: Organization, document: Document, mode: str,
               types: frozenset[str], actor: Actor, model_version_id: int | None = None) -> dict:
    """The document with its PHI redacted, and where each identifier was (offsets into the
    document's text; the identifiers' own text is not sent back)."""
    spec = task_get(organization=organization, slug=TASK)
    text = document_text(document)
    pieces = text_pieces(text)
    if len(pieces) > MAX_LINES:
        raise ValidationFailed(f"{document.name} has {len(pieces):,} lines; this endpoint takes "
                               f"at most {MAX_LINES:,} (a bulk job takes any length)",
                               details=document.where)
    version = version_resolve(organization=organization, spec=spec, version_id=model_version_id)
    entities = []
    batch = settings.PREDICT_MAX_INPUTS
    for first in range(0, len(pieces), batch):
        chunk = pieces[first:first + batch]
        result = predict(organization=organization, task_slug=TASK, actor=actor,
                         inputs=[piece for _, piece in chunk], model_version_id=version.pk)
        for (offset, _), prediction in zip(chunk, result.predictions, strict=True):
            entities += [dict(entity, start=entity["start"] + offset, end=entity["end"] + offset)
                         for entity in prediction["entities"] if entity["label"] in types]
    redacted, replacements = redact(text, entities, mode=mode, key=organization_key(organization))
    counts: dict[str, int] = {}
    for entity in entities:
        counts[entity["label"]] = counts.get(entity["label"], 0) + 1
    return {
        "task": TASK, "model_version": version.name, "model_version_id": version.pk,
        "file": document.name, "mode": mode, "text": redacted, "counts": counts,
        "entities": [{"start": entity["start"], "end": entity["end"], "label": entity["label"],
                      "source": entity["source"], "score": entity["score"],
                      "replacement": replacement}
                     for entity, replacement in zip(entities, replacements, strict=True)],
    }

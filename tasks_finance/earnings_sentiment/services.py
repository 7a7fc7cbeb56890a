"""Document mode of finance.earnings-sentiment: a transcript (TXT, PDF or DOCX, or text in the
request) read into sentences, each scored by the task's model through the platform's predict
service (realtime queue, audited), and summed up by tone.py."""

import dataclasses
import itertools
import tempfile
from dataclasses import dataclass
from pathlib import Path

from slm_platform.audit.services import Actor
from slm_platform.core.errors import PayloadTooLarge, ValidationFailed
from slm_platform.core.models import Organization
from slm_platform.ingest.bulk import DocumentError, iter_items, open_sources, split_sentences
from slm_platform.jobs.limits import limits_from_settings
from slm_platform.serving.services import predict, task_get, version_resolve
from tasks_finance.earnings_sentiment.tone import (
    Sentence,
    sections_assign,
    tone_report,
    tone_shift,
)

TASK = "finance.earnings-sentiment"
# A transcript is scored while the request waits: about 10 s at this many sentences on one
# realtime process. Longer documents belong in a bulk job.
MAX_SENTENCES = 2000
MAX_TRANSCRIPT_BYTES = 20 * 1024 * 1024
MAX_TEXT_CHARS = 1_000_000
_DOCUMENT_KINDS = ("text", "pdf", "docx")


@dataclass(frozen=True)
class Transcript:
    """One document as the request gave it: an uploaded file on disk, or text."""

    field: str  # the request field it came in, for errors
    name: str
    path: Path | None = None
    text: str | None = None


def transcript_sentences(transcript: Transcript) -> list[Sentence]:
    """The transcript's sentences with their positions and sections. ValidationFailed, naming
    the field and file, for what cannot be read as a transcript."""
    where = {"field": transcript.field, "file": transcript.name}
    if transcript.text is not None:
        if len(transcript.text) > MAX_TEXT_CHARS:
            raise ValidationFailed(f"{transcript.field} is {len(transcript.text):,} characters; "
                                   f"at most {MAX_TEXT_CHARS:,}", details=where)
        pieces = [(f"sentence {number}", text) for number, text
                  in enumerate(split_sentences(transcript.text), start=1)]
    else:
        pieces = _file_pieces(transcript)
    pieces = [(position, text) for position, text in pieces if text.strip()]
    if not pieces:
        raise ValidationFailed(f"{transcript.name} holds no text to score", details=where)
    if len(pieces) > MAX_SENTENCES:
        raise ValidationFailed(
            f"{transcript.name} has {len(pieces):,} sentences; this endpoint scores at most "
            f"{MAX_SENTENCES:,} (a bulk job takes any length)", details=where)
    sections = sections_assign([text for _, text in pieces])
    return [Sentence(text=text, position=position, section=section)
            for (position, text), section in zip(pieces, sections, strict=True)]


def _file_pieces(transcript: Transcript) -> list[tuple[str, str]]:
    if transcript.path.stat().st_size > MAX_TRANSCRIPT_BYTES:
        raise PayloadTooLarge(f"{transcript.name} is over {MAX_TRANSCRIPT_BYTES // 2**20} MB",
                              details={"field": transcript.field, "file": transcript.name})
    limits = limits_from_settings()
    try:
        with tempfile.TemporaryDirectory(prefix="slm-transcript-") as workdir:
            sources = open_sources(transcript.path, name=transcript.name, workdir=workdir,
                                   limits=limits)
            if len(sources) != 1 or sources[0].kind not in (*_DOCUMENT_KINDS, "delimited"):
                raise ValidationFailed(f"{transcript.name} is not a transcript: send one TXT, "
                                       "PDF or DOCX file", code="unreadable_file",
                                       details={"field": transcript.field,
                                                "file": transcript.name})
            source = sources[0]
            if source.kind == "delimited":  # prose with commas on every line: still prose
                source = dataclasses.replace(source, kind="text", delimiter=None, columns=None)
            items = itertools.islice(iter_items(source, unit="sentence", limits=limits),
                                     MAX_SENTENCES + 1)
            return [(item.position, item.text) for item in items if not item.error]
    except DocumentError as exc:
        raise ValidationFailed(str(exc), code="unreadable_file",
                               details={"field": transcript.field} | exc.as_details()) from None


def earnings_tone(*, organization: Organization, transcript: Transcript, actor: Actor,
                  model_version_id: int | None = None) -> dict:
    """The transcript's tone report, every sentence scored by one model version."""
    spec = task_get(organization=organization, slug=TASK)
    sentences = transcript_sentences(transcript)
    version = version_resolve(organization=organization, spec=spec, version_id=model_version_id)
    report = tone_report(sentences, _scores(organization, spec, version.pk, sentences, actor))
    return {"task": TASK, "model_version": version.name, "model_version_id": version.pk,
            "file": transcript.name, **report}


def earnings_tone_shift(*, organization: Organization, earlier: Transcript, later: Transcript,
                        actor: Actor, model_version_id: int | None = None) -> dict:
    """How management's tone moved from one transcript to the next (e.g. last quarter's call
    and this one's), overall and per section, both scored by the same model version."""
    spec = task_get(organization=organization, slug=TASK)
    documents = [transcript_sentences(earlier), transcript_sentences(later)]
    version = version_resolve(organization=organization, spec=spec, version_id=model_version_id)
    reports = [tone_report(sentences, _scores(organization, spec, version.pk, sentences, actor))
               for sentences in documents]
    shift = tone_shift(*reports)
    shift["earlier"]["file"], shift["later"]["file"] = earlier.name, later.name
    return {"task": TASK, "model_version": version.name, "model_version_id": version.pk,
            **shift, "reports": {"earlier": reports[0], "later": reports[1]}}


def _scores(organization, spec, version_id: int, sentences: list[Sentence],
            actor: Actor) -> list[dict]:
    from django.conf import settings

    texts = [sentence.text[:spec.max_input_chars] for sentence in sentences]
    predictions: list[dict] = []
    for start in range(0, len(texts), settings.PREDICT_MAX_INPUTS):
        result = predict(organization=organization, task_slug=TASK, actor=actor,
                         inputs=texts[start:start + settings.PREDICT_MAX_INPUTS],
                         model_version_id=version_id)
        predictions += result.predictions
    return predictions

"""Document mode of finance.earnings-sentiment: a transcript (TXT, PDF or DOCX, or text in the
request) read into sentences, each scored by the task's model through the platform's predict
service (realtime queue, audited), and summed up by tone.py."""

from slm_platform.audit.services import Actor
from slm_platform.core.models import Organization
from slm_platform.ingest.documents import Document, document_pieces
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


def transcript_sentences(transcript: Document) -> list[Sentence]:
    """The transcript's sentences with their positions and sections. ValidationFailed, naming
    the field and file, for what cannot be read as a transcript."""
    pieces = document_pieces(transcript, unit="sentence", max_bytes=MAX_TRANSCRIPT_BYTES,
                             max_pieces=MAX_SENTENCES, limits=limits_from_settings(),
                             what="transcript")
    sections = sections_assign([text for _, text in pieces])
    return [Sentence(text=text, position=position, section=section)
            for (position, text), section in zip(pieces, sections, strict=True)]


def earnings_tone(*, organization: Organization, transcript: Document, actor: Actor,
                  model_version_id: int | None = None) -> dict:
    """The transcript's tone report, every sentence scored by one model version."""
    spec = task_get(organization=organization, slug=TASK)
    sentences = transcript_sentences(transcript)
    version = version_resolve(organization=organization, spec=spec, version_id=model_version_id)
    report = tone_report(sentences, _scores(organization, spec, version.pk, sentences, actor))
    return {"task": TASK, "model_version": version.name, "model_version_id": version.pk,
            "file": transcript.name, **report}


def earnings_tone_shift(*, organization: Organization, earlier: Document, later: Document,
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

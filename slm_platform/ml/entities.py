"""Entity extraction with the encoder: a token classifier over BIO tags, decoded to character
spans (the offsets of the original text, whatever the tokenizer's casing), and entity-level
evaluation with exact span matching, as seqeval scores it.

Decoding ("word-viterbi", what new artifacts use): each word (as the tokenizer's pre-tokenizer
splits words) takes the tag of its first sub-word, the most probable tag sequence that obeys BIO
(an I-X only after B-X or I-X) is found with Viterbi, and a span covers whole words. Artifacts
saved before that decode token by token ("token": the most probable tag of each token).
"""

import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import torch

from slm_platform.ml import encoders, shapes
from slm_platform.ml.classifier import CONFIG_FILE, LABELS_FILE
from slm_platform.ml.finetune import ProgressCallback, batch_order, fit, seed_everything
from slm_platform.ml.runtime import best_device
from slm_platform.ml.types import ARTIFACT_FILE, TrainConfig, TrainResult

TOKEN_TYPE = "token-classifier"
IGNORE = -100  # the loss skips special tokens and padding
TOKEN_DECODING, WORD_VITERBI = "token", "word-viterbi"
# Serving reads texts up to this many tokens (the encoder's position limit), whatever length
# training used: an entity late in a long text is still found.
SERVING_MAX_LENGTH = 512

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


def allowed_transitions(tags: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(allowed[previous, next], allowed_first[tag]) under BIO: I-X only after B-X or I-X."""
    allowed = np.ones((len(tags), len(tags)), dtype=bool)
    first = np.ones(len(tags), dtype=bool)
    for j, tag in enumerate(tags):
        if tag.startswith("I-"):
            first[j] = False
            allowed[:, j] = [previous in (f"B-{tag[2:]}", tag) for previous in tags]
    return allowed, first


def viterbi(log_probabilities: np.ndarray, allowed: np.ndarray, first: np.ndarray) -> list[int]:
    """The most probable tag sequence (rows: positions) using only allowed transitions."""
    if len(log_probabilities) == 0:
        return []
    blocked = np.where(allowed, 0.0, -np.inf)
    score = log_probabilities[0] + np.where(first, 0.0, -np.inf)
    back = np.zeros(log_probabilities.shape, dtype=np.int64)
    for position in range(1, len(log_probabilities)):
        candidates = score[:, None] + blocked
        back[position] = candidates.argmax(axis=0)
        score = candidates.max(axis=0) + log_probabilities[position]
    path = [int(score.argmax())]
    for position in range(len(log_probabilities) - 1, 0, -1):
        path.append(int(back[position, path[-1]]))
    return path[::-1]


def word_viterbi_tags(offsets, word_ids, probabilities: np.ndarray, tags: list[str],
                      transitions) -> tuple[list[int], list[float]]:
    """Per-token tag ids and scores from word-level BIO Viterbi: each word's tag is decided on
    its first sub-word; its other sub-words continue it (I-X, or O)."""
    real = [k for k, (start, end) in enumerate(offsets) if start != end and
            word_ids[k] is not None]
    firsts, seen = [], set()
    for k in real:
        if word_ids[k] not in seen:
            seen.add(word_ids[k])
            firsts.append(k)
    log_probabilities = np.log(np.clip(probabilities[firsts], 1e-12, 1.0))
    chosen = dict(zip((word_ids[k] for k in firsts), zip(firsts, viterbi(
        log_probabilities, *transitions), strict=True), strict=True))
    tag_ids, scores = [0] * len(offsets), [1.0] * len(offsets)
    continuation = {tag: tags.index(f"I-{tag[2:]}") if tag != "O" else 0 for tag in tags}
    for k in real:
        head, tag_id = chosen[word_ids[k]]
        tag_ids[k] = tag_id if k == head else continuation[tags[tag_id]]
        scores[k] = float(probabilities[head, tag_id])
    return tag_ids, scores


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

    def __init__(self, tokenizer, texts, spans, tag_index, *, max_length: int, batch_size: int,
                 shape_features: bool = False):
        encoded = tokenizer(list(texts), truncation=True, max_length=max_length,
                            return_offsets_mapping=True)
        self.input_ids = encoded["input_ids"]
        self.targets = [token_targets(offsets, example_spans, tag_index)
                        for offsets, example_spans in zip(encoded["offset_mapping"], spans,
                                                          strict=True)]
        self.shape_ids = ([shapes.shape_ids(text, offsets) for text, offsets in
                           zip(texts, encoded["offset_mapping"], strict=True)]
                          if shape_features else None)
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
            if self.shape_ids is not None:
                batch["shape_ids"] = torch.tensor([self.shape_ids[i] + [shapes.SPECIAL] * (
                    width - len(self.shape_ids[i])) for i in chosen])
            yield batch


def train_token_classifier(
    texts: Sequence[str], spans: Sequence[Sequence[Span]], *, entity_types: Sequence[str],
    config: TrainConfig, output_dir: Path, validation: tuple[Sequence[str], Sequence],
    on_progress: ProgressCallback | None = None, should_stop: Callable[[], bool] | None = None,
) -> TrainResult:
    """Fine-tune the encoder to tag entities; early stopping on validation entity macro-F1
    (or, with `config.train_on_validation`, the whole schedule on train + validation)."""
    started = time.monotonic()
    seed_everything(config.seed)
    tags = bio_tags(entity_types)
    tag_index = {tag: i for i, tag in enumerate(tags)}
    device = best_device()
    tokenizer = encoders.load_tokenizer(config.base_model)
    model = _token_model(tags, shape_features=config.shape_features,
                         base_model=config.base_model).to(device)
    train_texts, train_spans = list(texts), list(spans)
    if config.train_on_validation:
        train_texts += list(validation[0])
        train_spans += list(validation[1])
    train = _TokenBatches(tokenizer, train_texts, train_spans, tag_index,
                          max_length=config.max_length, batch_size=config.batch_size,
                          shape_features=config.shape_features)
    extractor = EntityExtractor(model, tokenizer, list(entity_types),
                                max_length=config.max_length, device=device,
                                shape_features=config.shape_features, decoding=WORD_VITERBI)

    def evaluate() -> dict:
        report = extractor.evaluate(validation[0], validation[1])
        return report | {"loss": 0.0}

    result = TrainResult(labels=list(entity_types), train_examples=len(train_texts),
                         validation_examples=len(validation[0]))
    fit(model, train, evaluate, config=config, device=device, result=result,
        on_progress=on_progress, should_stop=should_stop,
        early_stopping=not config.train_on_validation)
    result.seconds = time.monotonic() - started
    _save(model, tokenizer, list(entity_types), config, result, output_dir)
    return result


def _token_model(tags: list[str], *, shape_features: bool, base_model: str = encoders.MINILM):
    """The base encoder with a fresh token-classification head (and shape embedding, if
    asked): MiniLM, or the tiny random BERT the plumbing tests train in seconds."""
    from transformers import AutoModelForTokenClassification, BertConfig

    labels = {"num_labels": len(tags), "id2label": dict(enumerate(tags)),
              "label2id": {tag: i for i, tag in enumerate(tags)}}
    if base_model == encoders.TINY_RANDOM:
        from transformers import BertForTokenClassification

        tiny = BertConfig(vocab_size=30522, hidden_size=64, num_hidden_layers=2,
                          num_attention_heads=2, intermediate_size=128,
                          max_position_embeddings=128, **labels)
        return (shapes.ShapedTokenClassifier(tiny) if shape_features
                else BertForTokenClassification(tiny))
    encoders.check_base_model(base_model)
    path = str(encoders.minilm_path())
    if not shape_features:
        return AutoModelForTokenClassification.from_pretrained(path, local_files_only=True,
                                                               **labels)
    model_config = BertConfig.from_pretrained(path, local_files_only=True, **labels)
    return shapes.ShapedTokenClassifier.from_pretrained(path, local_files_only=True,
                                                        config=model_config)


def _save(model, tokenizer, entity_types, config: TrainConfig, result: TrainResult, output_dir):
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    model.to("cpu").save_pretrained(output_dir, safe_serialization=True)
    tokenizer.save_pretrained(output_dir)
    (output_dir / LABELS_FILE).write_text(json.dumps(entity_types, indent=2))
    meta = {"type": TOKEN_TYPE, "decoding": WORD_VITERBI}
    if config.shape_features:
        meta["shapes"] = shapes.SHAPES_VERSION
    (output_dir / ARTIFACT_FILE).write_text(json.dumps(meta))
    (output_dir / CONFIG_FILE).write_text(
        json.dumps({"config": config.as_dict(), "training": result.as_dict()}, indent=2)
    )


class SpanExtractorBase:
    """Serving and evaluation for anything with `extract(texts) -> [[entity dict]]`."""

    labels: list[str]

    def extract(self, texts: Sequence[str]) -> list[list[dict]]:
        raise NotImplementedError

    def serve(self, texts: Sequence[str], *, top_k: int | None = None) -> list[dict]:
        """The serving shape: one {"entities": [...]} per text. `top_k` is the classifiers'
        (how many label scores to keep); entities carry no label scores, so it changes
        nothing here."""
        return [{"entities": entities} for entities in self.extract(texts)]

    def evaluate(self, texts: Sequence[str], spans: Sequence[Sequence[Span]]) -> dict:
        predicted = [[(e["start"], e["end"], e["label"]) for e in entities]
                     for entities in self.extract(texts)]
        return entity_report([[tuple(s) for s in gold] for gold in spans], predicted,
                             self.labels)


class EntityExtractor(SpanExtractorBase):
    """A token-classifier artifact: texts in, entity spans out."""

    def __init__(self, model, tokenizer, entity_types: list[str], *, max_length: int,
                 device: str, shape_features: bool = False, decoding: str = TOKEN_DECODING):
        self.model = model
        self.tokenizer = tokenizer
        self.labels = entity_types
        self.tags = bio_tags(entity_types)
        limit = getattr(model.config, "max_position_embeddings", SERVING_MAX_LENGTH)
        self.max_length = max(max_length, min(SERVING_MAX_LENGTH, limit))
        self.device = device
        self.shape_features = shape_features
        self.decoding = decoding
        self.transitions = allowed_transitions(self.tags)

    @classmethod
    def load(cls, artifact_dir: Path, *, device: str | None = None) -> "EntityExtractor":
        from transformers import AutoModelForTokenClassification, AutoTokenizer

        artifact_dir = Path(artifact_dir)
        device = device or best_device()
        config = json.loads((artifact_dir / CONFIG_FILE).read_text())["config"]
        meta = json.loads((artifact_dir / ARTIFACT_FILE).read_text())
        shaped = "shapes" in meta
        if shaped and meta["shapes"] != shapes.SHAPES_VERSION:
            raise ValueError(f"artifact shape features {meta['shapes']!r} are not "
                             f"{shapes.SHAPES_VERSION!r}")
        model_class = shapes.ShapedTokenClassifier if shaped else AutoModelForTokenClassification
        model = model_class.from_pretrained(str(artifact_dir), local_files_only=True)
        tokenizer = AutoTokenizer.from_pretrained(str(artifact_dir), local_files_only=True)
        labels = json.loads((artifact_dir / LABELS_FILE).read_text())
        return cls(model.to(device), tokenizer, labels, max_length=config["max_length"],
                   device=device, shape_features=shaped,
                   decoding=meta.get("decoding", TOKEN_DECODING))

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
        inputs = dict(encoded)
        if self.shape_features:
            inputs["shape_ids"] = shapes.padded_shape_ids(texts, offsets,
                                                          encoded["input_ids"].shape[1])
        with torch.inference_mode():
            logits = self.model(**{k: v.to(self.device) for k, v in inputs.items()}).logits
        probabilities = torch.softmax(logits.float(), dim=-1).cpu()
        if self.decoding == WORD_VITERBI and encoded.encodings is not None:
            results = []
            for row, text in enumerate(texts):
                row_offsets = [tuple(o) for o in offsets[row]]
                tag_ids, scores = word_viterbi_tags(row_offsets, encoded.word_ids(row),
                                                    probabilities[row].numpy(), self.tags,
                                                    self.transitions)
                results.append(decode(row_offsets, tag_ids, scores, self.tags, text))
            return results
        best = probabilities.max(dim=-1)
        return [decode([tuple(o) for o in offsets[row]], best.indices[row].tolist(),
                       best.values[row].tolist(), self.tags, text)
                for row, text in enumerate(texts)]

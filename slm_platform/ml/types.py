"""Plain data passed in and out of the ML core."""

from dataclasses import asdict, dataclass, field

# An artifact that is not a plain fine-tuned sequence classifier (entity extractor, frozen
# encoder + head, spaCy pipeline) describes itself in this file; a classifier has none.
ARTIFACT_FILE = "artifact.json"


@dataclass(frozen=True)
class Prediction:
    """One input's answer: the winning label, its probability, and every label's probability."""

    label: str
    score: float
    scores: dict[str, float]
    labels: list[str] | None = None  # multi-label tasks: every label at or over the threshold

    def as_dict(self) -> dict:
        # By hand, not dataclasses.asdict: its deep copy of every score cost 0.23 ms a row with
        # 151 labels, a third of the int8 ONNX engine's own time (bench/bulk_engine.py).
        data = {"label": self.label, "score": self.score, "scores": dict(self.scores)}
        if self.labels is not None:
            data["labels"] = list(self.labels)
        return data


@dataclass(frozen=True)
class TrainConfig:
    """Hyperparameters of a sequence-classification fine-tune. Stored beside the artifact."""

    base_model: str = "all-MiniLM-L6-v2"
    epochs: int = 6
    batch_size: int = 32
    learning_rate: float = 1e-4
    weight_decay: float = 0.01
    warmup_ratio: float = 0.06
    max_length: int = 64
    patience: int = 2
    validation_fraction: float = 0.1
    seed: int = 13
    bf16: bool = False
    freeze_word_embeddings: bool = True
    multi_label: bool = False
    pooling: str = "cls"  # "cls" (the BERT pooler) or "mean" (how MiniLM was trained)
    # When set, train the whole epochs that fit in this many optimizer steps (at most `epochs`
    # epochs, at least one): small datasets get more passes, large ones fewer, and the compute,
    # so the training time, has a ceiling whatever the data size.
    target_steps: int = 0

    def epochs_for(self, steps_per_epoch: int) -> int:
        if not self.target_steps:
            return self.epochs
        return max(1, min(self.epochs, self.target_steps // max(1, steps_per_epoch)))
    threshold: float = 0.5
    head_lr_multiplier: float = 1.0
    # Single-label classification: cross-entropy against targets smoothed by this much.
    label_smoothing: float = 0.0
    # Layer-wise learning-rate decay: each encoder layer learns at this factor of the one above
    # it (the embeddings one step below the lowest layer); 1.0 gives every layer the same rate.
    layer_lr_decay: float = 1.0
    # Weight averaging: when > 0, the weights used (evaluated each epoch, kept, saved) are an
    # exponential moving average of the weights the run visited, bias-corrected, with a horizon
    # of this fraction of the run's optimizer steps. 0 keeps the raw weights.
    average_horizon: float = 0.0
    # Entities: add an embedding of each token's word shape (capitalisation, digits, @user,
    # #tag, URL) to its input embedding, since the uncased encoder cannot see case.
    shape_features: bool = False
    # Train on train + validation for the whole schedule (no early stopping); the validation
    # metrics are then in-sample (classifiers then fit no temperature).
    train_on_validation: bool = False
    # Mean-pooled classifiers: add this weight times the cosine distance of each training
    # text's sentence embedding from the one the base encoder gave it before training, so
    # fine-tuning keeps the geometry the encoder learnt. 0 leaves the embeddings free.
    anchor_weight: float = 0.0

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class EpochRecord:
    epoch: int
    train_loss: float
    validation_loss: float
    validation_accuracy: float
    validation_macro_f1: float
    seconds: float


@dataclass
class TrainResult:
    """What a fine-tune produced: the per-epoch curve and which epoch was kept."""

    labels: list[str]
    history: list[EpochRecord] = field(default_factory=list)
    best_epoch: int = 0
    train_examples: int = 0
    validation_examples: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return asdict(self)

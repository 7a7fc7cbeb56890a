"""Plain data passed in and out of the ML core."""

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Prediction:
    """One input's answer: the winning label, its probability, and every label's probability."""

    label: str
    score: float
    scores: dict[str, float]
    labels: list[str] | None = None  # multi-label tasks: every label at or over the threshold

    def as_dict(self) -> dict:
        data = asdict(self)
        if self.labels is None:
            del data["labels"]
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
    # When set, train about this many optimizer steps (at most `epochs` epochs, at least one):
    # small datasets get more passes, large ones fewer, for the same compute.
    target_steps: int = 0

    def epochs_for(self, steps_per_epoch: int) -> int:
        if not self.target_steps:
            return self.epochs
        wanted = -(-self.target_steps // max(1, steps_per_epoch))  # ceiling division
        return max(1, min(self.epochs, wanted))
    threshold: float = 0.5
    head_lr_multiplier: float = 1.0

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
